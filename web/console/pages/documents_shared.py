"""What the 文书 and 行政处罚 pages share: the document types the server collected, the names shown
beside ids, and turning a form into the request body the API would decode.

Names are read only for records the page already obtained through the services (in scope), so
they reveal nothing the user could not read: the enterprise through core's ``get_enterprise``, the
officers' display names as the documents print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec
from litestar import Request
from sqlmodel import col, select

from core.access.scope import Principal
from core.access.users import User
from core.context import Context
from core.enterprises.service import get_enterprise
from core.errors import InvalidInput, NotFound, field_path_of
from plugins.documents.catalogue import DocumentTypes

T = TypeVar("T")

STATUS_LABELS = {"issued": "有效", "voided": "已作废"}
SOURCE_NOTES = {
    "inspection": "列出本次检查的全部检查项问题和隐患。",
    "hazards": "不勾选时列出本次检查尚未销号的隐患。",
    "recheck": "不勾选时列出本次检查已复查的隐患。",
    "measure": "只针对重大事故隐患；不勾选时列出本次检查尚未销号的重大事故隐患。",
    "penalty": "由已作出决定的行政处罚案件生成。",
}


@dataclass(frozen=True)
class Paged:
    """A service's ``Page`` as the pager macro reads it (with its number of pages)."""

    items: list[Any]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @classmethod
    def of(cls, page: Any) -> Paged:
        return cls(items=list(page.items), total=page.total, page=page.page, page_size=page.page_size)


def document_types(request: Request) -> DocumentTypes:
    """The types collected at start-up (built-in and plugins'), as ``GET /api/v1/document-types`` answers."""
    return request.app.state.document_types  # type: ignore[no-any-return]


async def user_names(ctx: Context, user_ids: set[str | None]) -> dict[str, str]:
    """Display names (else usernames) of the officers a page names."""
    wanted = sorted(i for i in user_ids if i)
    if not wanted:
        return {}
    async with ctx.db.read() as session:
        rows = (await session.exec(select(User.id, User.display_name, User.username).where(col(User.id).in_(wanted)))).all()
    return {user_id: display or username for user_id, display, username in rows}


async def enterprise_names(ctx: Context, principal: Principal, enterprise_ids: set[str]) -> dict[str, str]:
    """Names of enterprises the page's records belong to, through core's scoped ``get_enterprise``."""
    names = {}
    for enterprise_id in sorted(enterprise_ids):
        try:
            names[enterprise_id] = (await get_enterprise(ctx, principal, enterprise_id)).name
        except NotFound:
            names[enterprise_id] = ""
    return names


def decode(raw: dict[str, Any], kind: type[T]) -> T:
    """A form's values as the API's body ``kind`` (msgspec checks every length, pattern and date),
    a refusal being the API's 400 naming the field."""
    try:
        return msgspec.convert(raw, kind)
    except msgspec.ValidationError as exc:
        field = field_path_of(str(exc))
        raise InvalidInput(str(exc), f"填写内容不合法（{field or '表单'}）：{exc}", field=field) from exc


def year_of(value: str) -> int | None:
    """The list filter's year (2000–2999 as the API's parameter), None when blank."""
    if not value:
        return None
    if not value.isdigit() or not 2000 <= int(value) <= 2999:
        raise InvalidInput("year must lie between 2000 and 2999", "年度应为2000至2999之间的四位数字", field="year")
    return int(value)
