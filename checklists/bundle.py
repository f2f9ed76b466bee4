"""The offline bundle: every active checklist version a tablet's user needs, in one response.

The ETag is computed from the list of versions (id, version, content hash) and the industries
asked for, never from the encoded bytes: so it can be checked with a light query, and a tablet
with an unchanged bundle gets a 304 without the contents being read at all. Publishing or
retiring a version in the caller's industries changes it.

The check lists an enterprise generated from its own risk register are in the bundle of whoever
sees that enterprise (its own users' tablets first of all), whatever their industries; nobody
else's (``checklists.versions.visible_condition``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlmodel import col, select

from checklists.canonical import from_canonical
from checklists.tables import ChecklistVersion
from checklists.versions import visible_condition
from checklists.wire import Bundle, BundleEntry
from core.access.scope import Principal
from core.context import Context
from core.vocabulary import INDUSTRIES


def bundle_industries(principal: Principal) -> list[str]:
    """The industries whose checklists the caller's tablet carries (all, when none are set)."""
    if principal.is_admin or not principal.industries:
        return sorted(INDUSTRIES)
    return sorted(set(principal.industries))


def compute_etag(industries: Iterable[str], versions: Iterable[tuple[str, str, str]]) -> str:
    """A strong ETag (quoted) for the industries and their (id, version, hash) triples."""
    digest = hashlib.sha256()
    digest.update(",".join(sorted(industries)).encode())
    for checklist_id, version, content_hash in sorted(versions):
        digest.update(f"\n{checklist_id}@{version}:{content_hash}".encode())
    return f'"{digest.hexdigest()[:40]}"'


def _active(principal: Principal, industries: list[str]):  # noqa: ANN202 - a SQLAlchemy statement
    return (
        col(ChecklistVersion.retired_at).is_(None),
        visible_condition(principal, industries),
    )


async def bundle_etag(ctx: Context, principal: Principal) -> str:
    """The current ETag of the caller's bundle, from ids, versions and hashes only."""
    industries = bundle_industries(principal)
    statement = select(ChecklistVersion.checklist_id, ChecklistVersion.version, ChecklistVersion.content_hash).where(
        *_active(principal, industries)
    )
    async with ctx.db.read() as session:
        rows = (await session.exec(statement)).all()
    return compute_etag(industries, [tuple(row) for row in rows])


async def build_bundle(ctx: Context, principal: Principal) -> Bundle:
    """The caller's bundle, with an ETag computed from exactly the versions it contains."""
    industries = bundle_industries(principal)
    statement = (
        select(ChecklistVersion)
        .where(*_active(principal, industries))
        .order_by(
            col(ChecklistVersion.checklist_id),
            col(ChecklistVersion.major),
            col(ChecklistVersion.minor),
            col(ChecklistVersion.patch),
        )
    )
    async with ctx.db.read() as session:
        rows = list((await session.exec(statement)).all())
    entries = [
        BundleEntry(
            checklist_id=row.checklist_id,
            version=row.version,
            content_hash=row.content_hash,
            checklist=from_canonical(row.content.encode("utf-8")),
        )
        for row in rows
    ]
    etag = compute_etag(industries, [(e.checklist_id, e.version, e.content_hash) for e in entries])
    return Bundle(etag=etag, industries=industries, checklists=entries)


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, ``*`` matches)."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == etag:
            return True
    return False
