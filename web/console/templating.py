"""The console's Jinja2 environment: templates in ``web/console/templates/``, autoescaped, with the
filters every page uses (times in the deployment's zone, the glossary's Chinese labels).

``TEMPLATE_CONFIG`` is handed to litestar by ``server.py``; pages answer ``Template`` responses
(``web.console.views.page``).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from core.hazards.records import HAZARD_LEVEL_LABELS, HAZARD_STATUS_LABELS
from core.local_time import localized
from core.vocabulary import (
    HIGH_RISK_FLAG_LABELS,
    INDUSTRY_LABELS,
    PRODUCTION_KIND_LABELS,
    RISK_LEVEL_LABELS,
    ROLE_LABELS,
    SCALE_LABELS,
    SECTOR_LABELS,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"

ACTION_LABELS = {
    "created": "登记隐患",
    "listed_supervision": "挂牌督办",
    "order_rectification": "下达限期整改",
    "report_rectified": "报告整改完成",
    "recheck_passed": "复查合格销号",
    "recheck_failed": "复查不合格，重新限期整改",
    "extend_deadline": "延长整改期限",
    "marked_overdue": "逾期",
}
RISK_SHORT = {"major": "红 · 重大风险", "high": "橙 · 较大风险", "moderate": "黄 · 一般风险", "low": "蓝 · 低风险"}


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant in the deployment's zone ("" for none)."""
    return localized(value).strftime(fmt) if value else ""


def local_day(value: datetime | date | str | None) -> str:
    """The local date of an instant (or a date, or an ISO 8601 instant as history entries keep it) as YYYY-MM-DD."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value.strftime("%Y-%m-%d") if not isinstance(value, datetime) else localized(value).strftime("%Y-%m-%d")


def percent(value: float | None) -> str:
    """0.8532 → 85.3%."""
    return "—" if value is None else f"{value * 100:.1f}%"


def with_query(path: str, query: dict[str, Any], **changes: Any) -> str:
    """``path`` with the non-empty values of ``query`` updated by ``changes`` (a list's links keep its filters)."""
    values = {**query, **changes}
    kept = {key: value for key, value in values.items() if value not in (None, "") and not (key == "page" and value == 1)}
    return f"{path}?{urlencode(kept)}" if kept else path


def _label(table: dict[str, str]) -> Any:
    return lambda value: table.get(value, value) if value else ""


def environment() -> Environment:
    """The Jinja2 environment of the console (undefined names fail loudly, in tests too)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(
        local=local_time, day=local_day, percent=percent,
        status_label=_label(HAZARD_STATUS_LABELS), level_label=_label(HAZARD_LEVEL_LABELS), risk_label=_label(RISK_LEVEL_LABELS),
        risk_short=_label(RISK_SHORT), industry_label=_label(INDUSTRY_LABELS), role_label=_label(ROLE_LABELS), scale_label=_label(SCALE_LABELS),
        flag_label=_label(HIGH_RISK_FLAG_LABELS), sector_label=_label(SECTOR_LABELS), production_kind_label=_label(PRODUCTION_KIND_LABELS), action_label=_label(ACTION_LABELS), with_query=with_query,
    )
    env.globals.update(
        HAZARD_STATUS_LABELS=HAZARD_STATUS_LABELS, HAZARD_LEVEL_LABELS=HAZARD_LEVEL_LABELS, RISK_LEVEL_LABELS=RISK_LEVEL_LABELS,
        INDUSTRY_LABELS=INDUSTRY_LABELS,
    )
    return env


TEMPLATE_CONFIG = TemplateConfig(engine=JinjaTemplateEngine.from_environment(environment()))
