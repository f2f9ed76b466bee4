"""Who is told about a hazard (通知): each event reaches the users it concerns, by role and scope, once each.

| event | kind | told |
|---|---|---|
| ``deadline_reminder`` 期限临近 | ``deadline_reminder`` | the enterprise's users + the user who registered the hazard |
| ``overdue`` 逾期 | ``hazard_overdue`` | those + department admins whose scope covers the hazard |
| ``listed`` 挂牌督办 | ``hazard_listed`` | admins and department admins whose scope covers the hazard + the enterprise's users |

``listed`` includes a major hazard listed at registration. Scope is the user's region subtree ×
industries (× grid), the rule ``Principal.sees_enterprise`` applies; an admin's account sees
everything, so an admin hears about its own region (and industries) when it names one, and about
everything when it does not. Only active users are told, and the registering user only while the
hazard is still theirs to see. Every user gets their own notification (``dedup_key`` ends in the
user's id): one person who is both the enterprise's user and the one who registered the hazard
hears once, and a job that runs twice tells nobody twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.users import User
from core.enterprises.records import Enterprise
from core.local_time import LOCAL_TZ
from core.notifications.notices import stage_notification, taken_keys
from core.regions.codes import in_subtree
from core.storage.write_set import WriteSet

HazardEvent = Literal["deadline_reminder", "overdue", "listed"]

KINDS: dict[str, str] = {"deadline_reminder": "deadline_reminder", "overdue": "hazard_overdue", "listed": "hazard_listed"}
_STAFF: dict[str, tuple[str, ...]] = {"deadline_reminder": (), "overdue": ("department_admin",), "listed": ("admin", "department_admin")}


def covers(user: User, enterprise: Any) -> bool:
    """Whether the scope the user's account names covers the enterprise (for an admin: the region
    and industries it is responsible for, though it may read everything)."""
    if user.role == "enterprise_user":
        return user.enterprise_id == enterprise.id
    if user.grid_code and user.grid_code != enterprise.grid_code:
        return False
    if user.region_code and not in_subtree(enterprise.region_code, user.region_code):
        return False
    return not user.industries or bool(set(user.industries) & set(enterprise.industries))


async def recipients(session: AsyncSession, event: HazardEvent, enterprise: Enterprise, reported_by: str | None) -> list[str]:
    """Ids of the users told of ``event`` about a hazard of ``enterprise``, each once, sorted."""
    staff = _STAFF[event]
    wanted = and_(col(User.role) == "enterprise_user", col(User.enterprise_id) == enterprise.id)
    if staff:
        wanted = or_(wanted, col(User.role).in_(staff))
    users = (await session.exec(select(User).where(col(User.active).is_(True), wanted))).all()
    ids = {u.id for u in users if covers(u, enterprise)}
    if event != "listed" and reported_by and reported_by not in ids:
        reporter = await session.get(User, reported_by)
        if reporter is not None and reporter.active and (reporter.role == "admin" or covers(reporter, enterprise)):
            ids.add(reporter.id)
    return sorted(ids)


def _local(at: datetime | None) -> str:
    return at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if at else ""


def _message(event: HazardEvent, hazard: Mapping[str, Any], enterprise: Enterprise, reason: str) -> tuple[str, str]:
    what = f"{enterprise.name}：隐患“{hazard['description'][:60]}”"
    if event == "deadline_reminder":
        return "隐患整改期限临近", f"{what}须于 {_local(hazard['deadline'])} 前完成整改。"
    if event == "overdue":
        return "隐患整改已逾期", f"{what}整改期限为 {_local(hazard['deadline'])}，已逾期。"
    return "隐患已挂牌督办", f"{what}已挂牌督办：{reason}。"


def _event_key(event: HazardEvent, hazard: Mapping[str, Any]) -> str:
    """One event: a reminder and an overdue notice per deadline (an extended deadline is a new one), a listing once."""
    deadline = hazard["deadline"].isoformat() if hazard.get("deadline") else ""
    return {"deadline_reminder": f"deadline_reminder:{hazard['id']}:{deadline}", "overdue": f"overdue:{hazard['id']}:{deadline}"}.get(event, f"listed:{hazard['id']}")


async def stage_hazard_notices(
    session: AsyncSession, writes: WriteSet, event: HazardEvent, hazard: Mapping[str, Any], enterprise: Enterprise, *, at: datetime, reason: str = ""
) -> int:
    """Stage in ``writes`` one notification of ``event`` for every user not yet told of it;
    ``hazard`` is the hazard's column values. How many were staged."""
    users = await recipients(session, event, enterprise, hazard.get("reported_by"))
    base = _event_key(event, hazard)
    keys = {user_id: f"{base}:{user_id}" for user_id in users}
    taken = await taken_keys(session, list(keys.values()))
    title, body = _message(event, hazard, enterprise, reason)
    staged = 0
    for user_id, key in keys.items():
        if key in taken:
            continue
        stage_notification(
            writes, dedup_key=key, kind=KINDS[event], title=title, body=body, user_id=user_id, enterprise_id=enterprise.id,
            entity="hazard", entity_id=hazard["id"], at=at,
        )
        staged += 1
    return staged


async def notify_hazard(session: AsyncSession, event: HazardEvent, hazard: Any, *, at: datetime, reason: str = "") -> int:
    """Tell everyone concerned of ``event`` about ``hazard`` (a stored ``Hazard``) in the caller's
    transaction; how many notifications were added."""
    enterprise = await session.get(Enterprise, hazard.enterprise_id)
    if enterprise is None:
        return 0
    writes = WriteSet()
    added = await stage_hazard_notices(session, writes, event, hazard.model_dump(), enterprise, at=at, reason=reason)
    await writes.flush(session)
    return added
