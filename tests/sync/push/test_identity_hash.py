"""The identity hash is stored in every ledger row: it must never change for a given record, or a
tablet's replay of a record stored before an upgrade would be refused as ``id_in_use``."""

from __future__ import annotations

import msgspec

from sync.push.identity import record_hash
from sync.wire import SubmissionRecord

_RECORD = {
    "kind": "submission", "id": "0b7c2f0e-3f0a-4c1e-9d7a-000000000001", "enterprise_id": "e1", "checklist_id": "hazchem.general",
    "checklist_version": "1.0.0", "checklist_hash": "a" * 64, "started_at": "2026-01-01T08:00:00+08:00",
    "finished_at": "2026-01-01T09:00:00.5+08:00",
    "answers": {"A1": {"result": "pass"}, "A2": {"value": 3.0}, "A3": {"value": 2.5, "note": "消防通道堵塞"}},
    "gps": {"latitude": 30.0, "longitude": 104.5, "accuracy_m": 5},
    "hazards": [{"id": "0b7c2f0e-3f0a-4c1e-9d7a-000000000002", "description": "d", "level": "general", "found_at": "2026-01-01T01:00:00Z"}],
}
# Computed by the first released implementation (sync/push/identity.py before the push speed-up).
_PINNED = "fa6e83ea41c4c71cd99167a2f444b94da0b6c620688d18b816c48630b28de0e9"


def test_the_identity_hash_of_a_record_never_changes() -> None:
    assert record_hash(msgspec.convert(_RECORD, SubmissionRecord)) == _PINNED


def test_equivalent_spellings_hash_the_same() -> None:
    other = {
        **_RECORD,
        "started_at": "2026-01-01T00:00:00Z",  # the same instant, another offset
        "answers": {"A3": {"value": 2.5, "note": "消防通道堵塞"}, "A2": {"value": 3}, "A1": {"result": "pass"}},  # order, 3 == 3.0
    }
    assert record_hash(msgspec.convert(other, SubmissionRecord)) == _PINNED
    changed = {**_RECORD, "answers": {**_RECORD["answers"], "A2": {"value": 3.5}}}
    assert record_hash(msgspec.convert(changed, SubmissionRecord)) != _PINNED


def _reference_hash(record: SubmissionRecord) -> str:
    """The identity hash as first released (through builtins for the whole record): the spec."""
    import hashlib
    from datetime import UTC, datetime

    def normalise(value):  # type: ignore[no-untyped-def]
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if isinstance(value, dict):
            return {k: normalise(v) for k, v in value.items()}
        if isinstance(value, list):
            return [normalise(v) for v in value]
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    data = normalise(msgspec.to_builtins(record, builtin_types=(datetime,)))
    return hashlib.sha256(msgspec.json.Encoder(order="sorted").encode(data)).hexdigest()


def test_answers_encoded_from_the_wire_structs_hash_as_through_builtins() -> None:
    """Answers are encoded straight from the structs, but those with an integral float value."""
    import random

    rng = random.Random(7)
    for _ in range(300):
        answers = {}
        for n in range(rng.randint(1, 40)):
            answer: dict = rng.choice([{"result": rng.choice(["pass", "fail", "na"])}, {"value": rng.choice([rng.uniform(-1e6, 1e6), rng.randint(-5, 5), float(rng.randint(-5, 5)), "文字", ""])}, {}])
            if rng.random() < 0.4:
                answer["note"] = rng.choice(["", "消防通道堵塞", 'quote " and \\ slash', "x" * 200])
            if rng.random() < 0.2:
                answer["photos"] = [f"{rng.getrandbits(256):064x}" for _ in range(rng.randint(0, 3))]
            answers[rng.choice(["A", "b", "Z", "中"]) + str(n)] = answer
        record = msgspec.convert({**_RECORD, "answers": answers, "notes": rng.choice(["", "备注"])}, SubmissionRecord)
        assert record_hash(record) == _reference_hash(record)
    plain = msgspec.convert({**_RECORD, "answers": {"A1": {"result": "pass"}, "A3": {"value": 2.5, "note": "消防通道堵塞"}}}, SubmissionRecord)
    assert record_hash(plain) == _reference_hash(plain) == _PINNED_PLAIN


# The released implementation's hash (sync/push/identity.py before answers took the struct path) of a
# record whose answers now take it.
_PINNED_PLAIN = "3389225131bc839e785751ac9a2f3846766a0fd9b8e92fe0c03ab043682a9cf7"
