"""A pushed record's identity hash: sha256 of its canonical encoding.

Computed from the decoded record (so JSON and MessagePack, key order, whitespace and equivalent
timestamp spellings all give one hash). Whether a referenced photo has been uploaded yet is not
in the record at all, so a resend with more or fewer photos uploaded hashes the same.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import msgspec

from sync.wire import PushRecord, SubmissionRecord

_encoder = msgspec.json.Encoder(order="sorted")


def record_hash(record: PushRecord) -> str:
    """Hex sha256 of the record's canonical JSON (sorted keys, defaults included, UTC times)."""
    data = msgspec.to_builtins(record, builtin_types=(datetime,))
    answers = data.pop("answers", None) if isinstance(record, SubmissionRecord) else None
    data = _normalise(data)
    if answers is not None:
        # The bulk of a submission; an answer holds no time and only ``value`` may be a number.
        for answer in answers.values():
            value = answer.get("value")
            if isinstance(value, float) and value.is_integer():
                answer["value"] = int(value)
        data["answers"] = answers
    return hashlib.sha256(_encoder.encode(data)).hexdigest()


def _normalise(value):  # type: ignore[no-untyped-def]
    # Every spelling of one instant (offsets, precision) and of one number hashes the same.
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
