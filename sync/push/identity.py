"""A pushed record's identity hash: sha256 of its canonical encoding.

Computed from the decoded record (so JSON and MessagePack, key order, whitespace and equivalent
timestamp spellings all give one hash). Whether a referenced photo has been uploaded yet is not
in the record at all, so a resend with more or fewer photos uploaded hashes the same.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import msgspec

from sync.wire import ItemAnswer, PushRecord, SubmissionRecord

_encoder = msgspec.json.Encoder(order="sorted")


def record_hash(record: PushRecord) -> str:
    """Hex sha256 of the record's canonical JSON (sorted keys, UTC times, integral numbers as
    integers; defaults omitted as on the wire)."""
    if isinstance(record, SubmissionRecord):
        answers = record.answers
        record = msgspec.structs.replace(record, answers={})
    else:
        answers = None
    data = _normalise(msgspec.to_builtins(record, builtin_types=(datetime,)))
    if answers is not None:
        # The bulk of a submission. An answer holds no time and only ``value`` may be a number, so
        # answers are encoded straight from the wire structs (the same bytes as through builtins,
        # without building 120 dicts per submission), but for those with an integral float value.
        data["answers"] = {code: _integral(answer) if _is_integral(answer.value) else answer for code, answer in answers.items()}
    return hashlib.sha256(_encoder.encode(data)).hexdigest()


def _is_integral(value: object) -> bool:
    return isinstance(value, float) and value.is_integer()


def _integral(answer: ItemAnswer) -> dict[str, object]:
    data = msgspec.to_builtins(answer)
    data["value"] = int(answer.value)  # type: ignore[arg-type]
    return data  # type: ignore[no-any-return]


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
