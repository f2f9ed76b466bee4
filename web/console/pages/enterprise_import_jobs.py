"""A checked import file kept on disk between the console's requests, written a chunk per request.

Kept under the data dir, per user, under a random token: ``console-imports/<user id>/<token>/``
holds ``job.json`` (counts, progress, errors) and the decoded rows, one file per chunk. Disk, not
memory, so any server process can take the next chunk; a lock file taken without waiting
(``flock``) lets only one request write a chunk at a time, and the page's ``offset`` must equal the
job's progress, so a repeated or doubled request writes nothing twice. The rows are removed when
the last chunk is written; whatever is left is removed a day after it was last touched.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import msgspec

from core.enterprises.bulk_import import CHUNK, ImportCheck, ImportRow
from core.enterprises.wire import ImportReport, ImportRowError

KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")


class ImportJob(msgspec.Struct, kw_only=True):
    """One checked file and how far its writing has come."""

    token: str
    filename: str
    created_at: datetime
    total: int
    to_create: int
    to_update: int
    chunks: int
    columns: dict[str, str]
    done: int = 0
    created: int = 0
    updated: int = 0
    failed: int = 0
    errors: list[ImportRowError] = msgspec.field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else self.done * 100 // self.total


def _root(data_dir: str) -> Path:
    return Path(data_dir) / "console-imports"


def _folder(data_dir: str, user_id: str, token: str) -> Path | None:
    if not _TOKEN.match(token) or not re.fullmatch(r"[0-9a-fA-F-]{1,36}", user_id):
        return None
    return _root(data_dir) / user_id / token


def _write_json(path: Path, value: object) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(msgspec.json.encode(value))
    os.replace(temporary, path)


def sweep(data_dir: str, now: float | None = None) -> None:
    """Remove every job (any user's) untouched for a day: an abandoned upload does not stay."""
    root = _root(data_dir)
    limit = (now or time.time()) - KEEP_SECONDS
    for folder in root.glob("*/*") if root.exists() else []:
        try:
            if (folder / "job.json").stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            shutil.rmtree(folder, ignore_errors=True)


def create(data_dir: str, user_id: str, filename: str, check: ImportCheck, now: datetime) -> ImportJob:
    """Keep a clean file's rows for ``user_id`` and return its job (not started)."""
    token = secrets.token_urlsafe(16)
    folder = _folder(data_dir, user_id, token)
    assert folder is not None
    folder.mkdir(parents=True)
    chunks = 0
    for start in range(0, len(check.rows), CHUNK):
        _write_json(folder / f"rows-{chunks:05d}.json", check.rows[start:start + CHUNK])
        chunks += 1
    job = ImportJob(token=token, filename=filename[:200], created_at=now, total=len(check.rows), to_create=check.to_create,
                    to_update=check.to_update, chunks=chunks, columns=check.columns)
    _write_json(folder / "job.json", job)
    return job


def load(data_dir: str, user_id: str, token: str) -> ImportJob | None:
    """The user's job with this token; None when absent, another user's, or removed."""
    folder = _folder(data_dir, user_id, token)
    try:
        return msgspec.json.decode((folder / "job.json").read_bytes(), type=ImportJob) if folder else None
    except (FileNotFoundError, msgspec.DecodeError):
        return None


@contextmanager
def locked(data_dir: str, user_id: str, token: str) -> Iterator[bool]:
    """Hold the job's write lock if nobody else does (yields False, without waiting, if another request has it)."""
    folder = _folder(data_dir, user_id, token)
    if folder is None or not folder.exists():
        yield False
        return
    with open(folder / "lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def next_rows(data_dir: str, user_id: str, job: ImportJob) -> list[ImportRow]:
    """The rows of the next chunk to write (empty when done)."""
    folder = _folder(data_dir, user_id, job.token)
    index = job.done // CHUNK
    if folder is None or job.finished or index >= job.chunks:
        return []
    return msgspec.json.decode((folder / f"rows-{index:05d}.json").read_bytes(), type=list[ImportRow])


def record(data_dir: str, user_id: str, job: ImportJob, written: int, report: ImportReport) -> ImportJob:
    """Save a chunk's result; once the last is written, the rows are removed (the counts stay a day)."""
    folder = _folder(data_dir, user_id, job.token)
    assert folder is not None
    job.done += written
    job.created += report.created
    job.updated += report.updated
    job.failed += report.failed
    job.errors.extend(report.errors)
    _write_json(folder / "job.json", job)
    if job.finished:
        for rows in folder.glob("rows-*.json"):
            rows.unlink(missing_ok=True)
    return job
