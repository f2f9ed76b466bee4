"""The other inspectors a submission names as present (同行执法人员, ``co_inspectors``).

An enforcement inspection is made by at least two officers; the tablet of one sends the submission
and names the others by user id. Each named must be someone who may record an inspection of this
enterprise: an active user of an inspecting role whose scope covers it, named once, and not the
one pushing. A bad name is a problem of the record (``co_inspectors.<index>``), reported with the
record's other problems; the record's neighbours in the batch are unaffected. An enterprise's own
self-inspection (自查) names no officers.
"""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.scope import Principal
from core.access.users import User
from core.enterprises.records import Enterprise
from core.errors import AppError, InvalidInput
from core.inspections.records import INSPECTING_ROLES
from core.plans.service import principal_of_user
from sync.wire import SubmissionRecord


def _bad(field: str, code: str, message: str, message_zh: str) -> InvalidInput:
    return InvalidInput(message, message_zh, field=field, code=code)


def _why_not(user: User | None, enterprise: Enterprise) -> tuple[str, str, str] | None:
    """(code, English, Chinese) of why ``user`` cannot be a co-inspector here, or None."""
    if user is None:
        return "unknown_co_inspector", "names no user", "用户不存在"
    if not user.active:
        return "co_inspector_inactive", f"user {user.username} is deactivated", f"用户 {user.username} 已停用"
    if user.role not in INSPECTING_ROLES:
        return "co_inspector_not_inspector", f"user {user.username} is not an inspector", f"用户 {user.username} 不是检查人员"
    if not principal_of_user(user).sees_enterprise(enterprise):
        return (
            "co_inspector_out_of_scope", f"user {user.username}'s jurisdiction does not cover this enterprise",
            f"用户 {user.username} 的管辖范围不包括该企业",
        )
    return None


async def check_co_inspectors(
    session: AsyncSession, principal: Principal, record: SubmissionRecord, enterprise: Enterprise, problems: list[AppError]
) -> None:
    """Add to ``problems`` what is wrong with the record's ``co_inspectors`` (nothing read when it names none)."""
    named = record.co_inspectors
    if not named:
        return
    if principal.role not in INSPECTING_ROLES:
        problems.append(_bad(
            "co_inspectors", "co_inspectors_not_allowed", "a self-inspection names no co-inspectors", "企业自查不能填写同行检查人员",
        ))
        return
    users = {u.id: u for u in (await session.exec(select(User).where(col(User.id).in_(set(named))))).all()}
    seen: set[str] = set()
    for index, user_id in enumerate(named):
        field = f"co_inspectors.{index}"
        if user_id == principal.user_id:
            problems.append(_bad(field, "co_inspector_is_self", "the pushing inspector is not their own co-inspector", "提交人本人不能列为同行检查人员"))
        elif user_id in seen:
            problems.append(_bad(field, "duplicate_co_inspector", f"co-inspector {user_id} is named twice", f"同行检查人员 {user_id} 重复"))
        else:
            reason = _why_not(users.get(user_id), enterprise)
            if reason is not None:
                code, message, message_zh = reason
                problems.append(_bad(field, code, f"co-inspector {user_id}: {message}", f"同行检查人员 {user_id}：{message_zh}"))
        seen.add(user_id)
