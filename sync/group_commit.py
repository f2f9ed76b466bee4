"""Group commit: pushes that arrive together are stored in shared transactions.

Why: a write transaction costs far more than the rows of one submission (SQLite admits one
writer; every commit is a WAL append), so 64 tablets pushing one record each used to queue for
64 commits. Here every push request queues its records; whichever request finds no one storing
becomes the leader and stores what is queued — its own and the followers' records — in groups
of up to ``max_records``, in arrival order, until its own are stored; each request is woken when
the transaction holding its records committed. A
request is answered only after the transaction holding its records committed, so an
acknowledgement always means stored.

The leader's work is shielded: a request cancelled while leading does not abandon the others.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Process = Callable[[list[Item]], Awaitable[None]]


class GroupCommit(Generic[Item]):
    """Queue of waiting requests, drained in groups by one leader at a time."""

    def __init__(self, process: Process[Item], *, max_records: int = 200, parallel: int = 1) -> None:
        """``process`` stores one group (and records a verdict on each item) or raises for all of it;
        up to ``parallel`` groups are stored at once (1 for SQLite's single writer)."""
        self._process = process
        self._max_records = max_records
        self._queue: list[tuple[Sequence[Item], asyncio.Future[None]]] = []
        self._leading = asyncio.Semaphore(parallel)

    async def submit(self, items: Sequence[Item]) -> None:
        """Return once ``items`` were processed (raising what processing their group raised)."""
        if not items:
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((items, done))
        async with self._leading:
            # Lead only until our own records are stored: later arrivals wait on the lock, and the
            # first of them leads next, so no request is held up serving a steady stream of others.
            while not done.done() and self._queue:
                await asyncio.shield(asyncio.ensure_future(self._next_group()))
        await done

    async def _next_group(self) -> None:
        if not self._queue:
            return
        taken, count = 0, 0
        while taken < len(self._queue) and (taken == 0 or count + len(self._queue[taken][0]) <= self._max_records):
            count += len(self._queue[taken][0])
            taken += 1
        jobs, self._queue = self._queue[:taken], self._queue[taken:]
        try:
            await self._process([item for items, _ in jobs for item in items])
        except BaseException as exc:  # noqa: BLE001 - every waiting request gets the failure (e.g. 503)
            for _, done in jobs:
                if not done.done():
                    done.set_exception(exc)
                    done.exception()  # the request may be gone; don't log it as never retrieved
            if not isinstance(exc, Exception):
                raise
        else:
            for _, done in jobs:
                if not done.done():
                    done.set_result(None)


_instances: weakref.WeakKeyDictionary[object, dict[asyncio.AbstractEventLoop, GroupCommit]] = weakref.WeakKeyDictionary()  # type: ignore[type-arg]


def group_commit_for(owner: object, process: Process[Item], *, parallel: int = 1) -> GroupCommit[Item]:
    """The one group commit of ``owner`` (the database) on the running event loop, made on first use."""
    per_loop = _instances.setdefault(owner, {})
    loop = asyncio.get_running_loop()
    existing = per_loop.get(loop)
    if existing is None:
        for stale in [other for other in per_loop if other.is_closed()]:
            del per_loop[stale]
        existing = per_loop[loop] = GroupCommit(process, parallel=parallel)
    return existing
