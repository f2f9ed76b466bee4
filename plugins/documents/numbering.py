"""文书编号: one gap-free sequence per (authority, document type, year), never reused.

The counter row is bumped in the same transaction that stores the document, so a refused or failed
issue rolls the number back with it: no number is burnt. ``INSERT … ON CONFLICT DO NOTHING`` makes
sure the row exists, then ``UPDATE … SET last_seq = last_seq + 1 RETURNING last_seq`` takes the
next number; on PostgreSQL the UPDATE holds the row lock until commit, so issuers on any number of
instances queue on that one row and each sees the number the previous one committed; SQLite's
``BEGIN IMMEDIATE`` already serialises writers.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession


class DocumentCounter(SQLModel, table=True):
    """The last number handed out for one authority, type and year."""

    __tablename__ = "document_counter"

    authority_id: str = Field(sa_column=Column(String(36), ForeignKey("document_authority.id"), primary_key=True))
    type_code: str = Field(sa_column=Column(String(64), primary_key=True))
    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    last_seq: int = Field(sa_column=Column(Integer, nullable=False))


def format_number(short_name: str, number_class: str, year: int, seq: int) -> str:
    """``德应急检记〔2026〕12号``: the authority's short name, 应急, the class, the year, the number."""
    return f"{short_name}应急{number_class}〔{year}〕{seq}号"


async def next_seq(session: AsyncSession, authority_id: str, type_code: str, year: int) -> int:
    """The next number of the sequence, taken in the caller's write transaction (1 for a new one)."""
    dialect = postgresql if session.bind is not None and session.bind.dialect.name == "postgresql" else sqlite
    key = {"authority_id": authority_id, "type_code": type_code, "year": year}
    await session.exec(dialect.insert(DocumentCounter).values(**key, last_seq=0).on_conflict_do_nothing())  # type: ignore[call-overload]
    bumped = (
        update(DocumentCounter)
        .where(col(DocumentCounter.authority_id) == authority_id, col(DocumentCounter.type_code) == type_code, col(DocumentCounter.year) == year)
        .values(last_seq=col(DocumentCounter.last_seq) + 1)
        .returning(col(DocumentCounter.last_seq))
    )
    return int((await session.exec(bumped)).scalar_one())  # type: ignore[call-overload]
