"""The services' shared context: database, settings, clock, signing secret. One per app, no globals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.access.passwords import Passwords
from core.clock import Clock
from core.settings import Settings
from core.storage.database import Database


@dataclass
class Context:
    """Handed to every service function; tests build their own."""

    db: Database
    settings: Settings
    secret: str
    clock: Clock = field(default_factory=Clock)
    passwords: Passwords = field(init=False)
    # Figures a page may reuse for a short while, per app (web.console.memo.remembered): never a record,
    # only what is derived from records and cheaper to keep than to count again.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.passwords = Passwords(
            time_cost=s.argon2_time_cost, memory_kib=s.argon2_memory_kib, parallelism=s.argon2_parallelism,
            max_concurrent=s.max_concurrent_hashes, max_queued=s.max_queued_hashes,
        )
