"""Who may handle a 行政处罚 case: at least two 执法人员 holding 执法证 (行政处罚法第四十二条),
each an active inspector (or administrator) who sees the enterprise.

Every unqualified handler is named at once, so one correction fixes the request.
"""

from __future__ import annotations

import msgspec
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.users import User
from core.enterprises.records import Enterprise
from core.errors import Conflict, InvalidInput
from core.plans.service import principal_of_user

HANDLER_ROLES = frozenset({"inspector", "admin"})


class Unqualified(msgspec.Struct, frozen=True, kw_only=True):
    field: str
    user_id: str
    reason: str
    reason_zh: str


def _why_not(user: User | None, enterprise: Enterprise) -> tuple[str, str] | None:
    if user is None or not user.active:
        return "no such active user", "用户不存在或已停用"
    if user.role not in HANDLER_ROLES:
        return f"role {user.role} is not an enforcement officer", "不是执法人员"
    if not principal_of_user(user).sees_enterprise(enterprise):
        return "does not cover this enterprise", "无权管辖该企业"
    if not (user.enforcement_card_no or "").strip():
        return "has no 执法证号 (enforcement card number)", "没有执法证号"
    return None


async def check_handlers(session: AsyncSession, handlers: list[str], enterprise: Enterprise) -> list[str]:
    """The handlers' ids, normalised and checked; 400 for duplicates, 409 naming each unqualified one."""
    ids = [h.strip().lower() for h in handlers]
    if len(set(ids)) != len(ids):
        raise InvalidInput("handlers must be distinct people", "承办人不能重复", field="handlers")
    users = {u.id: u for u in (await session.exec(select(User).where(col(User.id).in_(ids)))).all()}
    problems = []
    for index, user_id in enumerate(ids):
        reason = _why_not(users.get(user_id), enterprise)
        if reason is not None:
            problems.append(Unqualified(field=f"handlers[{index}]", user_id=user_id, reason=reason[0], reason_zh=reason[1]))
    if problems:
        raise Conflict(
            "a penalty case needs at least two enforcement officers holding cards: "
            + "; ".join(f"{p.field} ({p.user_id}): {p.reason}" for p in problems),
            "行政处罚案件须由两名以上持有执法证的执法人员承办：" + "；".join(f"{p.field}（{p.user_id}）{p.reason_zh}" for p in problems),
            field=problems[0].field, code="handlers_not_qualified", extra={"problems": [msgspec.to_builtins(p) for p in problems]},
        )
    return ids
