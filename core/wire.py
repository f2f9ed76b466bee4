"""Request and response bodies of the core API (msgspec Structs: validated, fast, documented in OpenAPI).

Table models are storage only; these are converted to and from explicitly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, TypeVar

import msgspec

from core.vocabulary import HighRiskFlag, Industry, RiskLevel, Role, Scale

T = TypeVar("T")

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Short = Annotated[str, msgspec.Meta(max_length=64)]
RegionCode = Annotated[str, msgspec.Meta(pattern=r"^\d{6}$", description="GB/T 2260 六位行政区划代码")]
USCCField = Annotated[str, msgspec.Meta(min_length=1, max_length=32, description="统一社会信用代码 (GB 32100-2015)")]


class _In(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Request bodies refuse unknown fields: a misspelt field is an error, not silently dropped."""


class LoginIn(_In):
    username: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
    device_id: str | None = None
    device_name: Annotated[str, msgspec.Meta(max_length=100)] = ""


class RefreshIn(_In):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class EnterpriseIn(_In):
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


class EnterprisePatch(_In):
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


class Page(msgspec.Struct, Generic[T]):
    """One page of a list: ``total`` counts only what the caller may see."""

    items: list[T]
    total: int
    page: int
    page_size: int


class UserIn(_In):
    username: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.@-]{2,64}$")]
    password: Annotated[str, msgspec.Meta(min_length=8, max_length=256)]
    role: Role
    display_name: Short = ""
    region_code: RegionCode | None = None
    grid_code: str | None = None
    industries: list[Industry] = msgspec.field(default_factory=list)
    enterprise_id: str | None = None


class UserPatch(_In):
    display_name: Short | msgspec.UnsetType = msgspec.UNSET
    role: Role | msgspec.UnsetType = msgspec.UNSET
    region_code: RegionCode | None | msgspec.UnsetType = msgspec.UNSET
    grid_code: str | None | msgspec.UnsetType = msgspec.UNSET
    industries: list[Industry] | msgspec.UnsetType = msgspec.UNSET
    enterprise_id: str | None | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    password: Annotated[str, msgspec.Meta(min_length=8, max_length=256)] | msgspec.UnsetType = msgspec.UNSET


class UserOut(msgspec.Struct, kw_only=True):
    id: str
    username: str
    display_name: str
    role: str
    region_code: str | None
    grid_code: str | None
    industries: list[str]
    enterprise_id: str | None
    active: bool
    locked_until: datetime | None
    created_at: datetime


class DeviceOut(msgspec.Struct, kw_only=True):
    id: str
    user_id: str
    name: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None
    revoke_reason: str | None


class RevokeIn(_In):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class RegionOut(msgspec.Struct, kw_only=True):
    code: str
    name: str
    parent_code: str | None
    level: str


class GridIn(_In):
    code: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
    region_code: RegionCode
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    township: Short = ""
    responsible_person: Short = ""
    responsible_phone: Annotated[str, msgspec.Meta(max_length=32)] = ""


class GridOut(msgspec.Struct, kw_only=True):
    code: str
    region_code: str
    name: str
    township: str
    responsible_person: str
    responsible_phone: str


class AuditOut(msgspec.Struct, kw_only=True):
    seq: int
    at: datetime
    actor_id: str | None
    actor_name: str
    action: str
    entity: str
    entity_id: str
    before: dict | None
    after: dict | None
    hash: str


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


def to_out(record: object, out_type: type[T]) -> T:
    """Convert a table row to its response Struct (explicitly: ORM objects must not reach msgspec)."""
    return msgspec.convert(record.model_dump(), out_type)  # type: ignore[attr-defined]
