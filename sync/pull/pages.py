"""Pull: everything changed since the cursor that the device's user may see, in pages.

The change sequence is read in order from the cursor, in batches; each row is tested against the
user's scope (as it was before and after the change), and the page carries each touched record's
current full state once (or a tombstone). The cursor advances to the last row looked at, so a
page may hold fewer items than ``limit`` (even none) with ``has_more`` still true: work and memory
per request are bounded however long the history is. Commits become visible in sequence order
(see ``core.storage.changes.record_change``), so resuming after the last seen row skips nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import InvalidInput
from core.storage.changes import Change
from sync.device import require_device
from sync.pull.cursor import decode_cursor, encode_cursor, scope_hash
from sync.pull.entities import KINDS
from sync.wire import PullItem, PullOut

DEFAULT_LIMIT = 500
MAX_LIMIT = 2000
_BATCH = 1000
_MIN_BATCH = 100
_SCAN_FACTOR = 20  # rows looked at per requested item before answering with a short page
_CHANGES = Change.__table__  # plain rows: the change feed is read in bulk, ORM objects cost too much


async def pull(ctx: Context, principal: Principal, cursor: str | None, limit: int = DEFAULT_LIMIT) -> PullOut:
    """One page of changes after ``cursor`` (None: from the beginning)."""
    require(principal.role, "sync.pull")
    require_device(principal)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be 1..{MAX_LIMIT}", f"limit 必须在 1 到 {MAX_LIMIT} 之间", field="limit")
    scope = scope_hash(principal)
    after, reset = 0, False
    if cursor:
        position = decode_cursor(cursor)
        if position.scope == scope:
            after = position.seq
        else:
            reset = True
    items: dict[tuple[str, str], PullItem] = {}
    scanned = 0
    exhausted = False
    now = ctx.clock.now()
    async with ctx.db.read() as session:
        while len(items) < limit and scanned < limit * _SCAN_FACTOR:
            # Read no more rows than the page can still take: every relevant row costs a load.
            batch = min(_BATCH, max(limit - len(items), _MIN_BATCH))
            rows = (await (await session.connection()).execute(select(_CHANGES).where(_CHANGES.c.seq > after).order_by(_CHANGES.c.seq).limit(batch))).all()
            if not rows:
                exhausted = True
                break
            relevant: dict[str, list[str]] = {}
            for row in rows:
                kind = KINDS.get(row.entity)
                if kind is not None and kind.relevant(principal, row):
                    relevant.setdefault(row.entity, []).append(row.entity_id)
            states = {entity: await KINDS[entity].load(session, principal, sorted(set(ids)), now) for entity, ids in relevant.items()}
            full = False
            for row in rows:
                assert row.seq is not None
                entity_states = states.get(row.entity)
                if entity_states is None or row.entity_id not in entity_states:
                    after = row.seq
                    scanned += 1
                    continue
                key = (row.entity, row.entity_id)
                if key not in items and len(items) >= limit:
                    full = True
                    break
                data = entity_states[row.entity_id]
                items.pop(key, None)  # keep the page in sequence order of each record's latest change
                items[key] = PullItem(entity=row.entity, id=row.entity_id, op="upsert" if data is not None else "delete", seq=row.seq, data=data)
                after = row.seq
                scanned += 1
            if full:
                break
            if len(rows) < batch:
                exhausted = True  # everything committed so far has been looked at
                break
    return PullOut(items=list(items.values()), cursor=encode_cursor(after, scope), has_more=not exhausted, reset=reset, server_time=now)

