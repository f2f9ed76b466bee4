"""What the 系统 pages share: their section, the sub-navigation, and decoding a form into the API's body.

A form is turned into the very ``msgspec`` body the API decodes (``UserIn``, ``UserPatch``,
``ResolveConflictIn`` …), so its lengths and patterns are checked once, the API's way; a refusal
becomes a 400 naming the field, with a Chinese message for the fields an admin types.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from litestar import Request
from litestar.response import Template

from core.access.scope import Principal
from core.errors import InvalidInput, field_path_of
from web.console.views import render

SECTION = "system"
T = TypeVar("T")

# (link, label, key): the sub-pages of 系统, in the order of the overview
SUBPAGES = (
    ("/system/users", "用户", "users"),
    ("/system/devices", "设备", "devices"),
    ("/system/plugins", "插件", "plugins"),
    ("/system/jobs", "定时任务", "jobs"),
    ("/system/audit", "审计日志", "audit"),
    ("/system/sync", "同步审核", "sync"),
)

_FIELD_ZH = {
    "username": "用户名应为2至64位字母、数字或 _ . @ -",
    "password": "密码应为8至256个字符",
    "role": "请选择有效的角色",
    "display_name": "姓名最多64个字符",
    "region_code": "行政区划代码应为6位或9位数字",
    "industries": "请选择有效的行业",
    "enforcement_card_no": "执法证号去除首尾空白后不超过32个字符，且不能含控制字符",
    "note": "说明最多500个字符",
    "reason": "请填写原因（最多500个字符）",
}


def decode_form(raw: dict[str, Any], body: type[T]) -> T:
    """``raw`` as the API's body ``body``; a refusal is a 400 naming the field (Chinese first)."""
    try:
        return msgspec.convert(raw, body)
    except msgspec.ValidationError as exc:
        field = field_path_of(str(exc))
        top = (field or "").split(".")[0].split("[")[0]
        message_zh = _FIELD_ZH.get(top) or f"填写内容不合法（{field or '表单'}）：{exc}"
        raise InvalidInput(str(exc), message_zh, field=top or field) from exc


def system_page(request: Request, principal: Principal, template: str, *, sub: str, status_code: int = 200, **context: Any) -> Template:
    """A 系统 page: the console frame, with the sub-page ``sub`` marked current."""
    return render(request, principal, template, section=SECTION, status_code=status_code, subpages=SUBPAGES, sub=sub, **context)
