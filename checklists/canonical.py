"""Canonical content of a checklist version and its sha256.

A published version is identified by its content hash; tablets and submissions pin it. The
canonical form must therefore depend only on what the definition means, not on how it was
written: keys are sorted, defaults are omitted (``points: 0`` and no ``points`` are the same
checklist), numbers are decoded to their schema types first (``5`` and ``5.0`` for a float field
are the same), and the format (YAML, TOML, JSON) does not matter.
"""

from __future__ import annotations

import hashlib

import msgspec

from checklists.schema import Checklist


def canonical_bytes(checklist: Checklist) -> bytes:
    """Compact JSON of the checklist, keys sorted, defaults omitted, UTF-8 (not ASCII-escaped)."""
    return msgspec.json.encode(checklist, order="sorted")


def content_hash(checklist: Checklist) -> str:
    """Hex sha256 of :func:`canonical_bytes`."""
    return hashlib.sha256(canonical_bytes(checklist)).hexdigest()


def from_canonical(content: bytes) -> Checklist:
    """Decode stored canonical content back into a checklist."""
    return msgspec.json.decode(content, type=Checklist)
