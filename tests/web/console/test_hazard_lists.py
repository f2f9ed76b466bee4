"""The console's hazard lists: the overdue list is most overdue first and pages neither repeat nor
skip a hazard, on SQLite (rows found by rowid from the indexes) and on PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, update

from core.access.scope import Principal
from core.hazards.queries import HazardFilter
from core.hazards.records import Hazard
from web.console.hazard_lists import hazard_rows


async def test_the_overdue_list_pages_most_overdue_first_without_repeats(any_api, any_admin) -> None:  # type: ignore[no-untyped-def]
    api, admin = any_api, any_admin
    firm = await api.enterprise(admin, name="逾期排序化工有限公司")
    ids = []
    for n in range(7):
        body = {"enterprise_id": firm["id"], "level": "general", "description": f"逾期隐患{n}", "location": "罐区"}
        response = await api.client.post("/api/v1/hazards", json=body, headers=admin)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    now = api.ctx.clock.now()
    async with api.direct.db.write() as session:  # deadlines 1…7 days ago, the same for two of them
        for n, hazard_id in enumerate(ids):
            days = 7 - n if n != 6 else 3
            await session.exec(update(Hazard).where(col(Hazard.id) == hazard_id).values(status="rectifying", deadline=now - timedelta(days=days)))  # type: ignore[call-overload]
    principal = Principal(user_id="x", username="root", role="admin")
    pages = [await hazard_rows(api.direct, principal, HazardFilter(overdue=True), open_only=True, order="deadline", page=page, page_size=3) for page in (1, 2, 3)]
    seen = [row.hazard.id for page in pages for row in page.items]
    assert pages[0].total == 7 and sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    deadlines = [row.hazard.deadline for page in pages for row in page.items]
    assert deadlines == sorted(deadlines)  # most overdue first
    assert [row.enterprise_name for row in pages[0].items] == ["逾期排序化工有限公司"] * 3
