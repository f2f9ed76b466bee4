"""Browsing the audit log (core.audit.browse): filters by actor, action, entity, record and time,
newest first, paged backwards by seq; admins only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.access.scope import Principal
from core.audit.browse import AuditFilter, browse_audit
from core.errors import Forbidden

ADMIN = Principal(user_id="u-admin", username="root", role="admin")


async def test_filters_narrow_the_log_and_pages_continue_without_overlap(api, admin) -> None:  # type: ignore[no-untyped-def]
    enterprise = await api.enterprise(admin)
    await api.client.patch(f"/api/v1/enterprises/{enterprise['id']}", json={"address": "新地址"}, headers=admin)
    for n in range(5):
        await api.user(f"viewer{n}", "viewer")
    ctx = api.direct

    mine = await browse_audit(ctx, ADMIN, AuditFilter(entity="enterprise", entity_id=enterprise["id"]))
    assert [e.action for e in mine.items] == ["enterprise_updated", "enterprise_created"] and mine.next_before is None
    by_actor = await browse_audit(ctx, ADMIN, AuditFilter(actor="root", action="enterprise_updated"))
    assert [e.entity_id for e in by_actor.items] == [enterprise["id"]]
    assert (await browse_audit(ctx, ADMIN, AuditFilter(actor="nobody"))).items == []

    created = AuditFilter(action="user_created")  # root + five viewers, by the system actor
    first = await browse_audit(ctx, ADMIN, created, limit=4)
    assert len(first.items) == 4 and first.next_before == first.items[-1].seq
    rest = await browse_audit(ctx, ADMIN, created, before_seq=first.next_before, limit=4)
    assert len(rest.items) == 2 and rest.next_before is None
    seqs = [e.seq for e in first.items + rest.items]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == 6


async def test_the_time_window_is_half_open(api, admin) -> None:  # type: ignore[no-untyped-def]
    await api.enterprise(admin)
    ctx = api.direct
    entry = (await browse_audit(ctx, ADMIN, AuditFilter(action="enterprise_created"))).items[0]
    assert (await browse_audit(ctx, ADMIN, AuditFilter(action="enterprise_created", since=entry.at, until=entry.at + timedelta(seconds=1)))).items
    assert not (await browse_audit(ctx, ADMIN, AuditFilter(action="enterprise_created", until=entry.at))).items
    assert not (await browse_audit(ctx, ADMIN, AuditFilter(action="enterprise_created", since=entry.at + timedelta(microseconds=1)))).items


async def test_only_roles_reading_the_audit_log_may_browse_it(api) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Forbidden):
        await browse_audit(api.direct, Principal(user_id="u", username="d", role="department_admin"), AuditFilter())
