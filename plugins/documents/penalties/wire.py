"""Request and response bodies of the 行政处罚 API, one request body per stage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from core.wire import In

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=36)]
Yuan = Annotated[int, msgspec.Meta(ge=0, le=1_000_000_000, description="金额（元，整数）")]
Clause = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
HEARING_LABELS = {"not_requested": "当事人未要求听证", "held": "已依法举行听证"}


class PenaltyFileIn(In):
    """立案: the party, the cause and the (at least two) 执法人员 handling the case."""

    enterprise_id: Id
    cause: Annotated[str, msgspec.Meta(min_length=1, max_length=200, description="案由，如 未按规定对重大危险源进行安全评估")]
    handlers: Annotated[list[Id], msgspec.Meta(min_length=2, max_length=5, description="承办人（执法人员）用户编号，至少两人，均须有执法证号")]
    inspection_id: Id | None = None
    hazard_ids: Annotated[list[Id], msgspec.Meta(max_length=200)] = msgspec.field(default_factory=list)


class PenaltyNoticeIn(In):
    """告知 (行政处罚法第四十四条): the proposed penalty with its facts, reasons and basis."""

    facts: Annotated[str, msgspec.Meta(min_length=1, max_length=4000, description="违法事实及证据")]
    violated: Clause
    basis: Clause
    proposed: Annotated[str, msgspec.Meta(min_length=1, max_length=500, description="拟作出的行政处罚，如 罚款人民币叁万元")]
    notified_on: date
    proposed_fine_yuan: Yuan | None = None


class PenaltyDecisionIn(In):
    """决定: the party's 陈述申辩 as recorded, whether a hearing was held, and the penalty decided."""

    decision: Annotated[str, msgspec.Meta(min_length=1, max_length=500, description="处罚决定，如 罚款人民币贰万元")]
    decided_on: date
    hearing: Literal["not_requested", "held"] = "not_requested"
    statement: Annotated[str, msgspec.Meta(max_length=4000, description="当事人陈述、申辩意见（未陈述申辩时为空）")] = ""
    fine_yuan: Yuan | None = None
    payee: Annotated[str, msgspec.Meta(max_length=200, description="罚款缴纳机构（罚缴分离）")] = ""
    account: Annotated[str, msgspec.Meta(max_length=64, description="缴款账号")] = ""


class PenaltyFulfilmentIn(In):
    """履行: the fine paid (or, for a penalty without a fine, its execution recorded)."""

    paid_on: date
    paid_yuan: Yuan = 0
    receipt_no: Annotated[str, msgspec.Meta(max_length=64, description="缴款凭证号")] = ""
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""


class HandlerOut(msgspec.Struct, kw_only=True):
    user_id: str
    name: str


class PenaltyOut(msgspec.Struct, kw_only=True):
    id: str
    enterprise_id: str
    inspection_id: str | None
    hazard_ids: list[str]
    status: str
    status_label: str
    version: int
    cause: str
    handlers: list[HandlerOut]
    filed_by: str | None
    filed_at: datetime
    facts: str
    violated: str
    basis: str
    proposed: str
    proposed_fine_yuan: int | None
    notified_on: date | None
    statement: str
    hearing: str
    decision: str
    fine_yuan: int | None
    payee: str
    account: str
    decided_on: date | None
    paid_yuan: int | None
    paid_on: date | None
    receipt_no: str
    fulfilment_note: str
    updated_at: datetime
