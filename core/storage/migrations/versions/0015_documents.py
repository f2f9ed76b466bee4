"""documents: 执法文书 (numbered, immutable), their signatures, number counters, issuing authorities

Revision ID: 0015_documents
Revises: 0014_enforcement_card

Why: an inspection that finds hazards is a legal act whose documents carry a number from the
issuing authority's register (issue 21). ``document_authority`` says who issues for which region
subtree; ``document_counter`` holds one gap-free sequence per authority, type and year, bumped in
the transaction that stores the document; ``enforcement_document`` is the document as issued
(content snapshot and its hash, void fields only ever set once); ``document_signature`` the
signatures on it, one per box. The tables belong to the documents plugin
(plugins/documents/authorities.py, numbering.py, records.py); core only creates them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import core.storage.db_types

revision: str = "0015_documents"
down_revision: str | Sequence[str] | None = "0014_enforcement_card"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    instant = core.storage.db_types.UTCDateTime(timezone=True)
    op.create_table(
        "document_authority",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("region_code", sa.String(length=9), nullable=False),
        sa.Column("name", _text(100), nullable=False),
        sa.Column("short_name", _text(8), nullable=False),
        sa.Column("review_body", _text(200), nullable=False),
        sa.Column("court", _text(200), nullable=False),
        sa.Column("address", _text(300), nullable=False),
        sa.Column("phone", _text(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", instant, nullable=False),
        sa.Column("updated_at", instant, nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region_code"),
    )
    op.create_table(
        "document_counter",
        sa.Column("authority_id", sa.String(length=36), nullable=False),
        sa.Column("type_code", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["authority_id"], ["document_authority.id"]),
        sa.PrimaryKeyConstraint("authority_id", "type_code", "year"),
    )
    op.create_table(
        "enforcement_document",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("type_code", sa.String(length=64), nullable=False),
        sa.Column("title", _text(100), nullable=False),
        sa.Column("authority_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("inspection_id", sa.String(length=36), nullable=True),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("region_code", sa.String(length=9), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("hazard_ids", sa.JSON(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("status", _text(16), nullable=False),
        sa.Column("voided_reason", _text(300), nullable=True),
        sa.Column("voided_by", _text(36), nullable=True),
        sa.Column("voided_at", instant, nullable=True),
        sa.Column("supersedes", sa.String(length=36), nullable=True),
        sa.Column("issued_by", _text(36), nullable=True),
        sa.Column("issued_at", instant, nullable=False),
        sa.ForeignKeyConstraint(["authority_id"], ["document_authority.id"]),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("authority_id", "type_code", "year", "seq", name="uq_enforcement_document_seq"),
        sa.UniqueConstraint("number"),
    )
    for column in ("type_code", "inspection_id", "enterprise_id", "region_code", "supersedes"):
        op.create_index(f"ix_enforcement_document_{column}", "enforcement_document", [column])
    op.create_table(
        "document_signature",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("role", _text(32), nullable=False),
        sa.Column("name", _text(64), nullable=False),
        sa.Column("sha256", _text(64), nullable=False),
        sa.Column("source", _text(16), nullable=False),
        sa.Column("signed_at", instant, nullable=False),
        sa.Column("signed_by", _text(36), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["enforcement_document.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "role", name="uq_document_signature_role"),
    )


def downgrade() -> None:
    op.drop_table("document_signature")
    for column in ("type_code", "inspection_id", "enterprise_id", "region_code", "supersedes"):
        op.drop_index(f"ix_enforcement_document_{column}", table_name="enforcement_document")
    op.drop_table("enforcement_document")
    op.drop_table("document_counter")
    op.drop_table("document_authority")
