"""Bulk import of enterprise files from CSV or XLSX: a check of every row that writes nothing, and
the writing itself, in chunks.

Both passes decode and validate a row the same way (``_decode``, ``_plan``: the service's own USCC,
place and scope checks). The check also refuses a USCC that appears twice in the file, so a clean
check means every row will be written. A row whose USCC already exists in the caller's scope
updates that enterprise; otherwise it creates one. Headers may be Chinese or the glossary
identifiers; rows are numbered as the spreadsheet shows them (header = 1).

Writing takes one transaction per chunk (``write_rows``, ``CHUNK`` rows): every row is checked again
inside it before anything changes, so a bad row is skipped without costing its neighbours; if the
chunk still fails (a concurrent writer), it is redone a row per transaction.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

import msgspec
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.enterprises.liaison import check_liaison
from core.enterprises.records import Enterprise
from core.enterprises.service import _check_places, _check_uscc, _check_within_scope, check_sectors, create_in_session, update_in_session
from core.enterprises.wire import EnterpriseIn, EnterprisePatch, ImportReport, ImportRowError
from core.errors import AppError, Conflict, InvalidInput, field_path_of
from core.http.nul import refuse_nul
from core.regions.records import Grid, Region
from core.vocabulary import HIGH_RISK_FLAG_LABELS, INDUSTRY_LABELS, PRODUCTION_KIND_LABELS, RISK_LEVEL_LABELS, SCALE_LABELS, SECTOR_LABELS

MAX_ROWS = 50_000
CHUNK = 500  # rows per write transaction (and per console request)

HEADERS = {
    "企业名称": "name", "名称": "name", "name": "name",
    "统一社会信用代码": "uscc", "信用代码": "uscc", "uscc": "uscc",
    "行政区划代码": "region_code", "区划代码": "region_code", "region_code": "region_code",
    "网格": "grid_code", "网格编码": "grid_code", "grid_code": "grid_code",
    "行业": "industries", "行业领域": "industries", "industries": "industries",
    "规模": "scale", "企业规模": "scale", "scale": "scale",
    "高危标识": "high_risk_flags", "高危": "high_risk_flags", "high_risk_flags": "high_risk_flags",
    "风险等级": "risk_level", "risk_level": "risk_level",
    "法定代表人": "legal_representative", "legal_representative": "legal_representative",
    "安全负责人": "safety_manager", "safety_manager": "safety_manager",
    "安全负责人电话": "safety_manager_phone", "联系电话": "safety_manager_phone", "safety_manager_phone": "safety_manager_phone",
    "地址": "address", "address": "address",
    "经度": "longitude", "longitude": "longitude",
    "纬度": "latitude", "latitude": "latitude",
    "黑名单": "blacklisted", "blacklisted": "blacklisted",
    "在营": "active", "active": "active",
    "校验例外原因": "uscc_override_reason", "uscc_override_reason": "uscc_override_reason",
    "行业类别": "sectors", "工贸行业类别": "sectors", "sectors": "sectors",
    "生产仓储类别": "production_kind", "生产/仓储类别": "production_kind", "production_kind": "production_kind",
    "安全管理机构": "safety_office", "安全生产管理机构": "safety_office", "safety_office": "safety_office",
    "专职安全管理人员": "safety_staff_full_time", "专职安全生产管理人员": "safety_staff_full_time", "safety_staff_full_time": "safety_staff_full_time",
    "兼职安全管理人员": "safety_staff_part_time", "兼职安全生产管理人员": "safety_staff_part_time", "safety_staff_part_time": "safety_staff_part_time",
}
# The template's headers, one per field, in the order a person fills them in.
TEMPLATE_HEADERS = (
    "企业名称", "统一社会信用代码", "行政区划代码", "网格编码", "行业", "规模", "高危标识", "风险等级", "法定代表人",
    "安全负责人", "安全负责人电话", "地址", "经度", "纬度", "黑名单", "在营", "校验例外原因",
    "行业类别", "生产仓储类别", "安全管理机构", "专职安全管理人员", "兼职安全管理人员",
)
REQUIRED = ("name", "uscc", "region_code", "industries", "scale")
_LIST_FIELDS = {"industries", "high_risk_flags", "sectors"}
_FLAG_FIELDS = ("blacklisted", "active", "safety_office")  # 是 / 否; a blank cell leaves the field as it is
_COUNT_FIELDS = ("safety_staff_full_time", "safety_staff_part_time")
_LABEL_TO_ID = {
    "industries": {v: k for k, v in INDUSTRY_LABELS.items()},
    "high_risk_flags": {v: k for k, v in HIGH_RISK_FLAG_LABELS.items()},
    "sectors": {v: k for k, v in SECTOR_LABELS.items()},
    "production_kind": {**{v: k for k, v in PRODUCTION_KIND_LABELS.items()}, "生产": "production", "仓储": "storage"},
    "scale": {v: k for k, v in SCALE_LABELS.items()},
    "risk_level": {**{v: k for k, v in RISK_LEVEL_LABELS.items()}, "重大": "major", "较大": "high", "一般": "moderate", "低": "low", "红": "major", "橙": "high", "黄": "moderate", "蓝": "low"},
}
_CHOICES = {
    "industries": INDUSTRY_LABELS, "high_risk_flags": HIGH_RISK_FLAG_LABELS, "scale": SCALE_LABELS, "risk_level": RISK_LEVEL_LABELS,
    "sectors": SECTOR_LABELS, "production_kind": PRODUCTION_KIND_LABELS,
}
_TRUE = {"1", "true", "yes", "是", "y", "有"}
_FALSE = {"0", "false", "no", "否", "n", "", "无"}
_SPLIT = re.compile(r"[;,，；、|/\s]+")


class ImportRow(msgspec.Struct, array_like=True):
    """One decoded row: its number in the spreadsheet and its values by field (not yet validated)."""

    row: int
    values: dict[str, Any]


class ImportCheck(msgspec.Struct, kw_only=True):
    """What writing the file would do: rows to create and update, and every refused row.

    ``columns`` maps a field to its header as written in the file (to name a column in an error);
    ``rows`` are the decoded rows, for ``write_rows`` once the file is clean.
    """

    total: int
    to_create: int
    to_update: int
    errors: list[ImportRowError]
    columns: dict[str, str]
    rows: list[ImportRow]


def read_rows(filename: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of a CSV (UTF-8 with or without BOM, or GB18030) or XLSX file as header→value dicts."""
    return [raw for _, raw in read_sheet(filename, content)[1]]


def read_sheet(filename: str, content: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """The header row, and the non-blank rows each with its row number as a spreadsheet shows it."""
    if filename.lower().endswith(".xlsx") or content[:2] == b"PK":
        return _read_xlsx(content)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput("file is neither UTF-8 nor GB18030 text", "文件编码无法识别（应为UTF-8或GB18030）", field="file")
    try:
        reader = csv.DictReader(io.StringIO(text))
        rows = [(reader.line_num, raw) for raw in reader if any(v not in (None, "") for v in raw.values())]
        return [str(h) for h in reader.fieldnames or []], rows
    except csv.Error as exc:
        raise InvalidInput(f"not a readable CSV file: {exc}", "无法读取CSV文件（引号或分隔符有误）", field="file") from exc


def _read_xlsx(content: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
        return header, [(number, dict(zip(header, row, strict=False))) for number, row in enumerate(rows, start=2) if any(v not in (None, "") for v in row)]
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise InvalidInput(f"not a readable XLSX file: {exc}", "无法读取XLSX文件", field="file") from exc


def _normalise(raw: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for header, value in raw.items():
        field = HEADERS.get((header or "").strip())
        if field is None:
            continue
        if isinstance(value, str):
            value = value.strip()
        if (value is None or value == "") and field not in _LIST_FIELDS:
            continue
        if field in _LIST_FIELDS:
            parts = [p for p in _SPLIT.split(str(value or "")) if p]
            data[field] = [_LABEL_TO_ID[field].get(p, p) for p in parts]
        elif field in ("scale", "risk_level", "production_kind"):
            data[field] = _LABEL_TO_ID[field].get(str(value), str(value))
        elif field in _FLAG_FIELDS:
            text = str(value).strip().lower()
            data[field] = True if text in _TRUE else False if text in _FALSE else text
        elif field in ("longitude", "latitude", *_COUNT_FIELDS):
            data[field] = value
        elif field == "region_code" and isinstance(value, (int, float)):
            data[field] = str(int(value))
        else:
            data[field] = str(value)
    return data


def decode_file(filename: str, content: bytes) -> tuple[list[ImportRow], dict[str, str]]:
    """The file's rows decoded (not validated), and which header each field has in the file."""
    header, numbered = read_sheet(filename, content)
    if len(numbered) > MAX_ROWS:
        raise InvalidInput(f"at most {MAX_ROWS} rows per file", f"单个文件最多 {MAX_ROWS} 行", field="file")
    columns: dict[str, str] = {}
    for name in header:
        field = HEADERS.get((name or "").strip())
        if field is not None:
            columns.setdefault(field, name.strip())
    return [ImportRow(number, _normalise(raw)) for number, raw in numbered], columns


def explain_refusal(field: str | None, message: str) -> str:
    """A msgspec refusal in Chinese, naming what the field accepts."""
    base = (field or "").split("[")[0].split(".")[0]
    if "missing required field" in message:
        return "必填，不能为空"
    if "Invalid enum value" in message and base in _CHOICES:
        value = message.split("'")[1] if "'" in message else ""
        return f"取值“{value}”无效，可填：" + "、".join(_CHOICES[base].values())
    if match := re.search(r"length <= (\d+)", message):
        return f"最多 {match.group(1)} 个{'项' if base in _LIST_FIELDS else '字符'}"
    if "length >= 1" in message:
        return "至少填写一项" if base in _LIST_FIELDS else "不能为空"
    if base in _COUNT_FIELDS and ("Expected `int" in message or "Expected `number" in message):
        return "应为0到10000之间的整数"
    if re.search(r"Expected `(float|int|number)` [<>]=", message):
        return "超出允许范围"
    if re.search(r"Expected `(float|number|int)( \| null)?`", message):
        return "应为数字"
    if re.search(r"Expected `bool( \| null)?`", message):
        return "应填“是”或“否”"
    if "regex" in message and base == "region_code":
        return "应为6位或9位数字的行政区划代码"
    return f"格式不正确（{message}）"


def _row_error(row: int, exc: Exception) -> ImportRowError:
    if isinstance(exc, AppError):
        return ImportRowError(row, exc.field, exc.message, exc.message_zh or exc.message)
    message = str(exc)
    field = field_path_of(message)
    return ImportRowError(row, field, message, explain_refusal(field, message))


def _decode(row: ImportRow) -> EnterpriseIn:
    refuse_nul(row.values)  # PostgreSQL stores no U+0000: this row's error (core.http.nul)
    return msgspec.convert(row.values, EnterpriseIn, strict=False)


async def _plan(session: AsyncSession, principal: Principal, data: EnterpriseIn, existing: Enterprise | None, given: Iterable[str]) -> bool:
    """Whether the row updates ``existing`` (else it creates); raises as the service would, changing nothing.

    The same checks, in the same order, as ``create_in_session`` / ``update_in_session``; an update
    keeps what the row leaves out (``given``: the fields it fills), so the sectors and the liaison
    are checked against the enterprise as it will be.
    """
    require(principal.role, "enterprise.write")
    updating = existing is not None and principal.sees_enterprise(existing)
    _check_uscc(principal, data.uscc, data.uscc_override_reason)
    await _check_places(session, data.region_code, data.grid_code)
    if existing is not None and not updating:
        raise Conflict(f"an enterprise with USCC {data.uscc} already exists", f"统一社会信用代码 {data.uscc} 已存在", field="uscc")
    # sees_enterprise reads only these four; a plain object spares building a table row per check
    placed = SimpleNamespace(id=existing.id if updating and existing else "", region_code=data.region_code, grid_code=data.grid_code, industries=data.industries)
    kept = existing if updating and existing else None
    filled = set(given)
    after = SimpleNamespace(id=placed.id, **{
        name: getattr(data, name) if kept is None or name in filled else getattr(kept, name)
        for name in ("region_code", "grid_code", "industries", "sectors", "liaison_user_id")
    })
    check_sectors(after.industries, after.sectors)
    _check_within_scope(principal, placed)  # type: ignore[arg-type]
    await check_liaison(session, after)
    return updating


async def _existing(session: AsyncSession, usccs: Iterable[str]) -> dict[str, Enterprise]:
    wanted = sorted(set(usccs))
    found: dict[str, Enterprise] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = (await session.exec(select(Enterprise).where(col(Enterprise.uscc).in_(wanted[start:start + CHUNK])))).all()
        found.update({e.uscc: e for e in rows})
    return found


async def _places(session: AsyncSession, rows: list[ImportRow]) -> list[Any]:
    """The rows' regions and grids, loaded at once. The caller keeps the list: the session's identity
    map holds objects weakly, and while they live the service's own look-ups find them there."""
    regions = sorted({str(r.values.get("region_code")) for r in rows if r.values.get("region_code")})
    grids = sorted({str(r.values.get("grid_code")) for r in rows if r.values.get("grid_code")})
    held: list[Any] = []
    for start in range(0, len(regions), CHUNK):
        held += (await session.exec(select(Region).where(col(Region.code).in_(regions[start:start + CHUNK])))).all()
    for start in range(0, len(grids), CHUNK):
        held += (await session.exec(select(Grid).where(col(Grid.code).in_(grids[start:start + CHUNK])))).all()
    return held


def _usccs(rows: list[ImportRow]) -> list[str]:
    return [str(r.values["uscc"]) for r in rows if isinstance(r.values.get("uscc"), str)]


async def check_import(ctx: Context, principal: Principal, filename: str, content: bytes) -> ImportCheck:
    """Check every row of the file as the import would, writing nothing; list every refused row."""
    require(principal.role, "enterprise.import")
    rows, columns = decode_file(filename, content)
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        names = "、".join(TEMPLATE_HEADERS[[HEADERS[h] for h in TEMPLATE_HEADERS].index(f)] for f in missing)
        error = ImportRowError(1, missing[0], f"missing columns: {', '.join(missing)}", f"缺少必填列：{names}（请使用导入模板的表头）")
        return ImportCheck(total=len(rows), to_create=0, to_update=0, errors=[error], columns=columns, rows=[])
    errors: list[ImportRowError] = []
    to_create = to_update = 0
    first_row: dict[str, int] = {}
    async with ctx.db.read() as session:
        existing = await _existing(session, _usccs(rows))
        places = await _places(session, rows)
        for row in rows:
            try:
                data = _decode(row)
                if data.uscc in first_row:
                    raise InvalidInput(
                        f"uscc {data.uscc} also on row {first_row[data.uscc]}",
                        f"统一社会信用代码 {data.uscc} 与第 {first_row[data.uscc]} 行重复", field="uscc",
                    )
                first_row[data.uscc] = row.row
                if await _plan(session, principal, data, existing.get(data.uscc), row.values):
                    to_update += 1
                else:
                    to_create += 1
            except (AppError, msgspec.ValidationError) as exc:
                errors.append(_row_error(row.row, exc))
    del places  # held until here
    return ImportCheck(total=len(rows), to_create=to_create, to_update=to_update, errors=errors, columns=columns, rows=rows)


async def _write(session: AsyncSession, ctx: Context, principal: Principal, data: EnterpriseIn, existing: Enterprise | None, given: Iterable[str]) -> tuple[Enterprise, bool]:
    """Create the enterprise, or update the one with its USCC with the cells the row fills: a file
    without a risk level (set by an evaluation) or an address leaves those as they are."""
    if existing is not None and principal.sees_enterprise(existing):
        filled = set(given)
        patch = msgspec.convert({k: v for k, v in msgspec.structs.asdict(data).items() if k in filled}, EnterprisePatch)
        return await update_in_session(session, ctx, principal, existing.id, patch), True
    return await create_in_session(session, ctx, principal, data), False


async def write_rows(ctx: Context, principal: Principal, rows: list[ImportRow]) -> ImportReport:
    """Write one chunk of rows in one transaction; a row refused on its re-check is reported and skipped."""
    require(principal.role, "enterprise.import")
    try:
        async with ctx.db.write() as session:
            return await _write_chunk(session, ctx, principal, rows)
    except Exception:  # noqa: BLE001 - the chunk rolled back whole: redo it row by row, each alone
        return await _write_each(ctx, principal, rows)


async def _write_chunk(session: AsyncSession, ctx: Context, principal: Principal, rows: list[ImportRow]) -> ImportReport:
    existing = await _existing(session, _usccs(rows))
    places = await _places(session, rows)
    created = updated = 0
    errors: list[ImportRowError] = []
    for row in rows:
        try:
            data = _decode(row)
            await _plan(session, principal, data, existing.get(data.uscc), row.values)
        except (AppError, msgspec.ValidationError) as exc:
            errors.append(_row_error(row.row, exc))
            continue
        enterprise, was_update = await _write(session, ctx, principal, data, existing.get(data.uscc), row.values)
        existing[enterprise.uscc] = enterprise
        updated += was_update
        created += not was_update
    del places  # held until here
    return ImportReport(created=created, updated=updated, failed=len(errors), errors=errors)


async def _write_each(ctx: Context, principal: Principal, rows: list[ImportRow]) -> ImportReport:
    created = updated = 0
    errors: list[ImportRowError] = []
    for row in rows:
        try:
            data = _decode(row)
            async with ctx.db.write() as session:
                existing = (await session.exec(select(Enterprise).where(Enterprise.uscc == data.uscc))).first()
                _, was_update = await _write(session, ctx, principal, data, existing, row.values)
            updated += was_update
            created += not was_update
        except (AppError, msgspec.ValidationError) as exc:
            errors.append(_row_error(row.row, exc))
    return ImportReport(created=created, updated=updated, failed=len(errors), errors=errors)


def merge_reports(reports: Iterable[ImportReport]) -> ImportReport:
    """The reports of several chunks as one."""
    total = ImportReport(created=0, updated=0, failed=0, errors=[])
    for report in reports:
        total.created += report.created
        total.updated += report.updated
        total.failed += report.failed
        total.errors.extend(report.errors)
    return total


async def import_enterprises(ctx: Context, principal: Principal, filename: str, content: bytes) -> ImportReport:
    """Import every row (the API's import: no check first); return counts and one error per refused row."""
    require(principal.role, "enterprise.import")
    rows, _ = decode_file(filename, content)
    return merge_reports([await write_rows(ctx, principal, rows[start:start + CHUNK]) for start in range(0, len(rows), CHUNK)])
