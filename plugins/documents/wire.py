"""Request and response bodies of the documents API (msgspec; table rows are converted explicitly)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from core.wire import In

Text300 = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$", description="附件的 sha256（小写十六进制）")]
Id = Annotated[str, msgspec.Meta(min_length=1, max_length=36)]
MeasureKind = Literal["stop_production", "stop_using", "withdraw_personnel"]

MEASURE_LABELS: dict[str, str] = {
    "stop_production": "责令暂时停产停业",
    "stop_using": "责令暂时停止使用相关设施、设备",
    "withdraw_personnel": "责令从危险区域内撤出作业人员",
}


class AuthorityIn(In):
    """文书执法机关: who issues the documents for a region, and what its documents print."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, description="全称，文书抬头，如 德阳市应急管理局")]
    short_name: Annotated[str, msgspec.Meta(min_length=1, max_length=8, description="编号用简称，如 德")]
    review_body: Annotated[str, msgspec.Meta(min_length=1, max_length=200, description="行政复议机关，如 德阳市人民政府")]
    court: Annotated[str, msgspec.Meta(min_length=1, max_length=200, description="人民法院，如 德阳市旌阳区人民法院")]
    address: Annotated[str, msgspec.Meta(max_length=300, description="地址（页脚）")] = ""
    phone: Annotated[str, msgspec.Meta(max_length=32, description="电话（页脚）")] = ""


class AuthorityOut(msgspec.Struct, kw_only=True):
    id: str
    region_code: str
    name: str
    short_name: str
    review_body: str
    court: str
    address: str
    phone: str
    version: int
    updated_at: datetime


class DocumentIn(In):
    """Issue a document of ``type`` for an inspection (and, for some types, hazards and a measure).

    ``hazard_ids`` narrows the hazards listed (default: the inspection's; for 现场处理措施决定书 its
    major hazards). ``measures``, ``facilities``, ``period_start``/``period_end`` and ``basis`` are
    for 现场处理措施决定书; ``penalty_id`` the decided 行政处罚 case of a 行政处罚决定书. ``corrects`` names an issued document this one corrects (voided at once)."""

    type: Annotated[str, msgspec.Meta(min_length=1, max_length=64, description="文书种类，如 rectification_order")]
    inspection_id: Id
    hazard_ids: Annotated[list[Id], msgspec.Meta(max_length=200)] = msgspec.field(default_factory=list)
    measures: Annotated[list[MeasureKind], msgspec.Meta(max_length=3)] = msgspec.field(default_factory=list)
    facilities: Annotated[str, msgspec.Meta(max_length=300, description="停止使用的设施、设备")] = ""
    period_start: date | None = None
    period_end: date | None = None
    basis: Annotated[str, msgspec.Meta(max_length=300, description="现场处理依据（默认：安全生产法第六十五条第一款第（三）项）")] = ""
    corrects: Id | None = None
    penalty_id: Id | None = None  # 行政处罚案件: required for 行政处罚决定书, decided


class VoidIn(In):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=300, description="作废原因")]


class SignatureIn(In):
    """A signature added after issue (the enterprise's representative signing on the spot)."""

    role: Annotated[str, msgspec.Meta(min_length=1, max_length=32, description="签名栏，如 enterprise、inspector_2")]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    sha256: Sha256


class SignatureOut(msgspec.Struct, kw_only=True):
    role: str
    label: str
    name: str
    sha256: str
    source: str
    signed_at: datetime
    signed_by: str | None


class DocumentOut(msgspec.Struct, kw_only=True):
    """An issued document: its number, its content snapshot and hash, signatures and what is awaited."""

    id: str
    type: str
    title: str
    number: str
    status: str
    authority_id: str
    year: int
    seq: int
    inspection_id: str | None
    enterprise_id: str
    hazard_ids: list[str]
    content: dict[str, Any]
    content_hash: str
    signatures: list[SignatureOut]
    awaiting: list[str]
    supersedes: str | None
    voided_reason: str | None
    voided_by: str | None
    voided_at: datetime | None
    issued_by: str | None
    issued_at: datetime


class SignatureBoxOut(msgspec.Struct, kw_only=True):
    role: str
    label: str
    per_inspector: bool
    required: bool


class DocumentTypeOut(msgspec.Struct, kw_only=True):
    """A document type on offer: where it came from, what it is made from, what it requires."""

    code: str
    title: str
    number_class: str
    source: str
    description: str
    plugin: str
    requires: list[str]
    min_rows: dict[str, int]
    signatures: list[SignatureBoxOut]
    photos: bool
    tablet_signatures: bool
