"""隐患排查清单: an enterprise's own check lists, generated from its risk register (风险清单).

One list per (管控层级, frequency) pair among the controls of the enterprise's active risk points:
normally 岗位级每班, 班组级每日, 车间级每周, 公司级每月; a control with its own frequency lands in
the list of its level and that frequency. Each risk point with controls in the pair is a section,
each control an item ``是否落实：<措施>`` citing the register itself and 《安全生产法》第四十一条 (the
enterprise's duty to control risks by grade and to find and remove hazards).

Item settings, decided here because the register does not say them:

* ``rectification_days`` by the point's risk level: 重大(红) 3, 较大(橙) 7, 一般(黄) 15, 低(蓝) 30 —
  the worse the risk a failed control leaves uncontrolled, the sooner it must be fixed;
* ``photo_required`` for 工程技术措施 only: a guard, an interlock or a dust collector is a physical
  state a photo proves, and such a control is checked once a period. Management and training
  controls are proven by records, not pictures; a photo of each worker's PPE every shift would cost
  the most frequent checks most time (and photograph people), so those stay photo-optional.
* ``major_hazard`` is never set: whether a failure is a 重大事故隐患 is judged by the industry's
  standard, not by the enterprise's own list.

Versions follow the register (``checklists.versions.publish_version``, origin ``register``): the same
content publishes nothing; otherwise the next version — major when an item was removed, minor when
items were only added or changed, patch when only titles or sections changed (or an identical list
comes back after being retired) — and the superseded version is retired (it stays readable, and a
submission made on it still validates and scores). A pair left without controls has its list
retired. Generation runs on demand (``POST /api/v1/enterprises/{id}/check-lists/generate``): core's
register may not call up into ``checklists``, so the console or the enterprise triggers it after
changing the register; the answer says what was published and retired.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from sqlmodel import col, select

from checklists.canonical import content_hash, from_canonical
from checklists.diff import diff_checklists
from checklists.schema import AppliesTo, Checklist, Item, LegalBasis, Section, Source
from checklists.semver import parse_version
from checklists.tables import ChecklistVersion
from checklists.validation import check_checklist
from checklists.versions import REGISTER_ID_PREFIX, publish_version, retire_generated, version_key
from core.access.permissions import require
from core.access.scope import Principal, enterprise_in_scope
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import InvalidInput
from core.risk_register.frequencies import frequency_of
from core.risk_register.grading import COLOUR_LABELS, LEVEL_LABELS
from core.risk_register.records import RiskPoint
from core.risk_register.service import points_of
from core.risk_register.vocabulary import CONTROL_KIND_LABELS, CONTROL_LEVEL_LABELS, CONTROL_LEVELS, FREQUENCY_LABELS
from core.self_checks.service import ListSpec, set_lists
from core.storage.audit_log import append_audit

REGISTER_DOCUMENT = "本企业风险分级管控清单"
LAW = LegalBasis(document="中华人民共和国安全生产法", article="第四十一条")
RECTIFICATION_DAYS = {"major": 3, "high": 7, "moderate": 15, "low": 30}
PHOTO_KINDS = frozenset({"engineering"})
_FREQUENCY_ORDER = ("per_shift", "daily", "weekly", "monthly", "quarterly")
_LEVEL_ORDER = tuple(reversed(CONTROL_LEVELS))  # post, team, workshop, company: the most frequent first


class GeneratedList(msgspec.Struct, kw_only=True):
    """One check list of the generation's outcome."""

    checklist_id: str
    version: str
    title: str
    level: str
    frequency: str
    items: int
    change: str  # created / major / minor / patch / unchanged / retired


class GenerateOut(msgspec.Struct, kw_only=True):
    """What a generation published, left as it was and retired."""

    enterprise_id: str
    published: list[GeneratedList]
    unchanged: list[GeneratedList]
    retired: list[GeneratedList]


@dataclass(frozen=True)
class _Draft:
    checklist: Checklist
    level: str
    frequency: str


def checklist_id_for(enterprise_id: str, level: str, frequency: str) -> str:
    """``self_check.e<first 12 hex of the enterprise id>.<level>_<frequency>``."""
    digits = "".join(ch for ch in enterprise_id.lower() if ch in "0123456789abcdef")[:12]
    return f"{REGISTER_ID_PREFIX}e{digits}.{level}_{frequency}"


def _industry(enterprise: Enterprise) -> str:
    if "industrial_trade" in enterprise.industries:
        return "industrial_trade"
    if not enterprise.industries:
        raise InvalidInput("the enterprise has no industry to file its check lists under", "企业未登记所属行业，无法生成隐患排查清单", field="industries")
    return enterprise.industries[0]


def _item(point: RiskPoint, control: dict[str, Any]) -> Item:
    guidance = f"管控措施类别：{CONTROL_KIND_LABELS[control['kind']]}；责任岗位：{control['responsible_post']}；责任人：{control['responsible_person']}"
    if point.location:
        guidance += f"；位置：{point.location}"
    return Item(
        code=f"{point.code}.{control['code']}",
        text=f"是否落实：{control['text']}",
        basis=[LegalBasis(document=REGISTER_DOCUMENT, article=f"{point.code} {control['code']}"), LAW],
        photo_required=control["kind"] in PHOTO_KINDS,
        rectification_days=RECTIFICATION_DAYS[point.risk_level],
        guidance=guidance,
    )


def build_drafts(enterprise: Enterprise, points: list[RiskPoint]) -> dict[str, _Draft]:
    """The enterprise's check lists from its active points, by id, each at version 1.0.0."""
    pairs: dict[tuple[str, str], list[Section]] = {}
    for point in sorted(points, key=lambda p: p.code):
        if not point.active:
            continue
        by_pair: dict[tuple[str, str], list[Item]] = {}
        for control in point.controls:
            by_pair.setdefault((control["level"], frequency_of(control)[0]), []).append(_item(point, control))
        for pair, items in by_pair.items():
            title = f"{point.code} {point.name}（{LEVEL_LABELS[point.risk_level]}·{COLOUR_LABELS[point.risk_level]}）"
            pairs.setdefault(pair, []).append(Section(code=point.code, title=title, items=items))
    drafts: dict[str, _Draft] = {}
    for (level, frequency), sections in sorted(pairs.items(), key=lambda kv: (_LEVEL_ORDER.index(kv[0][0]), _FREQUENCY_ORDER.index(kv[0][1]))):
        checklist = Checklist(
            id=checklist_id_for(enterprise.id, level, frequency),
            version="1.0.0",
            title=f"{enterprise.name}{CONTROL_LEVEL_LABELS[level]}隐患排查清单（{FREQUENCY_LABELS[frequency]}）",
            industry=_industry(enterprise),  # type: ignore[arg-type]
            sections=sections,
            description=f"由本企业风险分级管控清单生成：{CONTROL_LEVEL_LABELS[level]}管控措施，{FREQUENCY_LABELS[frequency]}排查一次。",
            applies_to=AppliesTo(enterprises=[enterprise.id]),
            sources=[Source(document=REGISTER_DOCUMENT, issued_by=enterprise.name), Source(document=LAW.document, number=LAW.article)],
        )
        problems = check_checklist(checklist)
        if problems:
            path, message, message_zh = problems[0]
            raise InvalidInput(f"the register makes an invalid check list ({checklist.id}: {path}: {message})",
                               f"风险清单生成的隐患排查清单不合规（{path}：{message_zh}）", field="risk_register")
        drafts[checklist.id] = _Draft(checklist, level, frequency)
    return drafts


def next_version(previous: Checklist, draft: Checklist, retired: bool) -> tuple[str, str] | None:
    """The version ``draft`` publishes as after ``previous`` and the kind of bump; None when it is
    the same content and ``previous`` is still active."""
    same = msgspec.structs.replace(draft, version=previous.version)
    if content_hash(same) == content_hash(previous):
        if not retired:
            return None
        kind = "patch"
    else:
        diff = diff_checklists(previous, same)
        kind = "major" if diff.count("removed") else ("minor" if diff.count("added") or diff.count("changed") else "patch")
    major, minor, patch = parse_version(previous.version)
    bumped = {"major": (major + 1, 0, 0), "minor": (major, minor + 1, 0), "patch": (major, minor, patch + 1)}[kind]
    return ".".join(map(str, bumped)), kind


def _summary(checklist: Checklist, level: str, frequency: str, change: str) -> GeneratedList:
    return GeneratedList(checklist_id=checklist.id, version=checklist.version, title=checklist.title, level=level, frequency=frequency,
                         items=len(checklist.items()), change=change)


async def _read(ctx: Context, principal: Principal, enterprise_id: str) -> tuple[Enterprise, list[RiskPoint], list[ChecklistVersion]]:
    async with ctx.db.read() as session:
        enterprise = await enterprise_in_scope(session, principal, enterprise_id)
        points = await points_of(session, enterprise_id)
        rows = list((await session.exec(select(ChecklistVersion).where(col(ChecklistVersion.owner_enterprise_id) == enterprise_id))).all())
    return enterprise, points, rows


async def generate_check_lists(ctx: Context, principal: Principal, enterprise_id: str) -> GenerateOut:
    """Publish the enterprise's check lists from its register, retire what left it, and hand the
    lists to the self-check task planner. 404 out of scope; 400 ``risk_register`` when the register
    has no controls and nothing was generated before."""
    require(principal.role, "risk_register.write")
    enterprise, points, rows = await _read(ctx, principal, enterprise_id)
    drafts = build_drafts(enterprise, points)
    by_id: dict[str, list[ChecklistVersion]] = {}
    for row in rows:
        by_id.setdefault(row.checklist_id, []).append(row)
    if not drafts and not any(row.retired_at is None for row in rows):
        raise InvalidInput(
            "the enterprise's risk register has no active risk point with controls to generate check lists from",
            "该企业风险清单中没有带管控措施的风险点，无法生成隐患排查清单，请先完成风险辨识和管控措施",
            field="risk_register",
        )
    actor = principal.actor
    published: list[GeneratedList] = []
    unchanged: list[GeneratedList] = []
    retired: list[GeneratedList] = []
    for checklist_id, draft in drafts.items():
        versions = by_id.get(checklist_id, [])
        latest = max(versions, key=version_key) if versions else None
        checklist, change = draft.checklist, "created"
        if latest is not None:
            bump = next_version(from_canonical(latest.content.encode("utf-8")), checklist, latest.retired_at is not None)
            if bump is None:
                unchanged.append(_summary(msgspec.structs.replace(checklist, version=latest.version), draft.level, draft.frequency, "unchanged"))
                continue
            checklist, change = msgspec.structs.replace(checklist, version=bump[0]), bump[1]
        await publish_version(ctx, checklist, actor=actor, source="register", owner_enterprise_id=enterprise.id)
        published.append(_summary(checklist, draft.level, draft.frequency, change))
        for row in versions:  # superseded: out of bundles, still readable and still valid for submissions
            if row.retired_at is None:
                await retire_generated(ctx, row.checklist_id, row.version, actor=actor)
    for checklist_id, versions in by_id.items():
        if checklist_id in drafts:
            continue
        for row in versions:
            if row.retired_at is None:
                await retire_generated(ctx, row.checklist_id, row.version, actor=actor)
                level, frequency = checklist_id.rsplit(".", 1)[1].split("_", 1)
                retired.append(GeneratedList(checklist_id=checklist_id, version=row.version, title=row.title, level=level, frequency=frequency,
                                             items=len(from_canonical(row.content.encode("utf-8")).items()), change="retired"))
    specs = [ListSpec(checklist_id=i, title=d.checklist.title, level=d.level, frequency=d.frequency) for i, d in drafts.items()]
    outcome = GenerateOut(enterprise_id=enterprise.id, published=published, unchanged=unchanged, retired=retired)
    async with ctx.db.write() as session:
        now = ctx.clock.now()
        tasks = await set_lists(session, ctx, enterprise.id, specs, now)
        await append_audit(
            session, actor=actor, action="check_list.generate", entity="enterprise", entity_id=enterprise.id, at=now,
            after={"published": [f"{g.checklist_id}@{g.version}" for g in published], "unchanged": [f"{g.checklist_id}@{g.version}" for g in unchanged],
                   "retired": [f"{g.checklist_id}@{g.version}" for g in retired], "tasks": tasks},
        )
    return outcome


async def current_check_lists(ctx: Context, principal: Principal, enterprise_id: str) -> list[ChecklistVersion]:
    """The enterprise's active generated versions (404 out of scope)."""
    require(principal.role, "risk_register.read")
    _, _, rows = await _read(ctx, principal, enterprise_id)
    return sorted((row for row in rows if row.retired_at is None), key=lambda r: r.checklist_id)
