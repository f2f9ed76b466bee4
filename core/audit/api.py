"""Reading and verifying the audit log (admin only)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Parameter
from sqlmodel import col, select

from core.access.permissions import require
from core.access.scope import Principal
from core.audit.anchors import list_anchors, take_anchor
from core.audit.verify import ChainReport, verify_chain
from core.audit.wire import AnchorOut, AnchorTaken, AuditOut
from core.context import Context
from core.storage.audit_log import AuditEntry
from core.wire import to_out


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["audit"]

    @get("/", operation_id="listAudit")
    async def list(
        self,
        ctx: Context,
        principal: Principal,
        entity: Annotated[str | None, Parameter(max_length=32)] = None,
        entity_id: Annotated[str | None, Parameter(max_length=128)] = None,
        before_seq: Annotated[int | None, Parameter(ge=1)] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
    ) -> list[AuditOut]:
        """Newest entries first; page backwards with ``before_seq``."""
        require(principal.role, "audit.read")
        query = select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(limit)
        if entity:
            query = query.where(AuditEntry.entity == entity)
        if entity_id:
            query = query.where(AuditEntry.entity_id == entity_id)
        if before_seq:
            query = query.where(col(AuditEntry.seq) < before_seq)
        async with ctx.db.read() as session:
            rows = (await session.exec(query)).all()
        return [to_out(r, AuditOut) for r in rows]

    @get("/verify", operation_id="verifyAudit")
    async def verify(self, ctx: Context, principal: Principal) -> ChainReport:
        """Recompute the hash chain, check every anchor (its entry and its signature) and report
        the first problem, if any."""
        require(principal.role, "audit.read")
        async with ctx.db.read() as session:
            return await verify_chain(session, secret=ctx.secret)

    @get("/anchors", operation_id="listAuditAnchors")
    async def anchors(self, ctx: Context, principal: Principal, limit: Annotated[int, Parameter(ge=1, le=500)] = 100) -> list[AnchorOut]:
        """Signed heads of the chain, newest first."""
        require(principal.role, "audit.read")
        return [to_out(a, AnchorOut) for a in await list_anchors(ctx, limit=limit)]

    @post("/anchors", operation_id="anchorAudit", status_code=200)
    async def anchor(self, ctx: Context, principal: Principal) -> AnchorTaken:
        """Sign the chain's head now (none is taken when nothing was appended since the last)."""
        require(principal.role, "audit.anchor")
        anchor = await take_anchor(ctx, principal.actor)
        return AnchorTaken(anchored=anchor is not None, anchor=to_out(anchor, AnchorOut) if anchor else None)


ROUTES = [AuditController]
