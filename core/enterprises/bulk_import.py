"""Bulk import of enterprise files from CSV or XLSX, with a per-row error report.

Each row is decoded, validated and stored in its own transaction: a bad row never blocks the good
ones and is never half-imported. A row whose USCC already exists (in the caller's scope) updates
that enterprise; otherwise it creates one. Headers may be Chinese or the glossary identifiers.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import msgspec
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.enterprises.service import create_in_session, update_in_session
from core.enterprises.wire import EnterpriseIn, EnterprisePatch, ImportReport, ImportRowError
from core.errors import AppError, InvalidInput, field_path_of
from core.http.nul import refuse_nul
from core.vocabulary import HIGH_RISK_FLAG_LABELS, INDUSTRY_LABELS, RISK_LEVEL_LABELS, SCALE_LABELS

MAX_ROWS = 50_000

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
}
_LIST_FIELDS = {"industries", "high_risk_flags"}
_LABEL_TO_ID = {
    "industries": {v: k for k, v in INDUSTRY_LABELS.items()},
    "high_risk_flags": {v: k for k, v in HIGH_RISK_FLAG_LABELS.items()},
    "scale": {v: k for k, v in SCALE_LABELS.items()},
    "risk_level": {**{v: k for k, v in RISK_LEVEL_LABELS.items()}, "重大": "major", "较大": "high", "一般": "moderate", "低": "low", "红": "major", "橙": "high", "黄": "moderate", "蓝": "low"},
}
_TRUE = {"1", "true", "yes", "是", "y"}
_FALSE = {"0", "false", "no", "否", "n", ""}
_SPLIT = re.compile(r"[;,，；、|/\s]+")


def read_rows(filename: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of a CSV (UTF-8 with or without BOM, or GB18030) or XLSX file as header→value dicts."""
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
    return list(csv.DictReader(io.StringIO(text)))


def _read_xlsx(content: bytes) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise InvalidInput(f"not a readable XLSX file: {exc}", "无法读取XLSX文件", field="file") from exc
    rows = workbook.active.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    return [dict(zip(header, row, strict=False)) for row in rows if any(v not in (None, "") for v in row)]


def _normalise(raw: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for header, value in raw.items():
        field = HEADERS.get((header or "").strip())
        if field is None:
            continue
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if field in ("blacklisted", "active"):
                continue
            if field not in _LIST_FIELDS:
                continue
        if field in _LIST_FIELDS:
            parts = [p for p in _SPLIT.split(str(value or "")) if p]
            data[field] = [_LABEL_TO_ID[field].get(p, p) for p in parts]
        elif field in ("scale", "risk_level"):
            data[field] = _LABEL_TO_ID[field].get(str(value), str(value))
        elif field in ("blacklisted", "active"):
            text = str(value).strip().lower()
            data[field] = True if text in _TRUE else False if text in _FALSE else text
        elif field in ("longitude", "latitude"):
            data[field] = value
        elif field == "region_code" and isinstance(value, (int, float)):
            data[field] = str(int(value))
        else:
            data[field] = str(value)
    return data


def _row_error(row: int, exc: Exception) -> ImportRowError:
    if isinstance(exc, AppError):
        return ImportRowError(row, exc.field, exc.message, exc.message_zh or exc.message)
    message = str(exc)
    field = field_path_of(message)
    return ImportRowError(row, field, message, f"字段 {field or ''} 格式错误：{message}")


async def import_enterprises(ctx: Context, principal: Principal, filename: str, content: bytes) -> ImportReport:
    """Import every row; return counts and one error per refused row."""
    require(principal.role, "enterprise.import")
    rows = read_rows(filename, content)
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"at most {MAX_ROWS} rows per file", f"单个文件最多 {MAX_ROWS} 行", field="file")
    created = updated = 0
    errors: list[ImportRowError] = []
    for index, raw in enumerate(rows, start=2):
        try:
            values = _normalise(raw)
            refuse_nul(values)  # PostgreSQL stores no U+0000: this row's error (core.http.nul)
            data = msgspec.convert(values, EnterpriseIn, strict=False)
            async with ctx.db.write() as session:
                existing = await _existing(session, data.uscc)
                if existing is not None and principal.sees_enterprise(existing):
                    fields = {k: v for k, v in msgspec.structs.asdict(data).items()}
                    await update_in_session(session, ctx, principal, existing.id, msgspec.convert(fields, EnterprisePatch))
                    updated += 1
                else:
                    await create_in_session(session, ctx, principal, data)
                    created += 1
        except (AppError, msgspec.ValidationError) as exc:
            errors.append(_row_error(index, exc))
    return ImportReport(created=created, updated=updated, failed=len(errors), errors=errors)


async def _existing(session: AsyncSession, uscc: str) -> Enterprise | None:
    return (await session.exec(select(Enterprise).where(Enterprise.uscc == uscc))).first()
