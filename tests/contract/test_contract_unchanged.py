"""The HTTP API and the database schema are what the snapshots say (``tests/contract/snapshot.py``).

First taken before the layout move (one room per domain), they proved the move changed neither
(the only difference: three generic page components that litestar names after the Python module of
their item type, e.g. ``Page_core.hazard_service.HazardOut_`` → ``Page_core.hazards.wire.HazardOut_``).
A deliberate change of the API or the schema rewrites them (``python -m tests.contract.snapshot``)
in the same commit, so every change of the contract is one a reviewer sees in the diff.
"""

from __future__ import annotations

import json

from core.storage import migrate
from tests.contract.snapshot import OPENAPI, SCHEMA, current_openapi, current_sqlite_schema

MIGRATION_CHAIN = [
    ("0001_foundation", None),
    ("0002_checklists", "0001_foundation"),
    ("0003_hazards", "0002_checklists"),
    ("0005_plans", "0003_hazards"),
    ("0004_sync", "0005_plans"),
    ("0006_evaluations", "0004_sync"),
    ("0007_audit_head", "0006_evaluations"),
    ("0008_audit_chain", "0007_audit_head"),
    ("0009_audit_anchor", "0008_audit_chain"),
    ("0010_upload_owner", "0009_audit_anchor"),
    ("0011_login_throttle", "0010_upload_owner"),
    ("0012_township", "0011_login_throttle"),
    ("0013_hazard_rectified_at", "0012_township"),
    ("0014_enforcement_card", "0013_hazard_rectified_at"),
    ("0015_documents", "0014_enforcement_card"),
    ("0016_penalty_case", "0015_documents"),
    ("0017_hazard_scope_indexes", "0016_penalty_case"),
    ("0018_enterprise_dual_prevention", "0017_hazard_scope_indexes"),
    ("0019_risk_register", "0018_enterprise_dual_prevention"),
    ("0020_safety_code_plant_plan", "0019_risk_register"),
    ("0021_checklist_owner_self_check", "0020_safety_code_plant_plan"),
    ("0022_evaluation_report", "0021_checklist_owner_self_check"),
]


def test_openapi_paths_operations_and_schemas_are_unchanged() -> None:
    expected = json.loads(OPENAPI.read_text(encoding="utf-8"))
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
