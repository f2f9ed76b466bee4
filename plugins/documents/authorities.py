"""文书执法机关: who issues documents for which region, and what goes on them.

Each row covers a region subtree (a province, city or county code); the issuing authority of a
document is the row with the longest code prefix covering the enterprise's region, so a county's
bureau (旌 for 旌阳区) wins over the city's (德 for 德阳市) for its own enterprises, and the city's
covers counties without one. The short name goes into every number (``德应急检记〔2026〕12号``),
the 复议机关 and 人民法院 into the appeal wording.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import Conflict, InvalidInput
from core.ids import new_id
from core.regions.codes import is_township, subtree_prefix
from core.regions.records import Region
from core.storage.audit_log import Actor, append_audit, snapshot
from core.storage.db_types import UTCDateTime
from plugins.documents.wire import AuthorityIn, AuthorityOut

ENTITY = "document_authority"


class DocumentAuthority(SQLModel, table=True):
    """One issuing authority and the region subtree it covers."""

    __tablename__ = "document_authority"

    id: str = Field(default_factory=new_id, sa_column=Column(String(36), primary_key=True))
    region_code: str = Field(sa_column=Column(String(9), ForeignKey("region.code"), nullable=False, unique=True))
    name: str = Field(max_length=100)
    short_name: str = Field(max_length=8)
    review_body: str = Field(max_length=200)
    court: str = Field(max_length=200)
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=32)
    version: int = 1
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def authority_out(row: DocumentAuthority) -> AuthorityOut:
    return AuthorityOut(
        id=row.id, region_code=row.region_code, name=row.name, short_name=row.short_name, review_body=row.review_body,
        court=row.court, address=row.address, phone=row.phone, version=row.version, updated_at=row.updated_at,
    )


def covering(authorities: list[DocumentAuthority], region_code: str) -> DocumentAuthority | None:
    """The authority with the longest prefix covering ``region_code``, or None."""
    found = [a for a in authorities if region_code.startswith(subtree_prefix(a.region_code))]
    return max(found, key=lambda a: len(subtree_prefix(a.region_code)), default=None)


async def authority_for(session: AsyncSession, region_code: str) -> DocumentAuthority | None:
    """The issuing authority of an enterprise in ``region_code`` (a handful of rows: read them all)."""
    return covering(list((await session.exec(select(DocumentAuthority))).all()), region_code)


async def list_authorities(ctx: Context, principal: Principal) -> list[AuthorityOut]:
    """Every authority, by region code (they print on documents: not secret, not scoped)."""
    require(principal.role, "document.read")
    async with ctx.db.read() as session:
        rows = (await session.exec(select(DocumentAuthority).order_by(col(DocumentAuthority.region_code)))).all()
    return [authority_out(row) for row in rows]


def _check(region_code: str, data: AuthorityIn) -> None:
    if is_township(region_code) or len(region_code) != 6 or not region_code.isdigit():
        raise InvalidInput(
            f"region_code {region_code} must be a six-digit province, city or county code",
            f"行政区划代码 {region_code} 应为六位省、市或县级代码", field="region_code",
        )
    for name in ("name", "short_name", "review_body", "court"):
        if not getattr(data, name).strip():
            raise InvalidInput(f"{name} must not be blank", f"{name} 不能为空", field=name)


async def put_authority(ctx: Context, actor: Actor, region_code: str, data: AuthorityIn) -> tuple[AuthorityOut, bool]:
    """Create or replace the authority covering ``region_code``; (the row, whether it was created).

    The number prefix of documents already issued is kept in their rows: changing a short name
    changes future numbers only (a new sequence: numbers are per authority, type and year)."""
    _check(region_code, data)
    now = ctx.clock.now()
    values = {name: getattr(data, name).strip() for name in ("name", "short_name", "review_body", "court", "address", "phone")}
    async with ctx.db.write() as session:
        if await session.get(Region, region_code) is None:
            raise InvalidInput(f"unknown region code {region_code}", f"未知的行政区划代码 {region_code}", field="region_code")
        row = (await session.exec(select(DocumentAuthority).where(col(DocumentAuthority.region_code) == region_code))).first()
        twin = (await session.exec(select(DocumentAuthority).where(
            col(DocumentAuthority.short_name) == values["short_name"], col(DocumentAuthority.region_code) != region_code,
        ))).first()
        if twin is not None:  # two authorities under one short name would print the same numbers
            raise Conflict(
                f"short name {values['short_name']} is used by the authority of {twin.region_code} ({twin.name})",
                f"简称“{values['short_name']}”已被 {twin.region_code}（{twin.name}）使用，文书编号会重复", field="short_name", code="short_name_taken",
            )
        before = snapshot(row) if row is not None else None
        created = row is None
        if row is None:
            row = DocumentAuthority(region_code=region_code, created_at=now, updated_at=now, **values)
            session.add(row)
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.version += 1
            row.updated_at = now
        await session.flush()
        await append_audit(
            session, actor=actor, action="document_authority.put", entity=ENTITY, entity_id=row.id, at=now, before=before, after=snapshot(row),
        )
    return authority_out(row), created
