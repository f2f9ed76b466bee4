"""Answering a console page: the template with what every page shows (who is signed in, the
navigation their role has, the CSRF token for its forms).

Navigation shows only what the role can open: an enterprise user has their own enterprise, its
hazards, its 风险清单, its 安全码, its 自查任务 and its 评估报告; office roles the workbench, enterprises, hazards, the 挂牌督办 list, and each further area
whose first page their role's permission opens (the page checks the same permission again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.response import Template

from core.access.permissions import allowed
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
        if principal.enterprise_id and allowed(principal.role, "risk_register.read"):
            items.append(NavItem(f"/enterprises/{principal.enterprise_id}/risk-register", "风险清单", "risk_register"))
            items.append(NavItem(f"/enterprises/{principal.enterprise_id}/safety-code", "安全码", "safety_code"))
            items.append(NavItem(f"/enterprises/{principal.enterprise_id}/self-checks", "自查任务", "self_checks"))
        if allowed(principal.role, "dual_prevention.read"):
            items.append(NavItem("/dual-prevention/reports", "评估报告", "dp_reports"))
        return items
    items += [
        NavItem("/enterprises", "企业", "enterprises"),
        NavItem("/hazards?open=1", "隐患", "hazards"),
        NavItem("/hazards?listed=true&open=1", "挂牌督办", "listed"),
    ]
    # Each area is linked only for the roles whose permission opens its first page.
    for href, label, key, action in _AREAS:
        if allowed(principal.role, action):
            items.append(NavItem(href, label, key))
    return items


# (link, label, section key, the permission its first page needs)
_AREAS = (
    ("/inspections", "检查", "inspections", "inspection.read"),
    ("/plans", "计划", "plans", "plan.read"),
    ("/documents", "文书", "documents", "document.read"),
    ("/checklists", "检查表", "checklists", "plugin.read"),
    ("/evaluations", "评估", "evaluations", "evaluation.read"),
    ("/dual-prevention", "双重预防", "dual_prevention", "dual_prevention.read"),
    ("/reports", "报表", "reports", "report.read"),
    ("/system", "系统", "system", "user.manage"),
)


def render(request: Request, principal: Principal, template: str, *, section: str, status_code: int = 200, **context: Any) -> Template:
    """A console page: ``template`` with ``context`` and the frame's own values."""
    frame = {
        "me": principal, "nav": nav_for(principal), "section": section,
        "csrf": csrf_token(request.app.state.ctx.secret, principal.session_id or ""), "path": request.url.path,
        "flash": None, "error": None,
    }
    return Template(template_name=template, context={**frame, **context}, status_code=status_code)
