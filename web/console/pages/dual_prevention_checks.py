"""隐患排查清单 and 自查任务 of one enterprise: its generated check lists (and generating them), and
its self-check tasks of a month with the month's summary.

Thin views over the services the API calls: ``current_check_lists`` / ``generate_check_lists``
(``checklists/generated.py``; reading is ``risk_register.read``, generating ``risk_register.write``,
checked before anything is looked up) and ``core.self_checks.queries`` (``summary``, ``list_tasks``).
The register page's 隐患排查清单 card shows the lists page's ``#check-lists`` (htmx loads it; without
JavaScript the card links to the page). A generation answers the page with what it published, left
unchanged and retired — generating again with nothing changed publishes nothing, so a repeated post
is harmless.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request, get, post
from litestar.response import Template

from checklists.canonical import from_canonical
from checklists.generated import GenerateOut, current_check_lists, generate_check_lists
from checklists.tables import ChecklistVersion
from core.access.permissions import allowed, require
from core.access.scope import Principal
from core.context import Context
from core.errors import AppError, InvalidInput
from core.local_time import local_date, localized
from core.risk_register.service import get_register
from core.risk_register.vocabulary import CONTROL_LEVEL_LABELS, FREQUENCY_LABELS
from core.self_checks.queries import list_tasks, summary
from core.self_checks.records import TASK_STATUS_LABELS
from web.console.pages.risk_register import section_of
from web.console.views import render

CHANGE_LABELS = {"created": "新发布", "major": "主版本更新", "minor": "次版本更新", "patch": "修订", "unchanged": "未变化", "retired": "已停用"}
TASK_BADGES = {"due": "", "done": "ok", "missed": "danger", "cancelled": ""}
MAX_TASKS = 500  # a month of one enterprise: about 31 × (每班 + 每日) + weeks + the month's


def list_rows(rows: list[ChecklistVersion]) -> list[dict[str, Any]]:
    """Each active generated list: title, level, frequency, version, item count (from its id and content)."""
    out = []
    for row in rows:
        level, _, frequency = row.checklist_id.rsplit(".", 1)[-1].partition("_")
        out.append({
            "checklist_id": row.checklist_id, "version": row.version, "title": row.title, "level": level, "frequency": frequency,
            "level_label": CONTROL_LEVEL_LABELS.get(level, level), "frequency_label": FREQUENCY_LABELS.get(frequency, frequency),
            "item_count": len(from_canonical(row.content.encode("utf-8")).items()), "published_at": row.published_at,
        })
    return out


async def _lists_page(request: Request, ctx: Context, principal: Principal, enterprise_id: str, *, outcome: GenerateOut | None = None,
                      error: AppError | None = None, status_code: int = 200) -> Template:
    register = await get_register(ctx, principal, enterprise_id)
    rows = list_rows(await current_check_lists(ctx, principal, enterprise_id))
    return render(
        request, principal, "dp_check_lists.html", section=section_of(principal), status_code=status_code, register=register, lists=rows,
        outcome=outcome, error=error, may_write=allowed(principal.role, "risk_register.write"), change_labels=CHANGE_LABELS,
        level_labels=CONTROL_LEVEL_LABELS, frequency_labels=FREQUENCY_LABELS,
    )


@get("/enterprises/{enterprise_id:str}/check-lists", name="console_check_lists")
async def check_lists_page(request: Request, ctx: Context, principal: Principal, enterprise_id: str) -> Template:
    """The enterprise's 隐患排查清单 (active versions) and, for writers, the button that generates them."""
    return await _lists_page(request, ctx, principal, enterprise_id)


@post("/enterprises/{enterprise_id:str}/check-lists/generate", name="console_check_lists_generate")
async def generate_form(request: Request, ctx: Context, principal: Principal, enterprise_id: str) -> Template:
    """Generate (or update) the lists from the register; the outcome, or the refusal, on the lists page."""
    require(principal.role, "risk_register.write")  # 403 before anything is looked up, as the API's
    try:
        outcome = await generate_check_lists(ctx, principal, enterprise_id)
    except AppError as exc:
        if exc.status_code in (403, 404) or exc.status_code >= 500:
            raise
        return await _lists_page(request, ctx, principal, enterprise_id, error=exc, status_code=exc.status_code)
    return await _lists_page(request, ctx, principal, enterprise_id, outcome=outcome)


# --- 自查任务 --------------------------------------------------------------------------------------


def _month_of(value: str, today: date) -> tuple[int, int]:
    if not value:
        return today.year, today.month
    try:
        year, month = (int(part) for part in value.split("-"))
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise ValueError(value)
    except ValueError:
        raise InvalidInput("month must be YYYY-MM", "月份格式应为 YYYY-MM", field="month") from None
    return year, month


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12}-{index % 12 + 1:02d}"


@get("/enterprises/{enterprise_id:str}/self-checks", name="console_self_checks")
async def self_checks_page(request: Request, ctx: Context, principal: Principal, enterprise_id: str, month: str = "") -> Template:
    """A month's self-check tasks: due, done, missed, the on-time rate, the hazards self-checks raised, each task."""
    require(principal.role, "risk_register.read")
    today = local_date(ctx.clock.now())
    context: dict[str, Any] = {"month": month.strip()[:7], "error": None, "summary": None, "tasks": [], "labels": TASK_STATUS_LABELS, "badges": TASK_BADGES,
                               "truncated": False, "previous": None, "next": None, "today": today}
    try:
        year, number = _month_of(month.strip(), today)
        label = f"{year}-{number:02d}"
        result = await summary(ctx, principal, enterprise_id, label)
    except InvalidInput as exc:
        register = await get_register(ctx, principal, enterprise_id)  # 404 out of scope before the refusal is shown
        return render(request, principal, "dp_self_checks.html", section=section_of(principal, "self_checks"), status_code=400,
                      enterprise_id=enterprise_id, enterprise_name=register.enterprise_name, **{**context, "error": exc})
    first = date(year, number, 1)
    last = date.fromisoformat(f"{_shift(year, number, 1)}-01") - timedelta(days=1)
    page = await list_tasks(ctx, principal, enterprise_id=enterprise_id, start=first, end=last, page_size=MAX_TASKS)
    tasks = [t for t in page.items if first <= localized(t.starts_at).date() <= last]  # as the summary counts: periods that start in the month
    tasks.sort(key=lambda t: (t.starts_at, t.checklist_id))
    context.update(month=label, summary=result, tasks=tasks, truncated=page.total > len(page.items), today=today,
                   previous=_shift(year, number, -1), next=_shift(year, number, 1) if (year, number) < (today.year, today.month) else None)
    return render(request, principal, "dp_self_checks.html", section=section_of(principal, "self_checks"), enterprise_id=enterprise_id,
                  enterprise_name=result.enterprise_name, **context)


ROUTES = [check_lists_page, generate_form, self_checks_page]
