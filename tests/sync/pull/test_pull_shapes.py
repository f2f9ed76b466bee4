"""Pull builds enterprise payloads from plain table rows: they must stay exactly ``EnterpriseOut``."""

from core.enterprises.records import Enterprise
from core.enterprises.wire import EnterpriseOut


def test_enterprise_table_columns_are_the_wire_fields():
    assert set(Enterprise.__table__.columns.keys()) == set(EnterpriseOut.__struct_fields__)
