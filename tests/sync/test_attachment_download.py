"""Downloading an attachment: its media type from its content, ETag = its sha256 (304 when the
client has it), a single byte range (206, or 416 past the end), and all of it only for those who
may see the file; and who may see it: a record referencing it, documents' signatures included."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime

import pytest

from plugins.documents.authorities import DocumentAuthority
from plugins.documents.records import DocumentSignature, EnforcementDocument
from sync.attachment_download import RangeNotSatisfiable, byte_range, etag_matches, media_type_of

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(5000)
PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(3000)


def test_media_types_are_read_from_the_first_bytes() -> None:
    assert media_type_of(JPEG[:16]) == "image/jpeg"
    assert media_type_of(PNG[:16]) == "image/png"
    assert media_type_of(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert media_type_of(b"\x00\x00\x00\x18ftypheic\x00\x00") == "image/heic"
    assert media_type_of(b"%PDF-1.7\n") == "application/pdf"
    assert media_type_of(b"GIF89a") == "image/gif"
    for other in (b"", b"<svg xmlns=", b"<html><script>", os.urandom(16)[:3]):
        assert media_type_of(other) == "application/octet-stream"


def test_byte_ranges_as_rfc_9110_reads_them() -> None:
    assert byte_range("bytes=0-99", 1000) == (0, 99)
    assert byte_range("bytes=900-", 1000) == (900, 999)
    assert byte_range("bytes=-100", 1000) == (900, 999)
    assert byte_range("bytes=-5000", 1000) == (0, 999)  # a suffix longer than the file is all of it
    assert byte_range("bytes=990-5000", 1000) == (990, 999)  # the last byte is clamped
    assert byte_range("BYTES = 5 - 9", 1000) == (5, 9)
    for ignored in (None, "", "bytes=0-1,5-9", "items=0-9", "bytes=9-5", "bytes=-", "bytes=abc", "bytes=0-99 junk"):
        assert byte_range(ignored, 1000) is None
    for unsatisfiable in ("bytes=1000-", "bytes=5000-6000", "bytes=-0"):
        with pytest.raises(RangeNotSatisfiable) as raised:
            byte_range(unsatisfiable, 1000)
        assert raised.value.headers["Content-Range"] == "bytes */1000" and raised.value.field == "Range"


def test_if_none_match_compares_tags_weakly() -> None:
    sha = "a" * 64
    assert etag_matches(f'"{sha}"', sha) and etag_matches(f'W/"{sha}"', sha) and etag_matches(f'"x", "{sha}"', sha) and etag_matches("*", sha)
    assert not etag_matches(None, sha) and not etag_matches('"b"', sha) and not etag_matches(sha, sha)  # unquoted is no tag


async def _uploaded(world, tablet, data: bytes) -> str:  # type: ignore[no-untyped-def]
    sha = hashlib.sha256(data).hexdigest()
    response = await world.api.client.put(f"/api/v1/attachments/{sha}", content=data, headers=tablet.headers)
    assert response.json()["complete"] is True
    return sha


async def test_the_whole_file_with_its_type_and_tag_then_304_for_a_client_that_has_it(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    client = world.api.client
    for data, media_type in ((JPEG, "image/jpeg"), (PNG, "image/png"), (os.urandom(2000), "application/octet-stream")):
        sha = await _uploaded(world, tablet, data)
        url = f"/api/v1/attachments/{sha}"
        got = await client.get(url, headers=tablet.headers)
        assert got.status_code == 200 and got.content == data
        assert got.headers["content-type"] == media_type and got.headers["etag"] == f'"{sha}"'
        assert got.headers["accept-ranges"] == "bytes" and got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["content-length"] == str(len(data))
        assert got.headers["content-disposition"].startswith("attachment" if media_type == "application/octet-stream" else "inline")
        for tag in (f'"{sha}"', f'W/"{sha}"', f'"other", "{sha}"', "*"):
            cached = await client.get(url, headers={**tablet.headers, "If-None-Match": tag})
            assert cached.status_code == 304, cached.text
            assert cached.content == b"" and cached.headers["etag"] == f'"{sha}"'
        stale = await client.get(url, headers={**tablet.headers, "If-None-Match": '"' + "0" * 64 + '"'})
        assert stale.status_code == 200 and stale.content == data


async def test_a_single_range_answers_206_and_one_past_the_end_416(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    client = world.api.client
    data = JPEG + os.urandom(200_000)  # longer than one read chunk
    size = len(data)
    sha = await _uploaded(world, tablet, data)
    url = f"/api/v1/attachments/{sha}"
    for header, (first, last) in (("bytes=0-99", (0, 99)), ("bytes=100000-", (100_000, size - 1)), ("bytes=-10", (size - 10, size - 1)),
                                  (f"bytes=70000-{size + 50}", (70_000, size - 1)), ("bytes=65530-65545", (65_530, 65_545))):
        part = await client.get(url, headers={**tablet.headers, "Range": header})
        assert part.status_code == 206, header
        assert part.content == data[first:last + 1]
        assert part.headers["content-range"] == f"bytes {first}-{last}/{size}"
        assert part.headers["content-length"] == str(last - first + 1)
        assert part.headers["content-type"] == "image/jpeg" and part.headers["etag"] == f'"{sha}"'
    beyond = await client.get(url, headers={**tablet.headers, "Range": f"bytes={size}-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{size}"
    assert beyond.json()["code"] == "range_not_satisfiable" and beyond.json()["field"] == "Range" and beyond.json()["message_zh"]
    # What a server may ignore is ignored: the whole file.
    for ignored in ("bytes=0-9,20-29", "lines=1-2", "bytes=50-10"):
        whole = await client.get(url, headers={**tablet.headers, "Range": ignored})
        assert whole.status_code == 200 and whole.content == data, ignored
    # If-Range: the range only while the client's copy is this file.
    assert (await client.get(url, headers={**tablet.headers, "Range": "bytes=0-9", "If-Range": f'"{sha}"'})).status_code == 206
    other = await client.get(url, headers={**tablet.headers, "Range": "bytes=0-9", "If-Range": '"' + "1" * 64 + '"'})
    assert other.status_code == 200 and other.content == data


async def test_ranges_and_tags_tell_an_outsider_nothing(world) -> None:  # type: ignore[no-untyped-def]
    tablet = await world.tablet("insp1")
    outsider = await world.tablet("far", region_code="510104", industries=["hazchem"])
    client = world.api.client
    sha = await _uploaded(world, tablet, JPEG)
    unknown = hashlib.sha256(os.urandom(8)).hexdigest()
    for headers in ({"Range": "bytes=0-9"}, {"If-None-Match": f'"{sha}"'}, {"Range": "bytes=999999-"}):
        seen = await client.get(f"/api/v1/attachments/{sha}", headers={**outsider.headers, **headers})
        fresh = await client.get(f"/api/v1/attachments/{unknown}", headers={**outsider.headers, **headers})
        assert seen.status_code == fresh.status_code == 404 and seen.json() == fresh.json()


async def test_a_signature_on_a_document_is_seen_by_who_sees_the_document(world) -> None:  # type: ignore[no-untyped-def]
    """A signature added to a document after the inspection is referenced by no submission or hazard."""
    signer = await world.tablet("insp1")
    colleague = await world.tablet("insp2")
    outsider = await world.tablet("far", region_code="510104", industries=["hazchem"])
    owner = await world.api.as_new("enterprise_user", enterprise_id=world.enterprise["id"])
    client = world.api.client
    sha = await _uploaded(world, signer, PNG)
    url = f"/api/v1/attachments/{sha}"
    assert (await client.get(url, headers=colleague.headers)).status_code == 404
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    async with world.api.direct.db.write() as session:
        authority = DocumentAuthority(region_code="510681", name="广汉市应急管理局", short_name="广", review_body="德阳市应急管理局", court="广汉市人民法院", created_at=now, updated_at=now)
        session.add(authority)
        await session.flush()
        document = EnforcementDocument(
            type_code="inspection_record", title="现场检查记录", authority_id=authority.id, year=2026, seq=1, number="广应急检记〔2026〕1号",
            enterprise_id=world.enterprise["id"], region_code="510681", industries=["hazchem"], content={}, content_hash="0" * 64, status="issued", issued_at=now,
        )
        session.add(document)
        await session.flush()
        session.add(DocumentSignature(document_id=document.id, role="enterprise", name="王经理", sha256=sha, source="api", signed_at=now))
    for headers in (colleague.headers, owner, world.admin):
        got = await client.get(url, headers=headers)
        assert got.status_code == 200 and got.content == PNG
    assert (await client.get(url, headers=outsider.headers)).status_code == 404
