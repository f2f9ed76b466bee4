"""The services' shared context: database, settings, clock, signing secret. One per app, no globals."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.clock import Clock
from core.database import Database
from core.settings import Settings


@dataclass
class Context:
    """Handed to every service function; tests build their own."""

    db: Database
    settings: Settings
    secret: str
    clock: Clock = field(default_factory=Clock)
