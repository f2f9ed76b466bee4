"""联络员 (``liaison``): the inspector who follows an enterprise's dual prevention (双重预防).

The liaison must be someone who could inspect the enterprise: an active ``inspector`` whose scope
(region subtree, grid, industries — ``Principal.sees_enterprise``) covers it. That is checked when
the liaison is named and again whenever the enterprise moves (region, grid, industries), so a file
never names a liaison who cannot see it; a refusal names ``liaison_user_id``.
"""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.users import User
from core.errors import InvalidInput
from core.plans.service import principal_of_user

# The fields whose change may take an enterprise out of its liaison's scope.
SCOPE_FIELDS = frozenset({"region_code", "grid_code", "industries", "liaison_user_id"})


def _refused(message: str, message_zh: str) -> InvalidInput:
    return InvalidInput(f"liaison_user_id: {message}", f"联络员：{message_zh}", field="liaison_user_id")


async def check_liaison(session: AsyncSession, enterprise: Any) -> None:
    """Refuse (400, ``liaison_user_id``) a liaison who may not follow ``enterprise`` (anything with
    id, region_code, grid_code, industries and liaison_user_id); nothing is read when it names none."""
    user_id = enterprise.liaison_user_id
    if user_id is None:
        return
    user = await session.get(User, user_id)
    if user is None:
        raise _refused(f"no user {user_id}", f"用户 {user_id} 不存在")
    if not user.active:
        raise _refused(f"user {user.username} is deactivated", f"用户 {user.username} 已停用")
    if user.role != "inspector":
        raise _refused(f"user {user.username} is not an inspector", f"用户 {user.username} 不是检查人员，联络员须为检查人员")
    if not principal_of_user(user).sees_enterprise(enterprise):
        raise _refused(f"user {user.username}'s jurisdiction does not cover this enterprise", f"用户 {user.username} 的管辖范围不包括该企业")
