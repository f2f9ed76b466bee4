"""hazard_rectified_at: when the enterprise reported a hazard's fix

Revision ID: 0013_hazard_rectified_at
Revises: 0012_township

Why: overdue (逾期) means the enterprise missed its deadline. A fix reported before the deadline
is not overdue while it waits for the inspector's recheck; one reported after it is, by the days it
was late (core/hazards/deadlines.py). That needs the time of the report on the hazard itself, for
lists filtered in SQL. Existing hazards that wait for a recheck or are closed take it from their
history (their last ``report_rectified`` step).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.db_types

revision: str = "0013_hazard_rectified_at"
down_revision: str | Sequence[str] | None = "0012_township"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("hazard", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rectified_at", core.storage.db_types.UTCDateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE hazard SET rectified_at = (SELECT max(t.at) FROM hazard_transition t"
        " WHERE t.hazard_id = hazard.id AND t.action = 'report_rectified')"
        " WHERE status IN ('awaiting_recheck', 'closed')"
    )


def downgrade() -> None:
    with op.batch_alter_table("hazard", schema=None) as batch_op:
        batch_op.drop_column("rectified_at")
