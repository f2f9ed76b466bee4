"""Whether a batch's records may be stored in separate transactions side by side, judged from their
heads: what each record is and which others it names, read without decoding its answers.

Why heads: a batch cut into parts (``sync.push.group_commit``) used to be decoded whole before the first
part could start, 5–8 ms of a 50-submission request during which the database had nothing to do.
Reading the heads costs a fraction of that (the answers are skipped, not built), and each part then
decodes its own records when its turn comes.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from core.ids import canonical_uuid
from sync.codec import decode_raw


class _HazardHead(msgspec.Struct, gc=False):
    id: str | None = None


class RecordHead(msgspec.Struct, gc=False):
    """The fields of a pushed record that relate it to others (unknown fields are skipped)."""

    kind: str | None = None
    id: str | None = None
    replaces: str | None = None
    assignment_id: str | None = None
    hazards: list[_HazardHead] = msgspec.field(default_factory=list)


def read_heads(raws: Sequence[msgspec.Raw], content_type: str | None) -> list[RecordHead] | None:
    """Every record's head, or None when one cannot be read so (it is then decoded in full, which
    names what is wrong with it)."""
    try:
        return [decode_raw(raw, content_type, RecordHead) for raw in raws]
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None


def independent(heads: Sequence[RecordHead]) -> bool:
    """Whether the records may be stored side by side: there are some, submissions only, none naming another of the batch (a correction and what it corrects), no
    id, assignment or tablet hazard id twice (which of two goes first decides their verdicts)."""
    ids: set[str] = set()
    keys: set[str] = set()
    for head in heads:
        # Ids as decoding makes them (``sync.wire``): ids differing in letter case are one record, one hazard.
        record_id = _canonical(head.id)
        if head.kind != "submission" or record_id is None or record_id in ids:
            return False
        ids.add(record_id)
        for key in (_canonical(head.assignment_id), *(_canonical(h.id) for h in head.hazards if h.id)):
            if key is not None:
                if key in keys:
                    return False
                keys.add(key)
    return bool(ids) and not any(_canonical(head.replaces) in ids for head in heads)


def _canonical(value: str | None) -> str | None:
    return value if value is None else canonical_uuid(value) or value
