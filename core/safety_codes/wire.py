"""Bodies of the safety-code API and the public page's view."""

from __future__ import annotations

import msgspec


class SafetyCodeOut(msgspec.Struct, kw_only=True):
    """A code as its enterprise or supervisor sees it: the token, the public path, the colour and why."""

    token: str
    path: str
    subject: str
    subject_id: str
    enterprise_id: str
    colour: str
    colour_label: str
    reasons: list[str]
    facts: dict[str, int] = msgspec.field(default_factory=dict)


class ResolvedCode(msgspec.Struct, kw_only=True):
    """What a scanned code names, for the field app (only within the scanner's scope)."""

    subject: str
    subject_id: str
    enterprise_id: str


class PublicControl(msgspec.Struct, kw_only=True):
    kind_label: str
    level_label: str
    text: str
    responsible_post: str


class PublicPoint(msgspec.Struct, kw_only=True):
    code: str
    name: str
    location: str
    level: str
    level_label: str
    colour: str
    accident_types: list[str]
    hazard_factors: list[str]
    controls: list[PublicControl]
    emergency_contact: str


class PublicView(msgspec.Struct, kw_only=True):
    """Everything a public page shows: nothing personal, no hazard details."""

    subject: str
    enterprise_name: str
    region: str
    colour: str
    colour_label: str
    reasons: list[str]
    by_level: dict[str, int]
    points: list[PublicPoint]
    emergency_contacts: list[str]
