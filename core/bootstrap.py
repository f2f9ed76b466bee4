"""Bringing a database to life: migrations, then the shipped reference data (regions). Idempotent.

Several instances may start at once on one PostgreSQL database: the migrations wait for each
other under an advisory lock, and loading the regions tolerates another instance inserting the
same rows at the same moment (the loser of the race looks again and finds them there).
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from core.regions.records import load_shipped_regions
from core.storage import migrate
from core.storage.database import Database

_RACE_RETRIES = 3


async def prepare_database(db: Database) -> int:
    """Migrate to the newest schema and load shipped regions; returns how many regions were added."""
    await migrate.upgrade(db)
    for attempt in range(_RACE_RETRIES):
        try:
            async with db.write() as session:
                return await load_shipped_regions(session)
        except IntegrityError:
            if attempt + 1 == _RACE_RETRIES:
                raise
    raise AssertionError("unreachable")
