"""HTTP endpoints of the tablet protocol (docs/sync.md). ``ROUTES`` is registered by server.py."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, get, head, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import InvalidInput
from core.http.openapi_document import BINARY, raw_body
from sync import attachment_service
from sync.attachment_download import attachment_response
from sync.attachments import AttachmentStore, declared_length, parse_range
from sync.codec import decode, read_body, respond
from sync.device import require_device
from sync.pull.pages import DEFAULT_LIMIT, pull
from sync.push.batch import push_batch
from sync.push_body import PushBody
from sync.review.conflicts import list_conflicts, resolve_conflict
from sync.review.quarantine import list_quarantine, mark_resolved
from sync.review.reingest import reingest_quarantined
from sync.wire import (
    AttachmentStatus,
    ConflictOut,
    DismissIn,
    PullOut,
    PushEnvelope,
    PushOut,
    PushResult,
    QuarantineOut,
    ReingestIn,
    ResolveConflictIn,
)

MAX_LIST = 500
MAX_OFFSET = 1_000_000_000  # far beyond any real list; keeps the value inside a database integer
Limit = Annotated[int, Parameter(ge=1, le=MAX_LIST)]
Offset = Annotated[int, Parameter(ge=0, le=MAX_OFFSET)]
_MSGPACK_TOO = "JSON shown; MessagePack of the same structure when Accept asks for it"


class ConflictPage(msgspec.Struct, kw_only=True):
    items: list[ConflictOut]
    total: int


class QuarantinePage(msgspec.Struct, kw_only=True):
    items: list[QuarantineOut]
    total: int


def _page_args(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIST:
        raise InvalidInput(f"limit must be 1..{MAX_LIST}", f"limit 必须在 1 到 {MAX_LIST} 之间", field="limit")
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidInput(f"offset must be 0..{MAX_OFFSET}", f"offset 必须在 0 到 {MAX_OFFSET} 之间", field="offset")


class SyncController(Controller):
    path = "/api/v1/sync"
    tags = ["sync"]

    @post("/push", operation_id="syncPush", status_code=200, responses={200: ResponseSpec(PushOut, description=f"One result per record ({_MSGPACK_TOO})")},
          opt=raw_body({"application/json": PushBody, "application/msgpack": PushBody}, "The batch (JSON, or MessagePack of the same structure; Content-Encoding: gzip allowed)"))
    async def push(self, request: Request, ctx: Context, principal: Principal) -> Response[bytes]:
        """Push a batch of offline records; one result per record (JSON or MessagePack, gzip allowed)."""
        body = await read_body(request, ctx.settings.max_inflated_body_bytes)
        envelope = decode(body, request.headers.get("content-type"), PushEnvelope)
        out = await push_batch(ctx, principal, request.app.state.get("plugins"), envelope.records, request.headers.get("content-type"))
        return respond(request, out)

    @get("/pull", operation_id="syncPull", responses={200: ResponseSpec(PullOut, description=f"One page of changes ({_MSGPACK_TOO})")})
    async def pull(
        self, request: Request, ctx: Context, principal: Principal, cursor: str | None = None,
        limit: Annotated[int, Parameter(ge=1, le=2000)] = DEFAULT_LIMIT,
    ) -> Response[bytes]:
        """Changes since ``cursor`` that the device's user may see, with tombstones; next cursor and ``has_more``."""
        return respond(request, await pull(ctx, principal, cursor, limit))

    @get("/conflicts", operation_id="listSyncConflicts")
    async def conflicts(self, ctx: Context, principal: Principal, status: str | None = "open", limit: Limit = 100, offset: Offset = 0) -> ConflictPage:
        """Kept hazard-update conflicts (admins: all; others: their own)."""
        _page_args(limit, offset)
        items, total = await list_conflicts(ctx, principal, status=status or None, limit=limit, offset=offset)
        return ConflictPage(items=items, total=total)

    @post("/conflicts/{conflict_id:str}/resolve", operation_id="resolveSyncConflict", status_code=200)
    async def resolve(self, ctx: Context, principal: Principal, conflict_id: str, data: ResolveConflictIn) -> ConflictOut:
        """Close a conflict, optionally re-applying the tablet's update onto the current version."""
        return await resolve_conflict(ctx, principal, conflict_id, data)

    @get("/quarantine", operation_id="listSyncQuarantine")
    async def quarantine(self, ctx: Context, principal: Principal, status: str | None = "open", limit: Limit = 100, offset: Offset = 0) -> QuarantinePage:
        """Rejected records kept with their reason (admins)."""
        require(principal.role, "sync.review")
        _page_args(limit, offset)
        rows, total = await list_quarantine(ctx, status=status or None, limit=limit, offset=offset)
        return QuarantinePage(items=[msgspec.convert(r.model_dump(), QuarantineOut) for r in rows], total=total)

    @post("/quarantine/{row_id:str}/reingest", operation_id="reingestSyncQuarantine", status_code=200)
    async def reingest(self, request: Request, ctx: Context, principal: Principal, row_id: str, data: ReingestIn) -> PushResult:
        """Ingest a quarantined record again (as the inspector who pushed it), optionally corrected."""
        return await reingest_quarantined(ctx, principal, request.app.state.get("plugins"), row_id, payload=data.payload, note=data.note)

    @post("/quarantine/{row_id:str}/dismiss", operation_id="dismissSyncQuarantine", status_code=200)
    async def dismiss(self, ctx: Context, principal: Principal, row_id: str, data: DismissIn) -> QuarantineOut:
        """Dismiss a quarantined record with a reason (kept, audited)."""
        require(principal.role, "sync.review")
        row = await mark_resolved(ctx, principal, row_id, status="dismissed", note=data.reason)
        return msgspec.convert(row.model_dump(), QuarantineOut)


class AttachmentController(Controller):
    path = "/api/v1/attachments"
    tags = ["sync"]

    @put("/{sha256:str}", operation_id="putAttachment", status_code=200, request_max_body_size=None,
         opt=raw_body({"application/octet-stream": BINARY}, "The attachment's bytes, or the part from the offset on"),
         responses={200: ResponseSpec(AttachmentStatus, description=f"What the server now holds of this attachment ({_MSGPACK_TOO})")})
    async def upload(self, request: Request, ctx: Context, principal: Principal, sha256: str) -> Response[bytes]:
        """Upload (or resume) an attachment by its sha256 (``Content-Range`` or ``Upload-Offset``)."""
        require(principal.role, "sync.push")
        require_device(principal)
        store = AttachmentStore(ctx.settings)
        digest = store.check_sha(sha256)
        offset, total = parse_range(request.headers.get("content-range"), request.headers.get("upload-offset"), request.headers.get("upload-length"))
        length = declared_length(request.headers.get("content-length"))
        state = await attachment_service.upload(ctx, principal, store, digest, request.stream(), offset=offset, total=total, length=length)
        status = AttachmentStatus(sha256=digest, complete=state.complete, received=state.received, max_bytes=store.max_bytes)
        return respond(request, status, headers={"Upload-Offset": str(state.received)})

    @head("/{sha256:str}", operation_id="headAttachment")
    async def status(self, ctx: Context, principal: Principal, sha256: str) -> Response[None]:
        """What has arrived: ``Upload-Offset`` (bytes kept) and ``Upload-Complete`` (``1``/``0``).

        Another user's unfinished upload, and a finished attachment the caller may not see, answer
        exactly like an unknown one (404)."""
        require(principal.role, "sync.push")
        store = AttachmentStore(ctx.settings)
        state = await attachment_service.upload_state(ctx, principal, store, store.check_sha(sha256))
        return Response(
            None, status_code=200 if state.complete or state.received else 404,
            headers={"Upload-Offset": str(state.received), "Upload-Complete": "1" if state.complete else "0", "Upload-Max-Length": str(store.max_bytes)},
        )

    # Never gzipped (``uncompressed``, server.py): a byte range counts the file's own bytes, and photos are compressed already.
    @get("/{sha256:str}", operation_id="getAttachment", media_type="application/octet-stream", opt={"uncompressed": True},
          responses={
              206: ResponseSpec(None, description="The single byte range asked for (Range: bytes=a-b), with Content-Range"),
              304: ResponseSpec(None, description="If-None-Match names the attachment's ETag (its sha256)"),
              416: ResponseSpec(None, description="The range starts past the end; Content-Range: bytes */size"),
          })
    async def download(self, request: Request, ctx: Context, principal: Principal, sha256: str) -> Response:
        """The attachment's bytes (media type from its content; ETag = its sha256; a single Range
        answers 206), for its uploaders and whoever may see a submission, hazard or document
        referencing it; anyone else gets 404, as for an attachment never uploaded."""
        store = AttachmentStore(ctx.settings)
        digest = store.check_sha(sha256)
        path = await attachment_service.readable_file(ctx, principal, store, digest)
        return await attachment_response(
            path, digest, range_header=request.headers.get("range"), if_none_match=request.headers.get("if-none-match"),
            if_range=request.headers.get("if-range"),
        )


ROUTES = [SyncController, AttachmentController]
