"""hazard_scope_indexes: counting and listing hazards over a scope from the indexes alone

Revision ID: 0017_hazard_scope_indexes
Revises: 0016_penalty_case

Why: the console's workbench and hazard lists count hazards by status, level, 挂牌督办, deadline and
month over the caller's scope. With a province's million hazards, the join to the enterprise made
each count visit every hazard row of every enterprise in scope (seconds per count on SQLite). Each
new index holds the columns those filters (and the chart by region) read and has ``enterprise_id``, so a count over a
scope (core.hazards.queries.hazards_in_scope: a semi-join on the enterprise's id) reads the index
alone (bench/console.py). The two enterprise indexes let the list of enterprises in a department's
scope (region × industry) be built from indexes too: it is built once per count.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017_hazard_scope_indexes"
down_revision: str | Sequence[str] | None = "0016_penalty_case"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain CREATE INDEX on both databases (no batch: SQLite needs no table copy for an index).
    op.create_index("ix_hazard_open", "hazard", ["status", "enterprise_id", "level", "listed_supervision", "deadline", "rectified_at", "region_code"])
    op.create_index("ix_hazard_received", "hazard", ["received_at", "enterprise_id"])
    op.create_index("ix_hazard_closed", "hazard", ["closed_at", "enterprise_id"])
    op.create_index("ix_enterprise_scope", "enterprise", ["id", "region_code", "grid_code"])
    op.create_index("ix_enterprise_industry_scope", "enterprise_industry", ["industry", "enterprise_id"])


def downgrade() -> None:
    op.drop_index("ix_hazard_closed", table_name="hazard")
    op.drop_index("ix_hazard_received", table_name="hazard")
    op.drop_index("ix_enterprise_industry_scope", table_name="enterprise_industry")
    op.drop_index("ix_enterprise_scope", table_name="enterprise")
    op.drop_index("ix_hazard_open", table_name="hazard")
