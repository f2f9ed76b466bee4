"""Attachments: content-addressed, hash verified, size-limited, resumable; partial uploads owned,
expiring and under a per-device quota; finished ones shown only to who may see them."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import pytest
from sqlmodel import col, select

from core.storage.audit_log import AuditEntry
from sync.attachments import AttachmentStore, Owner, QuotaExceeded
from tests.conftest import make_settings


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


# --- ownership, expiry, quota, scoped reads --------------------------------------------------------

QUOTA = 400_000


@pytest.fixture
def sync_settings(any_db_url, tmp_path):  # type: ignore[no-untyped-def]
    """The sync world with a small per-device quota of unfinished uploads."""
    return make_settings(any_db_url, str(tmp_path / "data"), device_upload_quota_bytes=QUOTA)


def _headers_of(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {k: v for k, v in response.headers.items() if k.lower() not in ("date", "x-request-id")}


async def _same_as_unknown(client, url: str, headers: dict[str, str], method: str = "HEAD") -> None:  # type: ignore[no-untyped-def]
    """``url`` answers exactly as a sha256 nobody ever uploaded."""
    unknown = f"/api/v1/attachments/{hashlib.sha256(os.urandom(16)).hexdigest()}"
    seen = await client.request(method, url, headers=headers)
    fresh = await client.request(method, unknown, headers=headers)
    assert seen.status_code == fresh.status_code == 404
    assert _headers_of(seen) == _headers_of(fresh) and seen.content == fresh.content


async def test_a_partial_upload_belongs_to_its_user_and_device(world) -> None:  # type: ignore[no-untyped-def]
    owner = await world.tablet("insp1")
    other = await world.tablet("insp2")
    client = world.api.client
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    url = f"/api/v1/attachments/{sha}"
    assert (await client.put(url, content=data[:100_000], headers={**owner.headers, "Content-Range": f"bytes 0-99999/{len(data)}"})).json()["received"] == 100_000
    # Another user sees nothing of it...
    await _same_as_unknown(client, url, other.headers)
    # ...cannot continue it, nor finish it with other bytes (which discarded the owner's partial)...
    hijack = await client.put(url, content=os.urandom(200_000), headers={**other.headers, "Upload-Offset": "100000", "Upload-Length": str(len(data))})
    assert hijack.status_code == 409 and hijack.headers["upload-offset"] == "0"
    garbage = await client.put(url, content=os.urandom(1000), headers=other.headers)
    assert garbage.status_code == 400 and garbage.json()["code"] == "hash_mismatch"
    # ...and neither can the same user from another tablet.
    second_tablet = await world.api.login("insp1", device_id=str(uuid.uuid4()))
    await _same_as_unknown(client, url, second_tablet)
    head = await client.head(url, headers=owner.headers)
    assert head.status_code == 200 and head.headers["upload-offset"] == "100000"
    rest = await client.put(url, content=data[100_000:], headers={**owner.headers, "Upload-Offset": "100000", "Upload-Length": str(len(data))})
    assert rest.json()["complete"] is True
    assert (await client.get(url, headers=owner.headers)).content == data
    async with world.api.ctx.db.read() as session:
        entry = (await session.exec(select(AuditEntry).where(col(AuditEntry.action) == "attachment_uploaded"))).one()
    assert entry.entity_id == sha and entry.actor_id == owner.user_id and entry.after == {"size": len(data), "device_id": owner.device_id}


async def test_two_users_uploading_the_same_photo_each_finish_their_own(world) -> None:  # type: ignore[no-untyped-def]
    first, second = await world.tablet("insp1"), await world.tablet("insp2")
    client = world.api.client
    data = os.urandom(50_000)
    url = f"/api/v1/attachments/{hashlib.sha256(data).hexdigest()}"
    assert (await client.put(url, content=data[:20_000], headers={**second.headers, "Content-Range": "bytes 0-19999/50000"})).json()["complete"] is False
    assert (await client.put(url, content=data, headers=first.headers)).json()["complete"] is True
    # The second still has to send the content to learn it is stored: knowing the hash is not enough.
    assert (await client.head(url, headers=second.headers)).headers["upload-offset"] == "20000"
    done = await client.put(url, content=data[20_000:], headers={**second.headers, "Content-Range": "bytes 20000-49999/50000"})
    assert done.json() == {"sha256": url.rsplit("/", 1)[1], "complete": True, "received": 50_000, "max_bytes": world.api.ctx.settings.attachment_max_bytes}
    assert (await client.get(url, headers=second.headers)).content == data


async def test_unfinished_uploads_expire_after_the_configured_hours(world, clock) -> None:  # type: ignore[no-untyped-def]
    from core.scheduler.catalogue import JOBS
    from core.scheduler.runner import run_job

    assert "upload_expiry" in JOBS and world.api.ctx.settings.upload_expiry_hours == 48
    tablet = await world.tablet("insp1")
    client = world.api.client
    stale, fresh = os.urandom(10_000), os.urandom(10_000)
    for data in (stale, fresh):
        url = f"/api/v1/attachments/{hashlib.sha256(data).hexdigest()}"
        await client.put(url, content=data[:4000], headers={**tablet.headers, "Content-Range": "bytes 0-3999/10000"})
    # A partial file of the layout before owners is swept as well.
    legacy = Path(world.api.ctx.settings.data_dir) / "attachments" / "ab" / ("c" * 62 + ".partial")
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(b"x" * 500)
    os.utime(legacy, (clock.now().timestamp(), clock.now().timestamp()))
    clock.advance(hours=47)
    tablet.headers = await world.api.login("insp1", device_id=tablet.device_id)  # the access token expired meanwhile
    fresh_url = f"/api/v1/attachments/{hashlib.sha256(fresh).hexdigest()}"
    assert (await client.put(fresh_url, content=fresh[4000:6000], headers={**tablet.headers, "Content-Range": "bytes 4000-5999/10000"})).status_code == 200
    kept = await run_job(world.api.ctx, "upload_expiry")
    assert kept.status == "done" and kept.result == {"removed": 0, "bytes": 0}
    clock.advance(hours=2)
    tablet.headers = await world.api.login("insp1", device_id=tablet.device_id)
    run = await run_job(world.api.ctx, "upload_expiry")
    assert run.result == {"removed": 2, "bytes": 4500}
    await _same_as_unknown(client, f"/api/v1/attachments/{hashlib.sha256(stale).hexdigest()}", tablet.headers)
    assert not legacy.exists()
    assert (await client.head(fresh_url, headers=tablet.headers)).headers["upload-offset"] == "6000"
    async with world.api.ctx.db.read() as session:
        entry = (await session.exec(select(AuditEntry).where(col(AuditEntry.action) == "attachment_uploads_expired"))).one()
    assert entry.actor_name == "system" and entry.after["count"] == 2 and entry.after["bytes"] == 4500
    assert {u["sha256"] for u in entry.after["uploads"]} == {hashlib.sha256(stale).hexdigest(), "ab" + "c" * 62}


async def test_unfinished_uploads_count_against_a_per_device_quota(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    client = world.api.client
    big, second = os.urandom(300_000), os.urandom(200_000)
    big_url, second_url = (f"/api/v1/attachments/{hashlib.sha256(d).hexdigest()}" for d in (big, second))
    assert (await client.put(big_url, content=big[:250_000], headers={**tablet.headers, "Content-Range": "bytes 0-249999/300000"})).status_code == 200
    # 250 000 pending + a declared 200 000 is over the 400 000 quota: refused before any byte is kept.
    declared = await client.put(second_url, content=second[:1000], headers={**tablet.headers, "Content-Range": "bytes 0-999/200000"})
    assert declared.status_code == 413 and declared.json()["code"] == "upload_quota_exceeded"
    assert "配额" in declared.json()["message_zh"] and declared.json()["pending_bytes"] == 250_000
    whole = await client.put(second_url, content=second, headers=tablet.headers)
    assert whole.status_code == 413 and whole.json()["code"] == "upload_quota_exceeded"

    async def chunked():  # no length declared at all (chunked encoding): stopped when the quota is reached
        for start in range(0, len(second), 50_000):
            yield second[start:start + 50_000]

    # (The test client cannot stream a request body: the store is called as the endpoint calls it.)
    store = AttachmentStore(world.api.ctx.settings)
    with pytest.raises(QuotaExceeded):
        await store.receive(hashlib.sha256(second).hexdigest(), Owner(tablet.user_id, tablet.device_id), chunked(), offset=None, total=None, length=None, now=world.api.ctx.clock.now())
    assert (await client.head(second_url, headers=tablet.headers)).status_code == 404
    # Another device has its own quota.
    other = await world.tablet("insp2")
    assert (await client.put(second_url, content=second, headers=other.headers)).json()["complete"] is True
    # Finishing the big upload frees the device's quota.
    assert (await client.put(big_url, content=big[250_000:], headers={**tablet.headers, "Content-Range": "bytes 250000-299999/300000"})).json()["complete"] is True
    assert (await client.put(second_url, content=second, headers=tablet.headers)).json()["complete"] is True


async def test_head_and_get_answer_only_who_uploaded_or_may_see_a_referencing_record(world) -> None:  # type: ignore[no-untyped-def]
    client = world.api.client
    author = await world.tablet("insp1")
    colleague = await world.tablet("insp2")  # same county and industry
    outsider = await world.tablet("insp3", region_code="510104", industries=["hazchem"])
    photo, evidence, loose = os.urandom(20_000), os.urandom(20_000), os.urandom(20_000)
    sha_photo, sha_evidence, sha_loose = (hashlib.sha256(d).hexdigest() for d in (photo, evidence, loose))
    for data in (photo, evidence, loose):
        assert (await client.put(f"/api/v1/attachments/{hashlib.sha256(data).hexdigest()}", content=data, headers=author.headers)).json()["complete"]
    record = world.submission(photos=[sha_photo], answers={"CC-1": {"result": "fail", "photos": [sha_evidence]}, "CC-2": {"value": 21.5}, "CC-3": {"result": "pass"}})
    [result] = await world.push(author, record)
    assert result["status"] == "accepted" and result["hazard_ids"]

    for sha, data in ((sha_photo, photo), (sha_evidence, evidence)):
        url = f"/api/v1/attachments/{sha}"
        head = await client.head(url, headers=colleague.headers)
        assert head.status_code == 200 and head.headers["upload-complete"] == "1" and head.headers["upload-offset"] == str(len(data))
        got = await client.get(url, headers=colleague.headers)
        assert got.status_code == 200 and got.content == data and got.headers["content-type"] == "application/octet-stream"
        assert (await client.get(url, headers=world.admin)).content == data
        await _same_as_unknown(client, url, outsider.headers)
        await _same_as_unknown(client, url, outsider.headers, method="GET")
    # Referenced by nothing: only its uploader sees it.
    await _same_as_unknown(client, f"/api/v1/attachments/{sha_loose}", colleague.headers)
    assert (await client.get(f"/api/v1/attachments/{sha_loose}", headers=author.headers)).content == loose
    # The enterprise's own user may read the inspection back (GET /api/v1/inspections/{id}), so its
    # photos too; a user of another enterprise sees none of them.
    owner = await world.api.as_new("enterprise_user", enterprise_id=world.enterprise["id"])
    assert (await client.get(f"/api/v1/attachments/{sha_evidence}", headers=owner)).content == evidence
    assert (await client.get(f"/api/v1/attachments/{sha_photo}", headers=owner)).content == photo
    other = await world.api.enterprise(world.admin, name="广汉市另一家化工有限公司")
    stranger = await world.api.as_new("enterprise_user", enterprise_id=other["id"])
    for sha in (sha_photo, sha_evidence):
        await _same_as_unknown(client, f"/api/v1/attachments/{sha}", stranger, method="GET")
    # A part of the file proves nothing; the whole content does.
    part = await client.put(f"/api/v1/attachments/{sha_photo}", content=photo[:5000], headers={**outsider.headers, "Content-Range": f"bytes 0-4999/{len(photo)}"})
    assert part.json()["complete"] is False and part.json()["received"] == 5000
    rest = await client.put(f"/api/v1/attachments/{sha_photo}", content=photo[5000:], headers={**outsider.headers, "Content-Range": f"bytes 5000-{len(photo) - 1}/{len(photo)}"})
    assert rest.json()["complete"] is True
    assert (await client.get(f"/api/v1/attachments/{sha_photo}", headers=outsider.headers)).content == photo
