"""Liveness: the one endpoint that needs no token."""

from __future__ import annotations

from litestar import get


@get("/healthz", operation_id="healthz", tags=["system"], opt={"exclude_from_auth": True}, sync_to_thread=False)
def healthz() -> dict[str, str]:
    """Answers while the server runs."""
    return {"status": "ok"}


ROUTES = [healthz]
