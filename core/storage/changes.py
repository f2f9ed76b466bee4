"""The server-side change sequence that tablets pull from.

Every write to a record a tablet may receive appends a row here in the same transaction, carrying
what scope decisions need (region, industries, enterprise), so a pull can filter and page by
sequence without touching the records themselves. Tablet clocks are never used for ordering.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Integer, String
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage.audit_log import lock_sequences
from core.storage.db_types import UTCDateTime

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
_SEQ_TYPE = BigInteger().with_variant(Integer(), "sqlite")


class Change(SQLModel, table=True):
    """One change to one record: ``op`` is ``upsert`` or ``delete``."""

    __tablename__ = "change"

    seq: int | None = Field(default=None, sa_column=Column(_SEQ_TYPE, primary_key=True, autoincrement=True))
    entity: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    entity_id: str = Field(sa_column=Column(String(128), nullable=False, index=True))
    op: str = Field(max_length=8)
    region_code: str | None = Field(default=None, max_length=9)
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    enterprise_id: str | None = Field(default=None, max_length=36, index=True)
    user_id: str | None = Field(default=None, max_length=36, index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # The scope the record had before this change, when it moved (region/industries changed), so a
    # pull can send a tombstone to users who saw the old state but may not see the new one.
    prev_region_code: str | None = Field(default=None, max_length=9)
    prev_industries: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


def change_row(
    *,
    entity: str,
    entity_id: str,
    at: datetime,
    op: str = "upsert",
    region_code: str | None = None,
    industries: list[str] | None = None,
    enterprise_id: str | None = None,
    user_id: str | None = None,
    prev_region_code: str | None = None,
    prev_industries: list[str] | None = None,
) -> dict[str, Any]:
    """The column values of one change row (``seq`` is assigned by the database)."""
    return {
        "entity": entity, "entity_id": entity_id, "op": op, "region_code": region_code,
        "industries": list(industries or []), "enterprise_id": enterprise_id, "user_id": user_id, "at": at,
        "prev_region_code": prev_region_code, "prev_industries": list(prev_industries) if prev_industries is not None else None,
    }


async def record_change(session: AsyncSession, **fields: Any) -> None:
    """Append a change row (arguments of ``change_row``) in the caller's transaction; call it as
    the transaction's last step.

    On PostgreSQL a transaction-scoped advisory lock (the one audit appends take) is held from here
    to commit, so change rows become visible in ``seq`` order: a pull that has seen ``seq`` N can
    never later find a smaller one committing (SQLite's ``BEGIN IMMEDIATE`` already serialises).
    """
    await lock_sequences(session)
    session.add(Change(**change_row(**fields)))
