"""Turns: one holder at a time, and of those waiting the lowest ticket goes next.

Why not a lock: groups stored side by side take turns for their CPU-bound work (the event loop
runs one of them at a time anyway), and the oldest should get ahead, so its writes start while the
next one is still being worked on. A lock hands over in order of asking. The parts of one batch ask
twice (to decode, later to validate), and in order of asking the first part's validation waited
behind every later part's decoding; with tickets drawn when the batch is cut, the first part goes
before the others each time it asks.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import AsyncIterator


class Turns:
    """A turn for whoever holds the lowest ticket among those waiting (FIFO for equal tickets)."""

    def __init__(self) -> None:
        self._tickets = itertools.count()
        self._arrivals = itertools.count()  # breaks ties between equal tickets
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []  # a heap
        self._held = False

    def ticket(self) -> int:
        """A ticket younger than every one drawn before."""
        return next(self._tickets)

    @contextlib.asynccontextmanager
    async def take(self, ticket: int | None = None) -> AsyncIterator[None]:
        """Hold the turn for the block; without a ticket, one is drawn now (after every older one)."""
        if self._held:
            entry = (self.ticket() if ticket is None else ticket, next(self._arrivals), asyncio.get_running_loop().create_future())
            heapq.heappush(self._waiting, entry)
            try:
                await entry[2]
            except asyncio.CancelledError:
                if entry[2].done() and not entry[2].cancelled():
                    self._pass_on()  # handed the turn just as we were cancelled: the next one gets it
                else:
                    self._waiting.remove(entry)
                    heapq.heapify(self._waiting)
                raise
        else:
            self._held = True
        try:
            yield
        finally:
            self._pass_on()

    def _pass_on(self) -> None:
        """Hand the turn to the lowest waiting ticket, or free it."""
        while self._waiting:
            _, _, waiter = heapq.heappop(self._waiting)
            if not waiter.done():
                waiter.set_result(None)  # still held: it is theirs now
                return
        self._held = False
