"""Request and response bodies of the enterprise API (一企一档), and the import report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.vocabulary import SECTORS, HighRiskFlag, Industry, ProductionKind, RiskLevel, Scale, Sector
from core.wire import In, Name, RegionCode, Short, USCCField

Sectors = Annotated[list[Sector], msgspec.Meta(max_length=len(SECTORS), description="工贸行业类别（仅工贸企业）")]
StaffCount = Annotated[int, msgspec.Meta(ge=0, le=10000)]
UserId = Annotated[str, msgspec.Meta(min_length=1, max_length=36)]


class EnterpriseIn(In):
    """A new enterprise file (一企一档)."""

    name: Name
    uscc: USCCField
    region_code: RegionCode
    industries: Annotated[list[Industry], msgspec.Meta(min_length=1, max_length=10)]
    scale: Scale
    grid_code: str | None = None
    high_risk_flags: list[HighRiskFlag] = msgspec.field(default_factory=list)
    risk_level: RiskLevel | None = None
    legal_representative: Short = ""
    safety_manager: Short = ""
    safety_manager_phone: Annotated[str, msgspec.Meta(max_length=32)] = ""
    address: Annotated[str, msgspec.Meta(max_length=300)] = ""
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    blacklisted: bool = False
    active: bool = True
    uscc_override_reason: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    production_kind: ProductionKind | None = None
    sectors: Sectors = msgspec.field(default_factory=list)
    safety_office: bool | None = None
    safety_staff_full_time: StaffCount | None = None
    safety_staff_part_time: StaffCount | None = None
    liaison_user_id: UserId | None = None


class EnterprisePatch(In):
    """A partial change; ``expected_version`` (optional) refuses a stale edit with 409."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    uscc: USCCField | msgspec.UnsetType = msgspec.UNSET
    region_code: RegionCode | msgspec.UnsetType = msgspec.UNSET
    industries: Annotated[list[Industry], msgspec.Meta(min_length=1, max_length=10)] | msgspec.UnsetType = msgspec.UNSET
    scale: Scale | msgspec.UnsetType = msgspec.UNSET
    grid_code: str | None | msgspec.UnsetType = msgspec.UNSET
    high_risk_flags: list[HighRiskFlag] | msgspec.UnsetType = msgspec.UNSET
    risk_level: RiskLevel | None | msgspec.UnsetType = msgspec.UNSET
    legal_representative: Short | msgspec.UnsetType = msgspec.UNSET
    safety_manager: Short | msgspec.UnsetType = msgspec.UNSET
    safety_manager_phone: Annotated[str, msgspec.Meta(max_length=32)] | msgspec.UnsetType = msgspec.UNSET
    address: Annotated[str, msgspec.Meta(max_length=300)] | msgspec.UnsetType = msgspec.UNSET
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None | msgspec.UnsetType = msgspec.UNSET
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None | msgspec.UnsetType = msgspec.UNSET
    blacklisted: bool | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    uscc_override_reason: Annotated[str, msgspec.Meta(max_length=500)] | None | msgspec.UnsetType = msgspec.UNSET
    production_kind: ProductionKind | None | msgspec.UnsetType = msgspec.UNSET
    sectors: Sectors | msgspec.UnsetType = msgspec.UNSET
    safety_office: bool | None | msgspec.UnsetType = msgspec.UNSET
    safety_staff_full_time: StaffCount | None | msgspec.UnsetType = msgspec.UNSET
    safety_staff_part_time: StaffCount | None | msgspec.UnsetType = msgspec.UNSET
    liaison_user_id: UserId | None | msgspec.UnsetType = msgspec.UNSET
    expected_version: int | msgspec.UnsetType = msgspec.UNSET


class EnterpriseOut(msgspec.Struct, kw_only=True):
    id: str
    name: str
    uscc: str
    uscc_override_reason: str | None
    region_code: str
    grid_code: str | None
    industries: list[str]
    scale: str
    high_risk_flags: list[str]
    risk_level: str | None
    production_kind: str | None
    sectors: list[str]
    safety_office: bool | None
    safety_staff_full_time: int | None
    safety_staff_part_time: int | None
    liaison_user_id: str | None
    legal_representative: str
    safety_manager: str
    safety_manager_phone: str
    address: str
    longitude: float | None
    latitude: float | None
    blacklisted: bool
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class ImportRowError(msgspec.Struct):
    """Why one import row was refused (rows are numbered as in the file, header = 1)."""

    row: int
    field: str | None
    message: str
    message_zh: str


class ImportReport(msgspec.Struct):
    created: int
    updated: int
    failed: int
    errors: list[ImportRowError]
