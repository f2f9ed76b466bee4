"""Answering a console page: the template with what every page shows (who is signed in, the
navigation their role has, the CSRF token for its forms).

Navigation shows only what the role can open: an enterprise user has their own enterprise and its
hazards; office roles the workbench, enterprises, hazards and the 挂牌督办 list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.response import Template

from core.access.scope import Principal
from web.console.session import csrf_token


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    key: str


def nav_for(principal: Principal) -> list[NavItem]:
    """The header's links for this user."""
    items = [NavItem("/", "工作台", "workbench")]
    if principal.role == "enterprise_user":
        if principal.enterprise_id:
            items.append(NavItem(f"/enterprises/{principal.enterprise_id}", "本企业档案", "enterprises"))
        items.append(NavItem("/hazards?open=1", "本企业隐患", "hazards"))
        return items
    return [
        *items,
        NavItem("/enterprises", "企业", "enterprises"),
        NavItem("/hazards?open=1", "隐患", "hazards"),
        NavItem("/hazards?listed=true&open=1", "挂牌督办", "listed"),
    ]


def render(request: Request, principal: Principal, template: str, *, section: str, status_code: int = 200, **context: Any) -> Template:
    """A console page: ``template`` with ``context`` and the frame's own values."""
    frame = {
        "me": principal, "nav": nav_for(principal), "section": section,
        "csrf": csrf_token(request.app.state.ctx.secret, principal.session_id or ""), "path": request.url.path,
        "flash": None, "error": None,
    }
    return Template(template_name=template, context={**frame, **context}, status_code=status_code)
