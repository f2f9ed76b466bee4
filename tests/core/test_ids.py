"""Server-made ids are canonical version-4 UUID strings, as tablets' own ids are."""

from __future__ import annotations

import uuid

from core.ids import canonical_uuid, new_id


def test_new_id_is_a_canonical_random_uuid() -> None:
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for value in ids:
        parsed = uuid.UUID(value)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
        assert canonical_uuid(value) == value == str(parsed)
    # every random hex digit varies (the version digit and the variant digit aside)
    positions = [i for i in range(36) if i not in (8, 13, 14, 18, 19, 23)]
    assert all(len({value[i] for value in ids}) > 8 for i in positions)
