"""Registering hazards and moving them through their lifecycle (闭环管理), inside the caller's scope.

``create_hazard_in_session`` and ``transition_in_session`` run in the caller's write transaction so
that the sync protocol can apply a tablet's whole upload atomically; the API wraps them in their
own transaction. Every change bumps ``version``, appends a history entry (``HazardTransition``), an
audit entry and a change row for tablets — all in that one transaction.

Deadlines and what overdue means: ``core.hazards.deadlines``; the bodies: ``core.hazards.wire``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import Conflict, Forbidden, InvalidInput, not_found
from core.hazards.notices import stage_hazard_notices
from core.hazards.records import HAZARD_STATUS_LABELS, Hazard, HazardTransition
from core.hazards.rules import CREATE_ROLES, Step, allowed_steps, step_for
from core.hazards.wire import AllowedStep, HazardDetailOut, HazardIn, HazardOut, HazardStepOut, TransitionIn, hazard_out, transition_out
from core.ids import canonical_uuid, new_id
from core.storage.attachment_files import missing_attachments
from core.storage.audit_log import Actor, snapshot
from core.storage.write_set import WriteSet
from core.vocabulary import ROLE_LABELS

MAJOR_LISTED_REASON = "重大事故隐患，登记即挂牌督办"


def id_taken(hazard_id: str) -> Conflict:
    """The one answer for a client-chosen hazard id that is already taken.

    Alike for a hazard the caller may see and one outside their scope, and naming nothing of the
    hazard that has it (not even that it is a hazard): a 404 for the one and a 409 for the other
    would tell which ids exist out of scope. The id is a random UUID the caller chose, so learning
    that it is taken tells them only to make a new one (docs/sync.md, "Taken hazard ids")."""
    return Conflict(
        f"id {hazard_id} cannot be used: it is taken; generate a new one", f"编号 {hazard_id} 不能使用（已被占用），请重新生成编号",
        field="id", code="id_in_use",
    )


async def load_visible_hazard(session: AsyncSession, principal: Principal, hazard_id: str) -> Hazard:
    """The hazard if it exists and lies in the caller's scope, else the one 404. The id in any
    letter case: it is looked up in its canonical lower-case form."""
    hazard = await session.get(Hazard, canonical_uuid(hazard_id) or hazard_id)
    if hazard is None:
        raise not_found("hazard", "隐患")
    enterprise = await session.get(Enterprise, hazard.enterprise_id)
    if enterprise is None or not principal.sees_enterprise(enterprise):
        raise not_found("hazard", "隐患")
    return hazard


def _stage_history(
    writes: WriteSet,
    state: dict[str, Any],
    *,
    actor: Actor,
    action: str,
    from_status: str | None,
    at: datetime,
    reason: str = "",
    evidence: list[str] | None = None,
    data: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
) -> None:
    """Stage what every hazard change leaves: history entry, change row for tablets, audit entry.
    ``state`` is the hazard's column values after the change."""
    writes.insert(
        HazardTransition,
        {
            "id": new_id(), "hazard_id": state["id"], "action": action, "from_status": from_status, "to_status": state["status"],
            "actor_id": actor.id, "actor_name": actor.name, "at": at, "reason": reason, "evidence": list(evidence or []),
            "data": msgspec.to_builtins(data or {}), "resulting_version": state["version"],
        },
    )
    writes.change(
        entity="hazard", entity_id=state["id"], at=at, region_code=state["region_code"], industries=state["industries"],
        enterprise_id=state["enterprise_id"],
    )
    writes.audit(actor=actor, action=f"hazard_{action}", entity="hazard", entity_id=state["id"], at=at, before=before, after=snapshot(state))


async def append_history(
    session: AsyncSession,
    ctx: Context,
    hazard: Hazard,
    *,
    actor: Actor,
    action: str,
    from_status: str | None,
    reason: str = "",
    evidence: list[str] | None = None,
    data: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
) -> None:
    """Record one change of ``hazard`` (already modified and version-bumped by the caller):
    history entry, audit entry and change row for tablets, in the caller's transaction."""
    now = ctx.clock.now()
    hazard.updated_at = now
    session.add(hazard)
    writes = WriteSet()
    _stage_history(
        writes, hazard.model_dump(), actor=actor, action=action, from_status=from_status, at=now, reason=reason,
        evidence=evidence, data=data, before=before,
    )
    await writes.flush(session)


def _listing_values(now: datetime, reason: str) -> dict[str, Any]:
    return {"listed_supervision": True, "listed_at": now, "listed_reason": reason}


def put_under_listed_supervision(hazard: Hazard, now: datetime, reason: str) -> bool:
    """Mark 挂牌督办 (idempotent); True when it changed the hazard."""
    if hazard.listed_supervision:
        return False
    for name, value in _listing_values(now, reason).items():
        setattr(hazard, name, value)
    return True


def _require_text(value: str | None, field: str, what: str, what_zh: str) -> str:
    if value is None or not value.strip():
        raise InvalidInput(f"{field} is required: {what}", f"必须填写{what_zh}", field=field)
    return value.strip()


def _require_future(value: datetime | None, now: datetime, field: str = "deadline", after: datetime | None = None) -> datetime:
    if value is None:
        raise InvalidInput("deadline is required", "必须填写整改期限", field=field)
    floor = max(now, after) if after else now
    if value <= floor:
        if after is not None and after >= now:
            raise InvalidInput("the new deadline must be later than the current one", "新的整改期限必须晚于当前期限", field=field)
        raise InvalidInput("the deadline must be in the future", "整改期限必须晚于当前时间", field=field)
    return value


async def create_hazard_in_session(session: AsyncSession, ctx: Context, principal: Principal, data: HazardIn) -> Hazard:
    """Register a hazard in the caller's write transaction (see ``stage_new_hazard``)."""
    writes = WriteSet()
    state = await stage_new_hazard(session, writes, ctx, principal, data)
    await writes.flush(session)
    hazard = await session.get(Hazard, state["id"])
    assert hazard is not None
    return hazard


async def stage_new_hazard(
    session: AsyncSession,
    writes: WriteSet,
    ctx: Context,
    principal: Principal,
    data: HazardIn,
    *,
    enterprise: Enterprise | None = None,
    ids_in_use: set[str] | None = None,
) -> dict[str, Any]:
    """Validate a new hazard and stage it, with its history, in ``writes``; its column values.

    A major hazard is put under listed supervision at once (and the people in scope are told); a
    deadline orders rectification at once. A major hazard has no default deadline: its deadline is
    the completion date of its 治理方案, given when rectification is ordered; a responsible person
    and plan given without one are kept for that order. ``data.id`` (a tablet-made UUID) that is already taken raises ``Conflict(code="id_in_use")``.
    A caller staging many hazards passes the ``enterprise`` it loaded and ``ids_in_use`` (every
    tablet-made hazard id already stored or staged; this one is added) to save the reads.
    """
    if principal.role not in CREATE_ROLES:
        raise Forbidden(f"role {principal.role!r} may not register hazards", f"角色“{ROLE_LABELS.get(principal.role, principal.role)}”无权登记隐患")
    if enterprise is None:
        enterprise = await session.get(Enterprise, data.enterprise_id)
    if enterprise is None or enterprise.id != data.enterprise_id or not principal.sees_enterprise(enterprise):
        raise not_found("enterprise", "企业")
    hazard_id = new_id()
    if data.id is not None:
        given = canonical_uuid(data.id)
        if given is None:
            raise InvalidInput("id must be a UUID", "隐患编号必须是UUID", field="id")
        taken = given in ids_in_use if ids_in_use is not None else await session.get(Hazard, given) is not None
        if taken:
            raise id_taken(given)
        hazard_id = given
    now = ctx.clock.now()
    order = None
    if data.deadline is not None:
        order = step_for("reported", "rectifying")
        assert order is not None
        if principal.role not in order.roles:
            raise Forbidden("only an inspector may set a rectification deadline", "只有检查人员可以下达整改期限", field="deadline")
        _require_future(data.deadline, now)
        _require_text(data.responsible_person, "responsible_person", "the person responsible for rectification", "整改责任人")
        if data.level == "major":
            _require_text(data.rectification_plan, "rectification_plan", "a major hazard needs a rectification plan", "重大隐患的整改方案")
    state: dict[str, Any] = {
        "id": hazard_id, "enterprise_id": enterprise.id, "region_code": enterprise.region_code, "industries": list(enterprise.industries),
        "submission_id": data.submission_id, "checklist_id": data.checklist_id, "checklist_version": data.checklist_version,
        "item_code": data.item_code, "level": data.level, "status": "reported", "description": data.description.strip(),
        "location": data.location, "found_at": data.found_at, "received_at": now, "reported_by": principal.user_id,
        "deadline": None, "responsible_person": (data.responsible_person or "").strip(), "rectification_plan": (data.rectification_plan or "").strip(),
        "listed_supervision": False, "listed_at": None, "listed_reason": None, "evidence": list(data.evidence), "rectification_evidence": [],
        "rectified_at": None, "overdue_marked_at": None,
        "closed_at": None, "version": 1, "created_at": now, "updated_at": now,
    }
    actor = principal.actor
    _stage_history(writes, state, actor=actor, action="created", from_status=None, at=now, evidence=state["evidence"], data={"level": data.level})
    if data.level == "major":
        state.update(_listing_values(now, MAJOR_LISTED_REASON), version=state["version"] + 1)
        _stage_history(writes, state, actor=actor, action="listed_supervision", from_status=state["status"], at=now, reason=MAJOR_LISTED_REASON)
        await stage_hazard_notices(session, writes, "listed", state, enterprise, at=now, reason=MAJOR_LISTED_REASON)
    if order is not None:
        before = snapshot(state)
        state.update(_order_values(data.deadline, data.responsible_person, data.rectification_plan), version=state["version"] + 1)
        _stage_history(
            writes, state, actor=actor, action=order.action, from_status="reported", at=now,
            data=_deadline_data(state["deadline"], state["responsible_person"], state["rectification_plan"]), before=before,
        )
    writes.insert(Hazard, state)
    if ids_in_use is not None:
        ids_in_use.add(hazard_id)
    return state


def _order_values(deadline: datetime | None, responsible_person: str | None, plan: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "status": "rectifying", "deadline": deadline, "responsible_person": (responsible_person or "").strip(), "rectified_at": None, "overdue_marked_at": None,
    }
    if plan is not None and plan.strip():
        values["rectification_plan"] = plan.strip()
    return values


def _apply_order(hazard: Hazard, deadline: datetime | None, responsible_person: str | None, plan: str | None) -> None:
    for name, value in _order_values(deadline, responsible_person, plan).items():
        setattr(hazard, name, value)


def _deadline_data(deadline: datetime | None, responsible_person: str, plan: str, previous: datetime | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"deadline": deadline, "responsible_person": responsible_person}
    if plan:
        data["rectification_plan"] = plan
    if previous is not None:
        data["previous_deadline"] = previous
    return data


def _invalid_transition(hazard: Hazard, principal: Principal, to_status: str) -> Conflict:
    allowed = [{"action": s.action, "to_status": s.to_status, "label_zh": s.label_zh} for s in allowed_steps(hazard.status, principal.role)]
    return Conflict(
        f"a hazard in status {hazard.status!r} cannot move to {to_status!r}",
        f"隐患当前状态为“{HAZARD_STATUS_LABELS[hazard.status]}”，不能变更为“{HAZARD_STATUS_LABELS.get(to_status, to_status)}”",
        field="to_status",
        code="invalid_transition",
        extra={"status": hazard.status, "allowed": allowed},
    )


async def transition_in_session(
    session: AsyncSession, ctx: Context, principal: Principal, hazard_id: str, data: TransitionIn, base_version: int | None = None
) -> Hazard:
    """Take one lifecycle step in the caller's write transaction (see ``TransitionIn``).

    404 out of scope; 409 ``stale_version`` when ``base_version`` differs from the stored version
    (``extra.current`` holds the hazard as builtins); 409 ``invalid_transition`` with the allowed
    steps when the state machine has no such step; 403 when the role may not take it.
    """
    hazard = await load_visible_hazard(session, principal, hazard_id)
    now = ctx.clock.now()
    expected = base_version if base_version is not None else data.base_version
    if expected is not None and expected != hazard.version:
        raise Conflict(
            f"hazard changed since version {expected} (now {hazard.version})",
            f"隐患已被修改（您基于版本 {expected}，当前版本 {hazard.version}），请刷新后重试",
            field="base_version",
            code="stale_version",
            extra={"current": msgspec.to_builtins(hazard_out(hazard, now))},
        )
    step = step_for(hazard.status, data.to_status)
    if step is None:
        raise _invalid_transition(hazard, principal, data.to_status)
    if principal.role not in step.roles:
        raise Forbidden(
            f"role {principal.role!r} may not take step {step.action!r}",
            f"角色“{ROLE_LABELS.get(principal.role, principal.role)}”无权执行“{step.label_zh}”",
            code="forbidden_transition",
            extra={"allowed": [{"action": s.action, "to_status": s.to_status, "label_zh": s.label_zh} for s in allowed_steps(hazard.status, principal.role)]},
        )
    before = snapshot(hazard)
    from_status = hazard.status
    extra = _apply_step(hazard, step, data, now, ctx.settings.data_dir)
    hazard.version += 1
    await append_history(
        session, ctx, hazard, actor=principal.actor, action=step.action, from_status=from_status,
        reason=data.reason.strip(), evidence=list(data.evidence), data=extra, before=before,
    )
    return hazard


def _require_evidence_arrived(data_dir: str, hazard: Hazard) -> None:
    """A hazard is closed only on rectification evidence the server has: a report of rectification
    is stored at once, its photos may follow from the tablet (``missing_attachments``), and until
    every one of them arrived the report does not count, so the recheck cannot pass (409). A
    failed recheck needs no photos of the fix and stays possible; so does a new report of
    rectification with photos that do arrive, should the first ones be lost."""
    missing = missing_attachments(data_dir, hazard.rectification_evidence)
    if missing:
        raise Conflict(
            f"the rectification evidence has not all arrived ({len(missing)} of {len(set(hazard.rectification_evidence))} photos missing): "
            "the hazard can be closed once they are uploaded",
            f"整改证据照片尚未全部上传（缺 {len(missing)} 张），照片上传后方可复查销号",
            field="rectification_evidence", code="evidence_missing", extra={"missing_attachments": missing},
        )


def _apply_step(hazard: Hazard, step: Step, data: TransitionIn, now: datetime, data_dir: str) -> dict[str, Any]:
    """Validate what ``step`` needs and change the hazard; returns the history entry's data.
    ``data_dir`` holds the attachments received (a recheck passes only on evidence that arrived)."""
    if data.recheck_passed is not None and step.action in ("recheck_passed", "recheck_failed"):
        if data.recheck_passed != (step.action == "recheck_passed"):
            raise InvalidInput("recheck_passed contradicts to_status", "复查结论与目标状态不一致", field="recheck_passed")
    if step.action == "order_rectification":
        _require_future(data.deadline, now)
        _require_text(data.responsible_person, "responsible_person", "the person responsible for rectification", "整改责任人")
        if hazard.level == "major" and not (data.rectification_plan or hazard.rectification_plan).strip():  # the plan kept at registration serves
            _require_text(data.rectification_plan, "rectification_plan", "a major hazard needs a rectification plan", "重大隐患的整改方案")
        _apply_order(hazard, data.deadline, data.responsible_person, data.rectification_plan)
        return _deadline_data(hazard.deadline, hazard.responsible_person, hazard.rectification_plan)
    if step.action == "report_rectified":
        if not data.evidence:
            raise InvalidInput("evidence photos of the rectification are required", "必须上传整改完成的照片", field="evidence")
        hazard.status = "awaiting_recheck"
        hazard.rectified_at = now  # before or after the deadline: what overdue is judged on (core.hazards.deadlines)
        hazard.rectification_evidence = [*hazard.rectification_evidence, *[e for e in data.evidence if e not in hazard.rectification_evidence]]
        return {}
    if step.action == "recheck_passed":
        _require_evidence_arrived(data_dir, hazard)
        hazard.status = "closed"
        hazard.closed_at = now
        return {"recheck_passed": True}
    if step.action == "recheck_failed":
        _require_text(data.reason, "reason", "why the recheck failed", "复查不合格的原因")
        previous = hazard.deadline
        deadline = _require_future(data.deadline, now)
        hazard.status = "rectifying"
        hazard.deadline = deadline
        if data.responsible_person and data.responsible_person.strip():
            hazard.responsible_person = data.responsible_person.strip()
        if data.rectification_plan and data.rectification_plan.strip():
            hazard.rectification_plan = data.rectification_plan.strip()
        hazard.rectified_at = None  # a new deadline, judged afresh
        hazard.overdue_marked_at = None
        return {"recheck_passed": False, **_deadline_data(hazard.deadline, hazard.responsible_person, hazard.rectification_plan, previous)}
    if step.action == "extend_deadline":
        _require_text(data.reason, "reason", "why the deadline is extended", "延期原因")
        previous = hazard.deadline
        hazard.deadline = _require_future(data.deadline, now, after=previous)
        hazard.overdue_marked_at = None
        return {"deadline": hazard.deadline, "previous_deadline": previous}
    raise AssertionError(f"unhandled step {step.action}")  # the STEPS table and this function go together


async def create_hazard(ctx: Context, principal: Principal, data: HazardIn) -> HazardOut:
    """Register a hazard in its own transaction."""
    async with ctx.db.write() as session:
        hazard = await create_hazard_in_session(session, ctx, principal, data)
    return hazard_out(hazard, ctx.clock.now())


async def transition_hazard(ctx: Context, principal: Principal, hazard_id: str, data: TransitionIn) -> HazardStepOut:
    """Take one lifecycle step in its own transaction; the answer names the step's evidence photos
    not received yet (stored all the same: upload them)."""
    async with ctx.db.write() as session:
        hazard = await transition_in_session(session, ctx, principal, hazard_id, data)
    out = hazard_out(hazard, ctx.clock.now())
    return HazardStepOut(**msgspec.structs.asdict(out), missing_attachments=missing_attachments(ctx.settings.data_dir, list(data.evidence)))


async def get_hazard_detail(ctx: Context, principal: Principal, hazard_id: str) -> HazardDetailOut:
    """A hazard with its history (oldest first) and the steps the caller may take now."""
    async with ctx.db.read() as session:
        hazard = await load_visible_hazard(session, principal, hazard_id)
        history = (
            await session.exec(
                select(HazardTransition).where(col(HazardTransition.hazard_id) == hazard.id).order_by(col(HazardTransition.resulting_version), col(HazardTransition.at))
            )
        ).all()
    allowed = [AllowedStep(action=s.action, to_status=s.to_status, label_zh=s.label_zh) for s in allowed_steps(hazard.status, principal.role)]
    return HazardDetailOut(hazard=hazard_out(hazard, ctx.clock.now()), history=[transition_out(t) for t in history], allowed=allowed)
