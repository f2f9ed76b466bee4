"""Imports every sync table module so ``SQLModel.metadata`` knows them (migrations, tests)."""

from sync import attachment_uploaders  # noqa: F401
from sync.push import ledger, submissions  # noqa: F401
from sync.review import conflict_table, quarantine_table  # noqa: F401
