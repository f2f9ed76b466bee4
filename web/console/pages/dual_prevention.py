"""双重预防进度: the town's view of the programme — per enterprise in scope whether its dual prevention
is built and used, where its 评估报告 stands, against its deadline — and the same table as CSV.

A thin view over ``core.dual_prevention.progress.programme_progress`` (``dual_prevention.read``, the
caller's scope) with the API's filters: status, region (a county or township of the scope) and, for
an inspector, ``liaison=me`` (我联系的企业). A filter that does not parse is shown beside the form (400).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.response import Template

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.dual_prevention.progress import STATUS_LABELS, ProgressOut, programme_progress
from core.errors import InvalidInput
from web.console.pages.enterprise_edit import region_choices
from web.console.places import region_names
from web.console.views import render

_REGION = re.compile(r"^\d{6}(\d{3})?$")
STAT_TONES = {"complete": "ok", "late": "danger", "in_progress": "warn", "not_started": ""}
CSV_HEADER = ("企业名称", "行政区划代码", "行政区划", "完成期限", "期限类别", "风险点", "缺项", "隐患排查清单", "真建",
              "近30天自查任务已完成", "近30天自查任务已结束", "真用", "评估报告", "状态")


def _filters(status: str, region_code: str, liaison: str) -> dict[str, str]:
    """The query as the page keeps it; 400 naming the field that does not parse."""
    query = {"status": status.strip(), "region_code": region_code.strip(), "liaison": liaison.strip()}
    if query["status"] and query["status"] not in STATUS_LABELS:
        raise InvalidInput("status: complete, late, in_progress or not_started", "状态只能是：" + "、".join(STATUS_LABELS.values()), field="status")
    if query["region_code"] and not _REGION.match(query["region_code"]):
        raise InvalidInput("region_code: six or nine digits", "行政区划代码应为6位或9位数字", field="region_code")
    if query["liaison"] not in ("", "me"):
        raise InvalidInput("liaison: me or nothing", "联络员筛选只能是“我联系的企业”", field="liaison")
    return query


async def _progress(ctx: Context, principal: Principal, query: dict[str, str]) -> ProgressOut:
    return await programme_progress(
        ctx, principal, region_code=query["region_code"] or None, liaison_user_id=principal.user_id if query["liaison"] == "me" else None,
        status=query["status"] or None,  # type: ignore[arg-type]
    )


@get("/dual-prevention", name="console_dual_prevention")
async def progress_page(request: Request, ctx: Context, principal: Principal, status: str = "", region_code: str = "", liaison: str = "") -> Template:
    """Counts per status, and per enterprise: deadline, points, gaps, lists, built, tasks, used, report, status."""
    require(principal.role, "dual_prevention.read")
    raw = {"status": status, "region_code": region_code, "liaison": liaison}
    context: dict[str, Any] = {"labels": STATUS_LABELS, "tones": STAT_TONES, "progress": None, "names": {}, "query": raw, "error": None,
                               "regions": await region_choices(ctx, principal, region_code.strip() if _REGION.match(region_code.strip()) else "")}
    try:
        query = context["query"] = _filters(status, region_code, liaison)
    except InvalidInput as exc:
        return render(request, principal, "dp_progress.html", section="dual_prevention", status_code=400, **{**context, "error": exc})
    progress = await _progress(ctx, principal, query)
    context.update(progress=progress, names=await region_names(ctx, (r.region_code for r in progress.rows)))
    return render(request, principal, "dp_progress.html", section="dual_prevention", **context)


def _yes(value: bool) -> str:
    return "是" if value else "否"


def progress_csv(progress: ProgressOut, names: dict[str, str]) -> bytes:
    """The page's table as CSV, UTF-8 with a BOM (Excel then reads the Chinese right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in progress.rows:
        writer.writerow((
            r.name, r.region_code, names.get(r.region_code, ""), r.deadline.isoformat() if r.deadline else "", r.deadline_name or "", r.points, r.gaps,
            r.check_lists, _yes(r.built), r.tasks_done, r.tasks_ended, _yes(r.used), r.report_status_label, r.status_label,
        ))
    return out.getvalue().encode("utf-8-sig")


@get("/dual-prevention/progress.csv", name="console_dual_prevention_csv", opt={"uncompressed": True})
async def progress_download(ctx: Context, principal: Principal, status: str = "", region_code: str = "", liaison: str = "") -> Response[bytes]:
    """The same rows as the page, with the same filters, as a CSV download."""
    require(principal.role, "dual_prevention.read")
    progress = await _progress(ctx, principal, _filters(status, region_code, liaison))
    names = await region_names(ctx, (r.region_code for r in progress.rows))
    filename = f"双重预防建设进度-{progress.as_of.isoformat()}.csv"
    return Response(progress_csv(progress, names), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


ROUTES = [progress_page, progress_download]
