"""Where a finished attachment (photo, signature) lies: ``data_dir/attachments/ab/cdef…``.

The tablet protocol receives the bytes (``sync.attachments``, which files them here); core needs
only to know whether a referenced photo has arrived, e.g. before a hazard whose rectification
evidence is still on a tablet may be closed (``core.hazards.service``). Both read this layout, so
it is written once; ``tests/core/storage/test_attachment_files.py`` checks they agree.
"""

from __future__ import annotations

from pathlib import Path


def attachment_path(data_dir: str, sha256: str) -> Path:
    """The file of a completely received attachment (lower-case hex sha256)."""
    return Path(data_dir) / "attachments" / sha256[:2] / sha256[2:]


def missing_attachments(data_dir: str, refs: list[str]) -> list[str]:
    """The referenced digests not (completely) received yet, in order, each once. A stat per
    reference: cheap enough to ask inside a write transaction for a hazard's few photos."""
    return [ref for ref in dict.fromkeys(refs) if not attachment_path(data_dir, ref).exists()]
