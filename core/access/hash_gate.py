"""At most N password hashes at once, a bounded queue behind them, ``429 busy`` beyond.

argon2id at the production cost takes 64 MiB and most of a core for each hash. Handed to worker
threads without a bound, 200 parallel unauthenticated logins ran 40 hashes at once (anyio's default
thread limit): the server grew to 2.5 GiB and the event loop starved (``/healthz`` took 46 s). So
a hash needs a slot (``max_concurrent_hashes``, the cores by default); a request may wait for one
only while the queue (``max_queued_hashes``) has room, and is otherwise told to come back later.

A caller is *admitted* first (``admit``: a counter, decided at once) and takes a slot only for the
hash itself, so a login can be admitted before its database work and never holds a slot across it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import anyio.to_thread

from core.errors import TooManyRequests

T = TypeVar("T")

# Weight of the newest hash in the running mean of a hash's duration (for Retry-After).
_MEAN_WEIGHT = 0.2


class HashGate:
    """Bounds the password hashes of one server process."""

    def __init__(self, *, limit: int, queue: int) -> None:
        self.limit = limit
        self.queue = queue
        self._admitted = 0
        self._slots = asyncio.Semaphore(limit)
        self._mean_seconds = 0.1

    @property
    def admitted(self) -> int:
        """Callers running a hash or waiting for a slot."""
        return self._admitted

    def retry_after(self) -> int:
        """Seconds until the queue has likely drained, from the running mean of a hash's duration."""
        return max(1, math.ceil(self._mean_seconds * self._admitted / self.limit))

    @contextmanager
    def admit(self) -> Iterator[None]:
        """Count the caller in, or raise 429 ``busy`` (with Retry-After) when the queue is full."""
        if self._admitted >= self.limit + self.queue:
            seconds = self.retry_after()
            raise TooManyRequests(
                f"the server is busy checking passwords; try again in {seconds} s",
                f"服务器繁忙，请 {seconds} 秒后再试",
                code="busy",
                headers={"Retry-After": str(seconds)},
            )
        self._admitted += 1
        try:
            yield
        finally:
            self._admitted -= 1

    async def run(self, work: Callable[..., T], *args: object) -> T:
        """Run ``work(*args)`` on a worker thread once a slot is free (call it inside ``admit``).

        A cancelled caller keeps its slot until the thread has finished (anyio waits for it), so
        the slots bound the hashes really running, not only the requests still waiting for them."""
        async with self._slots:
            started = time.perf_counter()
            try:
                return await anyio.to_thread.run_sync(work, *args)
            finally:
                self._mean_seconds += (time.perf_counter() - started - self._mean_seconds) * _MEAN_WEIGHT
