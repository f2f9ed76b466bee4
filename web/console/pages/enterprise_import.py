"""企业: bulk import of enterprise files from CSV or XLSX (``enterprise.import``).

Upload → core's ``check_import`` checks every row as the import will write it (decoding, the
service's USCC / place / scope checks, a USCC twice in the file) and writes nothing: every refused
row is listed with its row number and column header as in the file and the reason in Chinese, and
the user fixes the file. A clean file is kept on disk (``enterprise_import_jobs``) and written, on
the user's confirmation, a chunk per request through ``write_rows`` — the API import's writer, with
its audit entries — showing "k / n 行" and what was created and updated. htmx asks for the next
chunk as soon as a page arrives; without JavaScript a 继续导入 button does the same.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.enterprises.bulk_import import CHUNK, TEMPLATE_HEADERS, ImportCheck, check_import, write_rows
from core.errors import AppError, InvalidInput, not_found
from core.vocabulary import HIGH_RISK_FLAG_LABELS, INDUSTRY_LABELS, PRODUCTION_KIND_LABELS, RISK_LEVEL_LABELS, SCALE_LABELS, SECTOR_LABELS
from web.console import forms
from web.console.pages import enterprise_import_jobs as jobs
from web.console.views import render

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload_page(request: Request, principal: Principal, *, status_code: int = 200, error: AppError | None = None,
                 check: ImportCheck | None = None, filename: str = "") -> Template:
    problems = []
    if check is not None:
        values = {row.row: row.values for row in check.rows}
        for e in check.errors:
            field = (e.field or "").split("[")[0].split(".")[0]
            value = values.get(e.row, {}).get(field, "")
            problems.append({"row": e.row, "column": check.columns.get(field, field or "—"),
                             "value": "、".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value)),
                             "reason": (e.message_zh or e.message).replace("uscc_override_reason", "“校验例外原因”列")})
    return render(request, principal, "enterprise_import.html", section="enterprises", status_code=status_code, error=error, check=check,
                  problems=problems, filename=filename)


@get("/enterprises/import", name="console_enterprise_import")
async def import_page(request: Request, ctx: Context, principal: Principal) -> Template:
    """The upload form, with a link to the template file."""
    require(principal.role, "enterprise.import")
    jobs.sweep(ctx.settings.data_dir)
    return _upload_page(request, principal)


@get("/enterprises/import/template.xlsx", name="console_enterprise_import_template")
async def import_template(ctx: Context, principal: Principal) -> Response[bytes]:
    """An empty XLSX with the Chinese headers, and a sheet listing the values each column accepts."""
    require(principal.role, "enterprise.import")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "企业名单"
    sheet.append(list(TEMPLATE_HEADERS))
    notes = book.create_sheet("填写说明")
    notes.append(["列", "填写说明"])
    for column, note in (
        ("企业名称、统一社会信用代码、行政区划代码、行业、规模", "必填"),
        ("统一社会信用代码", "18位，字母大写；已存在（且在您的管辖范围内）的代码将更新该企业"),
        ("行政区划代码", "6位（县）或9位（乡镇、街道）数字，须在您的管辖范围内"),
        ("行业", "可填多个，用顿号或分号分隔：" + "、".join(INDUSTRY_LABELS.values())),
        ("规模", "、".join(SCALE_LABELS.values())),
        ("高危标识", "可填多个：" + "、".join(HIGH_RISK_FLAG_LABELS.values())),
        ("风险等级", "、".join(RISK_LEVEL_LABELS.values()) + "（或 重大、较大、一般、低）"),
        ("黑名单、在营", "是 / 否"),
        ("网格编码", "可空；须属于所填的行政区划"),
        ("行业类别", "仅工贸企业（行业含“工贸”）填写，可填多个：" + "、".join(SECTOR_LABELS.values())),
        ("生产仓储类别", "、".join(PRODUCTION_KIND_LABELS.values())),
        ("安全管理机构", "是否设置安全生产管理机构：是 / 否（空白为未填）"),
        ("专职安全管理人员、兼职安全管理人员", "人数，0到10000之间的整数（空白为未填）"),
    ):
        notes.append([column, note])
    buffer = io.BytesIO()
    book.save(buffer)
    disposition = f"attachment; filename=enterprises-template.xlsx; filename*=UTF-8''{quote('企业导入模板.xlsx')}"
    return Response(buffer.getvalue(), media_type=XLSX, headers={"Content-Disposition": disposition})


@post("/enterprises/import", name="console_enterprise_import_check")
async def import_check(request: Request, ctx: Context, principal: Principal) -> Response[Any]:
    """Check every row of the uploaded file; list every refused one (400, nothing kept) or keep the clean file."""
    require(principal.role, "enterprise.import")
    form = await request.form()
    chosen = forms.files(form, "file")
    filename = chosen[0].filename if chosen else ""
    try:
        upload: UploadFile | None = chosen[0] if chosen else None
        if upload is None:
            raise InvalidInput("choose a file", "请选择要导入的CSV或XLSX文件", field="file")
        if not filename.lower().endswith((".csv", ".xlsx")):
            raise InvalidInput("only .csv and .xlsx files", "只能导入 .csv 或 .xlsx 文件", field="file")
        content = await upload.read()  # the server's body limit (ANJIAN_MAX_BODY_BYTES) applies, as to the API's import
        check = await check_import(ctx, principal, filename, content)
        if check.total == 0 and not check.errors:
            raise InvalidInput("no rows", "文件中没有数据行（第1行应为表头，数据从第2行开始）", field="file")
    except AppError as exc:
        return _upload_page(request, principal, status_code=exc.status_code, error=exc, filename=filename)
    if check.errors:
        error = InvalidInput(f"{len(check.errors)} rows refused", f"共有 {len(check.errors)} 行有误，未导入任何数据。请修改文件后重新上传。", field="file")
        return _upload_page(request, principal, status_code=400, error=error, check=check, filename=filename)
    jobs.sweep(ctx.settings.data_dir)
    job = jobs.create(ctx.settings.data_dir, principal.user_id, filename, check, ctx.clock.now())
    return Redirect(f"/enterprises/import/{job.token}", status_code=303)


def _job(ctx: Context, principal: Principal, token: str) -> jobs.ImportJob:
    require(principal.role, "enterprise.import")
    job = jobs.load(ctx.settings.data_dir, principal.user_id, token)
    if job is None:
        raise not_found("import", "导入任务")  # another user's token is as unknown as a made-up one
    return job


@get("/enterprises/import/{token:str}", name="console_enterprise_import_job")
async def import_job_page(request: Request, ctx: Context, principal: Principal, token: str) -> Template:
    """A clean file waiting for confirmation, its progress, or its result."""
    job = _job(ctx, principal, token)
    return render(request, principal, "enterprise_import_job.html", section="enterprises", job=job, chunk=CHUNK)


@post("/enterprises/import/{token:str}", name="console_enterprise_import_write")
async def import_job_write(request: Request, ctx: Context, principal: Principal, token: str) -> Response[Any]:
    """Write the next chunk of a clean file (the page's ``offset`` must be the job's progress)."""
    job = _job(ctx, principal, token)
    form = await request.form()
    offset = forms.integer(form, "offset")
    with jobs.locked(ctx.settings.data_dir, principal.user_id, token) as mine:
        job = jobs.load(ctx.settings.data_dir, principal.user_id, token) or job
        if mine and offset == job.done and not job.finished:
            rows = jobs.next_rows(ctx.settings.data_dir, principal.user_id, job)
            if not rows:
                raise not_found("import", "导入任务")  # its rows were removed (a day old): nothing to continue
            report = await write_rows(ctx, principal, rows)
            jobs.record(ctx.settings.data_dir, principal.user_id, job, len(rows), report)
    return Redirect(f"/enterprises/import/{token}", status_code=303)


ROUTES = [import_page, import_template, import_check, import_job_page, import_job_write]
