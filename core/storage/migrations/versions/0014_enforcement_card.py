"""enforcement_card: users' 执法证号 and a submission's co-inspectors

Revision ID: 0014_enforcement_card
Revises: 0013_hazard_rectified_at

Why: an enforcement document (执法文书) names at least two inspectors, each with the number of their
enforcement certificate (执法证号, 《安全生产执法程序规定》): the number is kept on the user, set by an
admin. The inspectors present besides the one whose tablet sent the submission are named by it
(``co_inspectors``, user ids), kept with the submission as it was accepted; existing submissions
named none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014_enforcement_card"
down_revision: str | Sequence[str] | None = "0013_hazard_rectified_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enforcement_card_no", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("co_inspectors", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("co_inspectors")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("enforcement_card_no")
