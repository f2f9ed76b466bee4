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

Where several groups may be stored at once (PostgreSQL), a large batch that finds the group commit
idle is cut by its caller into parts (``parts``), each submitted ``alone`` and stored as a group of
its own, side by side: one group validated its 50 records (CPU) and only then waited for the
database to write them, so a lone tablet's request took their sum; with parts, the next part is
validated while the database writes the previous one. Under load, with others queued, a batch stays
whole and is merged with them as before.

Groups stored side by side take turns for their CPU-bound work (``turns``, ``sync.push.turns``): the
event loop runs one of them at a time anyway, and interleaved they all finished validating at about
the same moment, then queued one after another for the lock that orders appends. Taking turns, the
oldest finishes first, and its writes overlap the next one's validation.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from sync.push.turns import Turns

Item = TypeVar("Item")
Piece = TypeVar("Piece")
Process = Callable[[list[Item]], Awaitable[None]]


class GroupCommit(Generic[Item]):
    """Queue of waiting requests, drained in groups by one leader at a time."""

    def __init__(self, process: Process[Item], *, max_records: int = 200, parallel: int = 1, min_part: int = 8) -> None:
        """``process`` stores one group (and records a verdict on each item) or raises for all of it;
        up to ``parallel`` groups are stored at once (1 for SQLite's single writer); a batch is cut
        into parts of at least ``min_part`` items."""
        self._process = process
        self._max_records = max_records
        self._parallel = parallel
        self._min_part = min_part
        self._leaders = 0
        self._queue: list[tuple[Sequence[Item], asyncio.Future[None], bool]] = []
        self._queued = 0  # items in the queue
        self._group_ended: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._leading = asyncio.Semaphore(parallel)
        self.turns = Turns()  # held by a group for its CPU-bound work, oldest ticket first

    def parts(self, count: int) -> int:
        """Into how many groups a batch of ``count`` independent items should be cut now: one per
        idle writer, none while others are queued (1: keep it whole)."""
        if self._queue:
            return 1
        return max(1, min(self._parallel - self._leaders, count // self._min_part))

    @staticmethod
    def cut(pieces: Sequence[Piece], parts: int) -> list[Sequence[Piece]]:
        """``pieces`` in ``parts`` consecutive runs of (nearly) equal size, in order."""
        size = -(-len(pieces) // parts)
        return [pieces[start : start + size] for start in range(0, len(pieces), size)]

    async def submit(self, items: Sequence[Item], *, alone: bool = False) -> None:
        """Return once ``items`` were processed (raising what processing their group raised).
        ``alone``: a part cut from a batch (``parts``), stored as a group by itself."""
        if not items:
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((items, done, alone))
        self._queued += len(items)
        if not alone:
            # Beside a group being stored, another one starts only with enough records to be worth
            # its transaction: under a stream of single pushes, groups of one or two records each
            # paid a transaction's round trips and the append lock. Fewer wait for a group to end,
            # then go together.
            while self._leaders and self._queued < self._min_part and not done.done():
                await asyncio.wait([self._group_ended])
        if not done.done():
            async with self._leading:
                self._leaders += 1
                try:
                    # Lead only until our own records are stored: later arrivals wait on the lock, and the
                    # first of them leads next, so no request is held up serving a steady stream of others.
                    while not done.done() and self._queue:
                        await asyncio.shield(asyncio.ensure_future(self._next_group()))
                finally:
                    self._leaders -= 1
                    self._end_of_group()
        await done

    def _end_of_group(self) -> None:
        """Wake the requests waiting for a group to end (``submit``)."""
        ended, self._group_ended = self._group_ended, asyncio.get_running_loop().create_future()
        ended.set_result(None)

    async def _next_group(self) -> None:
        """Store the oldest queued items, with as many later ones as fit; a part cut from a batch
        (``alone``) forms its group by itself."""
        if not self._queue:
            return
        taken, count = 0, 0
        while taken < len(self._queue) and (
            taken == 0 or (not self._queue[0][2] and not self._queue[taken][2] and count + len(self._queue[taken][0]) <= self._max_records)
        ):
            count += len(self._queue[taken][0])
            taken += 1
        jobs, self._queue = self._queue[:taken], self._queue[taken:]
        self._queued -= count
        try:
            await self._process([item for items, _, _ in jobs for item in items])
        except BaseException as exc:  # noqa: BLE001 - every waiting request gets the failure (e.g. 503)
            for _, done, _ in jobs:
                if not done.done():
                    done.set_exception(exc)
                    done.exception()  # the request may be gone; don't log it as never retrieved
            if not isinstance(exc, Exception):
                raise
        else:
            for _, done, _ in jobs:
                if not done.done():
                    done.set_result(None)
        finally:
            self._end_of_group()


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


def turns_of(owner: object) -> Turns:
    """The turns groups of ``owner``'s group commit on the running loop take for their CPU-bound
    work; fresh ones (nothing to take turns with) when there is no group commit."""
    existing = _instances.get(owner, {}).get(asyncio.get_running_loop())
    return existing.turns if existing is not None else Turns()
