"""township: region codes of nine digits (乡镇、街道) wherever a region code is stored

Revision ID: 0012_township
Revises: 0011_login_throttle

Why: a user's scope, a grid, a plan and an enterprise may be a township or street, whose statistics
code is the county's six digits and three more (``510681001``). Every column holding a region code
grows from six characters to nine; the rows the hazards, inspections, submissions and the change
feed copy from their enterprise follow it.

PostgreSQL enforces ``VARCHAR(n)``: there the columns are widened (a catalogue change, no rewrite;
the foreign keys to ``region.code`` stay valid, both sides are varchar). SQLite never enforces a
declared length, so it needs nothing, and rebuilding its tables (SQLite has no ALTER COLUMN)
would drop and copy every referenced table under foreign keys for no effect.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_township"
down_revision: str | Sequence[str] | None = "0011_login_throttle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, nullable)
COLUMNS = (
    ("region", "code", False),
    ("region", "parent_code", True),
    ("grid", "region_code", False),
    ("app_user", "region_code", True),
    ("enterprise", "region_code", False),
    ("hazard", "region_code", False),
    ("inspection", "region_code", False),
    ("inspection_plan", "region_code", False),
    ("assignment", "region_code", False),
    ("random_draw", "region_code", False),
    ("change", "region_code", True),
    ("change", "prev_region_code", True),
    ("submission", "region_code", False),
)


def _resize(length: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, nullable in COLUMNS:
        op.alter_column(table, column, type_=sa.String(length=length), existing_nullable=nullable)


def upgrade() -> None:
    _resize(9)


def downgrade() -> None:
    # Only possible while no nine-digit code is stored: PostgreSQL refuses to cut a longer value.
    _resize(6)
