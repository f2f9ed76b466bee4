"""系统 · 插件 and 定时任务: which plugins run (and what they gave, what failed), which jobs run when,
their last runs, and running one now.

The plugin list is the registry's report that ``GET /api/v1/plugins`` answers (``plugin.read``),
with the document types each contributed. Running a job is core's ``run_job``, as
``POST /api/v1/jobs/{name}/run`` (``job.run``): once per period unless forced, the outcome shown
after the redirect.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.errors import AppError
from core.scheduler.catalogue import JOBS
from core.scheduler.history import last_runs
from core.scheduler.runner import run_job
from web.console import forms
from web.console.pages.system_common import system_page

_STATUS = {"ok": "正常", "degraded": "部分失败", "failed": "加载失败", "disabled": "已停用"}
_SOURCE = {"builtin": "内置", "entry_point": "已安装", "registered": "运行时注册"}


@get("/system/plugins", name="console_system_plugins")
async def plugins_page(request: Request, principal: Principal) -> Template:
    """Every plugin: source, version, status, checklists, evaluators, document types, problems."""
    require(principal.role, "plugin.read")
    plugins = request.app.state.plugins.report()
    types: dict[str, list[Any]] = {}
    catalogue = request.app.state.get("document_types")
    for described in catalogue.described() if catalogue is not None else []:
        types.setdefault(described.plugin, []).append(described)
    return system_page(request, principal, "system_plugins.html", sub="plugins", plugins=plugins, types=types, status_zh=_STATUS, source_zh=_SOURCE,
                       problems=sum(1 for p in plugins if p.status != "ok" and p.status != "disabled"))


def schedule_zh(cron: dict[str, Any]) -> str:
    """A job's cron fields (local time) in words: 每小时第5分, 每天 08:00, 每月1日 01:00 …"""
    minute, hour, day, month = cron.get("minute", 0), cron.get("hour"), cron.get("day"), cron.get("month")
    if hour is None:
        return f"每小时第 {minute} 分"
    at = f"{int(hour):02d}:{int(minute):02d}" if str(hour).isdigit() and str(minute).isdigit() else f"{hour}时{minute}分"
    if day is None:
        return f"每天 {at}"
    if month is None:
        return f"每月{day}日 {at}"
    return f"每年{month}月{day}日 {at}"


def _outcome(query: dict[str, str]) -> dict[str, str] | None:
    job, status, period = query.get("ran", ""), query.get("outcome", ""), query.get("period", "")[:32]
    if job not in JOBS or status not in ("done", "skipped", "failed"):
        return None
    text = {"done": f"已运行“{job}”（周期 {period}）。", "failed": f"“{job}”运行失败（周期 {period}），错误见下方运行记录。",
            "skipped": f"“{job}”本周期（{period}）已运行或正在运行，未重复执行；如需重跑请勾选“强制重跑”。"}[status]
    return {"status": status, "text": text, "job": job}


async def _jobs_view(request: Request, ctx: Context, principal: Principal, *, error: AppError | None = None, status_code: int = 200) -> Template:
    runs = await last_runs(ctx, JOBS)
    jobs = [{"spec": spec, "schedule": schedule_zh(spec.cron), "runs": runs.get(name, [])} for name, spec in JOBS.items()]
    outcome = _outcome(dict(request.query_params))
    return system_page(request, principal, "system_jobs.html", sub="jobs", jobs=jobs, outcome=outcome, error=error, status_code=status_code)


@get("/system/jobs", name="console_system_jobs")
async def jobs_page(request: Request, ctx: Context, principal: Principal) -> Template:
    """Each job: what it does, its schedule, its last runs with outcome and duration; a run button."""
    require(principal.role, "job.run")
    return await _jobs_view(request, ctx, principal)


@post("/system/jobs/{name:str}/run", name="console_system_job_run")
async def run_job_form(request: Request, ctx: Context, principal: Principal, name: str) -> Response[Any]:
    """Run a job now, as ``POST /api/v1/jobs/{name}/run`` (``force`` re-runs a period already done)."""
    require(principal.role, "job.run")
    form = await request.form()
    try:
        outcome = await run_job(ctx, name, force=forms.text(form, "force") == "1")
    except AppError as exc:
        return await _jobs_view(request, ctx, principal, error=exc, status_code=exc.status_code)
    query = urlencode({"ran": outcome.job, "outcome": outcome.status, "period": outcome.period})
    return Redirect(f"/system/jobs?{query}#job-{outcome.job}", status_code=303)


ROUTES = [plugins_page, jobs_page, run_job_form]
