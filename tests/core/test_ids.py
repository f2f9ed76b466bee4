"""Server-made ids are canonical version-4 UUID strings, as tablets' own ids are."""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

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


def test_ids_made_on_many_threads_at_once_are_all_different() -> None:
    # The random bytes are read for many ids at once: two threads must never take the same ones.
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda _: new_id(), range(20_000)))
    assert len(set(ids)) == len(ids)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_repeat_its_parents_next_ids() -> None:
    # A server started with several workers forks after the parent made ids: the child must not
    # hand out the bytes the parent still holds.
    new_id()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.write(write, ",".join(new_id() for _ in range(10)).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as pipe:
        child = set(pipe.read().split(","))
    parent = {new_id() for _ in range(10)}
    assert len(child) == 10 and not child & parent
