"""Core reads the attachment layout the tablet protocol writes: both must name the same file."""

from __future__ import annotations

from core.storage.attachment_files import attachment_path, missing_attachments
from sync.attachments import AttachmentStore
from tests.conftest import make_settings


def test_core_and_the_upload_store_agree_on_where_an_attachment_lies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}", str(tmp_path / "data"))
    digest = "ab" + "c" * 62
    assert attachment_path(settings.data_dir, digest) == AttachmentStore(settings).path(digest)
    assert missing_attachments(settings.data_dir, [digest, digest]) == [digest]
    attachment_path(settings.data_dir, digest).parent.mkdir(parents=True)
    attachment_path(settings.data_dir, digest).write_bytes(b"x")
    assert missing_attachments(settings.data_dir, [digest]) == [] == AttachmentStore(settings).missing([digest])
