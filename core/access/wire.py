"""Request and response bodies of login, users and devices."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.vocabulary import Industry, Role
from core.wire import In, RegionCode, Short, invalid_field

CERT_NO_MAX = 32
# 执法证号 as typed: trimmed, then at most ``CERT_NO_MAX`` characters (blank clears it).
CertNo = Annotated[str, msgspec.Meta(max_length=128, description="执法证号（去除首尾空白后不超过32个字符；空白表示无）")]


def clean_card_no(value: str | None) -> str | None:
    """The trimmed 执法证号, None for a blank one; refuses one too long or holding control characters."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > CERT_NO_MAX:
        raise invalid_field("enforcement_card_no", f"at most {CERT_NO_MAX} characters (执法证号不能超过{CERT_NO_MAX}个字符)")
    if not value.isprintable():
        raise invalid_field("enforcement_card_no", "control characters are not allowed (执法证号不能含控制字符)")
    return value or None


class LoginIn(In):
    username: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
    device_id: str | None = None
    device_name: Annotated[str, msgspec.Meta(max_length=100)] = ""


class RefreshIn(In):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class UserIn(In):
    username: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.@-]{2,64}$")]
    password: Annotated[str, msgspec.Meta(min_length=8, max_length=256)]
    role: Role
    display_name: Short = ""
    region_code: RegionCode | None = None
    grid_code: str | None = None
    industries: list[Industry] = msgspec.field(default_factory=list)
    enterprise_id: str | None = None
    enforcement_card_no: CertNo | None = None

    def __post_init__(self) -> None:
        self.enforcement_card_no = clean_card_no(self.enforcement_card_no)


class UserPatch(In):
    display_name: Short | msgspec.UnsetType = msgspec.UNSET
    role: Role | msgspec.UnsetType = msgspec.UNSET
    region_code: RegionCode | None | msgspec.UnsetType = msgspec.UNSET
    grid_code: str | None | msgspec.UnsetType = msgspec.UNSET
    industries: list[Industry] | msgspec.UnsetType = msgspec.UNSET
    enterprise_id: str | None | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    password: Annotated[str, msgspec.Meta(min_length=8, max_length=256)] | msgspec.UnsetType = msgspec.UNSET
    enforcement_card_no: CertNo | None | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if self.enforcement_card_no is not msgspec.UNSET:
            self.enforcement_card_no = clean_card_no(self.enforcement_card_no)


class UserOut(msgspec.Struct, kw_only=True):
    id: str
    username: str
    display_name: str
    role: str
    region_code: str | None
    grid_code: str | None
    industries: list[str]
    enterprise_id: str | None
    enforcement_card_no: str | None  # 执法证号
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


class RevokeIn(In):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
