"""Attachments: content-addressed, hash verified, size-limited, resumable."""

from __future__ import annotations

import hashlib
import os


async def test_interrupted_upload_resumes_from_received_bytes(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    client = world.api.client
    url = f"/api/v1/attachments/{sha}"
    assert (await client.head(url, headers=tablet.headers)).status_code == 404
    # The first 100 000 bytes arrive, then the connection drops.
    first = await client.put(url, content=data[:100_000], headers={**tablet.headers, "Content-Range": f"bytes 0-99999/{len(data)}"})
    assert first.status_code == 200 and first.json() == {"sha256": sha, "complete": False, "received": 100_000, "max_bytes": world.api.ctx.settings.attachment_max_bytes}
    head = await client.head(url, headers=tablet.headers)
    assert head.headers["upload-offset"] == "100000" and head.headers["upload-complete"] == "0"
    # Resuming from the wrong place is refused with where to resume.
    wrong = await client.put(url, content=data[50_000:], headers={**tablet.headers, "Upload-Offset": "50000", "Upload-Length": str(len(data))})
    assert wrong.status_code == 409 and wrong.headers["upload-offset"] == "100000"
    rest = await client.put(url, content=data[100_000:], headers={**tablet.headers, "Upload-Offset": "100000", "Upload-Length": str(len(data))})
    assert rest.status_code == 200 and rest.json()["complete"] is True
    head = await client.head(url, headers=tablet.headers)
    assert head.headers["upload-complete"] == "1" and head.headers["upload-offset"] == str(len(data))
    # A submission referencing it no longer lists it as missing.
    record = world.submission(photos=[sha, "b" * 64])
    [result] = await world.push(tablet, record)
    assert result["missing_attachments"] == ["b" * 64]


async def test_wrong_content_is_discarded_and_size_is_limited(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    client = world.api.client
    sha = hashlib.sha256(b"the real photo").hexdigest()
    bad = await client.put(f"/api/v1/attachments/{sha}", content=b"something else", headers=tablet.headers)
    assert bad.status_code == 400 and bad.json()["code"] == "hash_mismatch"
    assert (await client.head(f"/api/v1/attachments/{sha}", headers=tablet.headers)).status_code == 404
    good = await client.put(f"/api/v1/attachments/{sha}", content=b"the real photo", headers=tablet.headers)
    assert good.status_code == 200 and good.json()["complete"] is True
    huge = world.api.ctx.settings.attachment_max_bytes + 1
    too_big = await client.put(f"/api/v1/attachments/{'c' * 64}", content=b"x", headers={**tablet.headers, "Content-Range": f"bytes 0-0/{huge}"})
    assert too_big.status_code == 413
    assert (await client.put("/api/v1/attachments/not-a-hash", content=b"x", headers=tablet.headers)).json()["field"] == "sha256"
