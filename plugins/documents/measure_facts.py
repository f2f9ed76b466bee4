"""现场处理措施: what the request decides (停产停业, 停止使用相关设施设备, 撤出作业人员), for how long,
and on what basis — by default 《中华人民共和国安全生产法》（2021年修正）第六十五条第一款第（三）项:
a major accident hazard that cannot be kept safe before or while it is removed: workers are
withdrawn from the danger zone, production or the use of facilities stopped for the time being."""

from __future__ import annotations

from typing import Any

from core.errors import InvalidInput
from plugins.documents.dates import date_text
from plugins.documents.wire import MEASURE_LABELS, DocumentIn

DEFAULT_BASIS = "《中华人民共和国安全生产法》第六十五条第一款第（三）项"


def measure_facts(data: DocumentIn) -> dict[str, Any]:
    """The ``measure.*`` facts; what the request left out stays absent (reported as missing).

    400 naming ``period_end`` for a period that ends before it starts."""
    if data.period_start and data.period_end and data.period_end < data.period_start:
        raise InvalidInput("period_end lies before period_start", "措施截止日期早于起始日期", field="period_end")
    kinds = list(dict.fromkeys(data.measures))
    facilities = data.facilities.strip()
    labels = [f"{MEASURE_LABELS[k]}（{facilities}）" if k == "stop_using" and facilities else MEASURE_LABELS[k] for k in kinds]
    facts: dict[str, Any] = {
        "kinds": "；".join(labels),
        "period_start": date_text(data.period_start),
        "period_end": date_text(data.period_end),
        "basis": data.basis.strip() or DEFAULT_BASIS,
        "facilities": facilities if "stop_using" in kinds else "—",
    }
    if kinds and data.period_start and data.period_end:
        lines = [f"{i}. {label}；" for i, label in enumerate(labels, start=1)]
        lines[-1] = lines[-1][:-1] + "。"
        facts["decision"] = "".join(lines) + f"期限自{facts['period_start']}起至{facts['period_end']}止。"
    return facts
