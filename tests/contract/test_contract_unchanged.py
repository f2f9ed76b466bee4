"""The HTTP API and the database schema are what the snapshots say (``tests/contract/snapshot.py``).

The snapshots were taken before the layout move (one room per domain), so this proves the move
changed neither. Litestar names the component of a generic page after the Python module of its
item type (``Page_core.hazards.wire.HazardOut_``); those three names are the only difference the
move made, listed here so that any other change fails.
"""

from __future__ import annotations

import json

from core.storage import migrate
from tests.contract.snapshot import OPENAPI, SCHEMA, current_openapi, current_sqlite_schema

# Component names that carry a Python module path: snapshot name → name after the layout move.
MODULE_PATH_NAMES = {
    "Page_core.hazard_service.HazardOut_": "Page_core.hazards.wire.HazardOut_",
    "Page_core.wire.EnterpriseOut_": "Page_core.enterprises.wire.EnterpriseOut_",
    "Page_plugins.evaluation_wire.EvaluationOut_": "Page_plugins.evaluations.wire.EvaluationOut_",
}

MIGRATION_CHAIN = [
    ("0001_foundation", None),
    ("0002_checklists", "0001_foundation"),
    ("0003_hazards", "0002_checklists"),
    ("0005_plans", "0003_hazards"),
    ("0004_sync", "0005_plans"),
    ("0006_evaluations", "0004_sync"),
    ("0007_audit_head", "0006_evaluations"),
    ("0008_audit_chain", "0007_audit_head"),
]


def _renamed(snapshot: dict) -> dict:
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
    for old, new in MODULE_PATH_NAMES.items():
        text = text.replace(old, new)
    return json.loads(text)


def test_openapi_paths_operations_and_schemas_are_unchanged() -> None:
    expected = _renamed(json.loads(OPENAPI.read_text(encoding="utf-8")))
    actual = current_openapi()
    assert sorted(actual["paths"]) == sorted(expected["paths"])
    operations = {(path, method): op.get("operationId") for path, item in actual["paths"].items() for method, op in item.items()}
    expected_operations = {(path, method): op.get("operationId") for path, item in expected["paths"].items() for method, op in item.items()}
    assert operations == expected_operations
    assert actual["components"]["schemas"] == expected["components"]["schemas"]
    assert actual == expected


def test_migration_chain_and_schema_are_unchanged() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    chain = [(rev.revision, rev.down_revision) for rev in reversed(list(scripts.walk_revisions()))]
    assert chain == MIGRATION_CHAIN
    assert current_sqlite_schema() == json.loads(SCHEMA.read_text(encoding="utf-8"))
