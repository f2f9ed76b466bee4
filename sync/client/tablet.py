"""The reference tablet client: an outbox that survives anything, push with retry, pull by cursor.

Records made offline are queued in the local store; ``push`` sends them in batches with retry and
exponential backoff, and removes a record only when the server returned a result for it (a lost
response is simply retried: the server answers ``duplicate``). ``pull`` pages from the stored
cursor and applies each page with its cursor atomically. ``anjian tablet`` drives this class.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import msgspec

from sync.client.outbox import LocalStore
from sync.wire import PushRecord

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK = 1 << 20


class SyncError(Exception):
    """The server refused a request for a reason retrying cannot fix (bad login, revoked device …)."""

    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body
        message = body.get("message_zh") or body.get("message") if isinstance(body, dict) else str(body)
        super().__init__(f"HTTP {status}: {message}")


class TabletClient:
    """One tablet. ``http`` is any ``httpx.AsyncClient`` (tests pass the app's test client)."""

    def __init__(
        self, store: LocalStore, http: httpx.AsyncClient, *, max_attempts: int = 6, backoff: float = 0.5,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, batch_size: int = 100,
    ) -> None:
        self.store = store
        self.http = http
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.sleep = sleep
        self.batch_size = batch_size

    # --- session ---------------------------------------------------------------------------------

    async def login(self, username: str, password: str, device_id: str | None = None, device_name: str = "") -> str:
        """Log in as this tablet (enrolling it at first login); returns the device id."""
        device_id = device_id or self.store.get("device_id") or str(uuid.uuid4())
        body = {"username": username, "password": password, "device_id": device_id, "device_name": device_name}
        response = await self._send("POST", "/api/v1/auth/login", json=body, authorised=False)
        tokens = response.json()
        self.store.set(device_id=device_id, access_token=tokens["access_token"], refresh_token=tokens["refresh_token"], user_id=tokens["user_id"])
        return device_id

    async def _refresh(self) -> bool:
        token = self.store.get("refresh_token")
        if not token:
            return False
        response = await self.http.post("/api/v1/auth/refresh", json={"refresh_token": token})
        if response.status_code != 200:
            return False
        tokens = response.json()
        self.store.set(access_token=tokens["access_token"], refresh_token=tokens["refresh_token"])
        return True

    async def _send(self, method: str, url: str, *, authorised: bool = True, **kwargs: Any) -> httpx.Response:
        """One request with retry and backoff on network errors and temporary answers."""
        refreshed = False
        for attempt in range(1, self.max_attempts + 1):
            headers = dict(kwargs.pop("headers", None) or {})
            if authorised and self.store.get("access_token"):
                headers["Authorization"] = f"Bearer {self.store.get('access_token')}"
            try:
                response = await self.http.request(method, url, headers=headers, **kwargs)
            except httpx.TransportError:
                if attempt == self.max_attempts:
                    raise
                await self._wait(attempt, None)
                kwargs["headers"] = {k: v for k, v in headers.items() if k != "Authorization"}
                continue
            kwargs["headers"] = {k: v for k, v in headers.items() if k != "Authorization"}
            if response.status_code == 401 and authorised and not refreshed and _code(response) in ("invalid_token", "unauthorized"):
                refreshed = True
                if await self._refresh():
                    continue
            if response.status_code in RETRY_STATUSES and attempt < self.max_attempts:
                await self._wait(attempt, response.headers.get("retry-after"))
                continue
            if response.status_code >= 400 and method != "HEAD":
                raise SyncError(response.status_code, _json(response))
            return response
        raise AssertionError("unreachable")

    async def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * (2 ** (attempt - 1)) * (0.5 + random.random())
        if retry_after and retry_after.isdigit():
            delay = max(delay, float(retry_after))
        await self.sleep(min(delay, 60.0))

    # --- outbox ----------------------------------------------------------------------------------

    def enqueue(self, record: dict[str, Any]) -> str:
        """Queue a record made offline (an ``id`` is generated when missing); checked locally first."""
        record = dict(record)
        record.setdefault("id", str(uuid.uuid4()))
        msgspec.json.decode(msgspec.json.encode(record), type=PushRecord)  # a malformed record fails here, not on the server
        self.store.enqueue(record)
        return record["id"]

    def attach(self, path: str | Path) -> str:
        """Register a local photo/signature file; returns its sha256 (reference it in records)."""
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)
        sha = digest.hexdigest()
        self.store.add_attachment(sha, str(path))
        return sha

    def update_hazard(self, hazard_id: str, transition: dict[str, Any]) -> str:
        """Queue a lifecycle step on a pulled hazard, based on the version this tablet has.

        The local copy takes the step at once (status, version + 1), so further offline steps
        build on it; the next pull replaces it with the server's truth.
        """
        hazard = self.store.record("hazard", hazard_id)
        if hazard is None:
            raise KeyError(f"hazard {hazard_id} is not on this tablet; pull first")
        record_id = self.enqueue({"kind": "hazard_update", "hazard_id": hazard_id, "base_version": hazard["version"], "transition": transition})
        self.store.put_record("hazard", hazard_id, {**hazard, "status": transition.get("to_status", hazard["status"]), "version": hazard["version"] + 1})
        return record_id

    async def push(self) -> list[dict[str, Any]]:
        """Send the whole outbox in batches; returns every result received."""
        results: list[dict[str, Any]] = []
        while True:
            batch = self.store.pending(self.batch_size)
            if not batch:
                return results
            ids = [r["id"] for r in batch]
            try:
                response = await self._send("POST", "/api/v1/sync/push", json={"records": batch})
            except (httpx.TransportError, SyncError) as exc:
                self.store.note_attempt(ids, str(exc))
                raise
            answered = response.json()["results"]
            self.store.acknowledge(answered)
            results.extend(answered)
            for result in answered:
                for sha in result.get("missing_attachments", []):
                    await self.upload(sha)

    async def upload(self, sha: str) -> bool:
        """Upload one registered attachment, resuming from what the server has; False if not on this tablet."""
        path = self.store.attachment_path(sha)
        if path is None or not Path(path).exists():
            return False
        head = await self._send("HEAD", f"/api/v1/attachments/{sha}")
        if head.headers.get("upload-complete") == "1":
            return True
        offset = int(head.headers.get("upload-offset", "0"))
        size = Path(path).stat().st_size
        with open(path, "rb") as handle:
            while offset < size:
                handle.seek(offset)
                chunk = handle.read(4 * CHUNK)
                response = await self._send(
                    "PUT", f"/api/v1/attachments/{sha}", content=chunk,
                    headers={"Content-Range": f"bytes {offset}-{offset + len(chunk) - 1}/{size}", "Content-Type": "application/octet-stream"},
                )
                offset = int(response.headers.get("upload-offset", offset + len(chunk)))
        return True

    # --- pull ------------------------------------------------------------------------------------

    async def pull(self, limit: int = 500) -> int:
        """Pull until the server has nothing more; returns how many items were applied."""
        applied = 0
        while True:
            params: dict[str, Any] = {"limit": limit}
            cursor = self.store.get("cursor")
            if cursor:
                params["cursor"] = cursor
            body = (await self._send("GET", "/api/v1/sync/pull", params=params)).json()
            self.store.apply_pull(body["items"], body["cursor"], body["reset"])
            self.store.set(server_time=body["server_time"])
            applied += len(body["items"])
            if not body["has_more"]:
                return applied

    def status(self) -> dict[str, Any]:
        """What this tablet holds: queued records, answered results, pulled records."""
        return {
            "device_id": self.store.get("device_id"),
            "user_id": self.store.get("user_id"),
            "pending": self.store.pending_count(),
            "results": self.store.result_counts(),
            "records": self.store.counts(),
            "cursor": self.store.get("cursor"),
            "server_time": self.store.get("server_time"),
        }


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def _code(response: httpx.Response) -> str | None:
    body = _json(response)
    return body.get("code") if isinstance(body, dict) else None
