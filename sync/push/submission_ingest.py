"""Accepting one submission: validate it, then stage its rows for the push's transaction.

Checks against the pinned checklist version (every answered code exists, required items are
answered, answers fit the item's kind), the enterprise is in the caller's scope, then stages the
submission, a hazard for every failed item through the hazard service (a ``major_hazard`` item
gives a ``major`` hazard) and the inspection in a ``WriteSet``. Nothing is written here: a record
that fails anywhere leaves its set unwritten, so the record is all-or-nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import msgspec
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from checklists.schema import Item
from checklists.versions import REGISTER_ID_PREFIX
from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import AppError, InvalidInput
from core.hazards.records import Hazard
from core.hazards.rules import step_for
from core.hazards.service import stage_new_hazard
from core.hazards.wire import HazardIn
from core.inspections.records import INSPECTING_ROLES, stage_inspection
from core.self_checks.service import stage_self_check
from core.storage.write_set import WriteSet
from core.vocabulary import INDUSTRY_LABELS
from sync.push.co_inspectors import check_co_inspectors
from sync.push.pinned import PinnedVersion, find_pinned
from sync.push.problems import raise_all
from sync.push.submissions import Submission
from sync.wire import ItemAnswer, SubmissionRecord, TabletHazard

# Hazards the server makes for failed items get ids derived from (submission, item), so the same
# submission always yields the same hazard ids.
_HAZARD_NS = uuid.UUID("5b0c8f1e-6a53-4c1e-9d7a-616e6a69616e")
_PASS_FAIL = ("pass", "fail")


def _bad(field: str, code: str, message: str, message_zh: str) -> InvalidInput:
    return InvalidInput(message, message_zh, field=field, code=code)


def attachment_refs(record: SubmissionRecord) -> list[str]:
    """Every sha256 the submission references (photos, answer photos, signatures, hazard evidence)."""
    refs: list[str] = [*record.photos]
    for answer in record.answers.values():
        refs.extend(answer.photos)
    refs.extend(s.sha256 for s in record.signatures)
    for hazard in record.hazards:
        refs.extend(hazard.evidence)
    return list(dict.fromkeys(refs))


def _check_answer(code: str, item: Item, answer: ItemAnswer, problems: list[AppError]) -> bool:
    """Validate one answer against its item, adding what is wrong to ``problems``; True when the item failed."""
    kind = item.answer.kind
    path = f"answers.{code}"
    if answer.result == "na":
        if not item.answer.allow_na:
            problems.append(_bad(f"{path}.result", "na_not_allowed", f"item {code} may not be answered 'not applicable'", f"检查项 {code} 不允许选择“不适用”"))
        return False
    photo_missing = item.photo_required and not answer.photos
    failed = answer.result == "fail"
    if kind == "pass_fail":
        if answer.result is None:
            problems.append(_bad(f"{path}.result", "answer_missing", f"item {code} needs result pass, fail or na", f"检查项 {code} 必须选择合格、不合格或不适用"))
        if answer.value is not None:
            problems.append(_bad(f"{path}.value", "unexpected_value", f"item {code} is answered by result, not value", f"检查项 {code} 只需选择结论，不填数值"))
    elif kind == "number":
        if isinstance(answer.value, bool) or not isinstance(answer.value, int | float):
            problems.append(_bad(f"{path}.value", "number_required", f"item {code} needs a numeric value", f"检查项 {code} 必须填写数值"))
        else:
            failed = failed or (item.answer.min is not None and answer.value < item.answer.min) or (item.answer.max is not None and answer.value > item.answer.max)
    elif kind == "text":
        if answer.value is not None and not isinstance(answer.value, str):
            problems.append(_bad(f"{path}.value", "text_required", f"item {code} needs a text value", f"检查项 {code} 必须填写文字"))
        if answer.result == "fail":
            problems.append(_bad(f"{path}.result", "text_cannot_fail", f"text item {code} cannot fail by itself", f"文字检查项 {code} 不能判定为不合格"))
        failed = False
    elif not answer.photos:  # photo
        problems.append(_bad(f"{path}.photos", "photo_required", f"item {code} is answered by a photo", f"检查项 {code} 必须拍照"))
        photo_missing = False  # said once
    if photo_missing:
        problems.append(_bad(f"{path}.photos", "photo_required", f"item {code} requires a photo", f"检查项 {code} 必须附照片"))
    return failed


def check_answers(record: SubmissionRecord, pinned: PinnedVersion, problems: list[AppError] | None = None) -> list[str]:
    """Validate every answer and required item; the failed item codes in checklist order. What is
    wrong is added to ``problems``; without that list, the problems found are raised (``raise_all``)."""
    found: list[AppError] = [] if problems is None else problems
    failed: list[str] = []
    answers, plain = record.answers, pinned.plain_pass_fail
    for code, answer in answers.items():
        if code in plain and answer.value is None and answer.result in _PASS_FAIL:
            if answer.result == "fail":  # the common answer, settled without the checks below
                failed.append(code)
            continue
        item = pinned.items.get(code)
        if item is None:
            found.append(_bad(
                f"answers.{code}", "unknown_item",
                f"item {code} is not in checklist {record.checklist_id} version {record.checklist_version}",
                f"检查项 {code} 不在检查表 {record.checklist_id} {record.checklist_version} 版中",
            ))
        elif _check_answer(code, item, answer, found):
            failed.append(code)
    for code in pinned.required:
        if code not in answers:
            found.append(_bad(f"answers.{code}", "required_item_missing", f"required item {code} is not answered", f"必答检查项 {code} 未作答"))
    if problems is None:
        raise_all(found)
    return sorted(failed, key=pinned.order.__getitem__)


async def _load_context(
    session: AsyncSession, principal: Principal, record: SubmissionRecord, pinned_memo: dict[Any, Any] | None,
    enterprises: Mapping[str, Enterprise] | None, problems: list[AppError],
) -> tuple[Enterprise | None, PinnedVersion | None]:
    """The enterprise and the pinned version, each None (and a problem) when not usable."""
    enterprise = enterprises.get(record.enterprise_id) if enterprises is not None else await session.get(Enterprise, record.enterprise_id)
    if enterprise is None or not principal.sees_enterprise(enterprise):
        problems.append(_bad("enterprise_id", "enterprise_not_found", "enterprise not found or outside your jurisdiction", "企业不存在或不在您的管辖范围内"))
        enterprise = None
    pinned = await find_pinned(session, record.checklist_id, record.checklist_version, pinned_memo)
    owners = pinned.checklist.applies_to.enterprises if pinned is not None else []
    if owners and record.enterprise_id not in owners:
        # An enterprise's own check list (generated from its risk register): for that enterprise only.
        # To whoever does not see its owner it does not exist, so it is answered as unpublished.
        owner = await session.get(Enterprise, owners[0])
        if owner is not None and principal.sees_enterprise(owner):
            problems.append(_bad(
                "checklist_id", "checklist_enterprise_mismatch",
                f"checklist {record.checklist_id} is the own check list of another enterprise",
                f"检查表 {record.checklist_id} 是其他企业的隐患排查清单，不能用于该企业",
            ))
            return enterprise, None
        pinned = None
    if pinned is None:
        problems.append(_bad(
            "checklist_version", "unknown_checklist_version",
            f"checklist {record.checklist_id} version {record.checklist_version} is not published",
            f"检查表 {record.checklist_id} 的 {record.checklist_version} 版未发布",
        ))
    elif pinned.content_hash != record.checklist_hash:
        # Answers made on other content are not checked against this one: they would only mislead.
        problems.append(_bad(
            "checklist_hash", "checklist_hash_mismatch",
            f"checklist_hash does not match the published {record.checklist_id} {record.checklist_version} (sha256 {pinned.content_hash})",
            "检查表内容摘要与已发布版本不一致（平板上的检查表可能被修改或损坏）",
        ))
        pinned = None
    return enterprise, pinned


def _check_industry(record: SubmissionRecord, enterprise: Enterprise, pinned: PinnedVersion, problems: list[AppError]) -> None:
    """A checklist is for its industry's enterprises, unless it is marked ``general`` (for any)."""
    checklist = pinned.checklist
    if checklist.general or checklist.industry in enterprise.industries:
        return
    theirs = ", ".join(enterprise.industries) or "none"
    theirs_zh = "、".join(INDUSTRY_LABELS.get(i, i) for i in enterprise.industries) or "无"
    problems.append(_bad(
        "checklist_id", "checklist_industry_mismatch",
        f"checklist {record.checklist_id} is for industry {checklist.industry}, which is not one of the enterprise's ({theirs})",
        f"检查表 {record.checklist_id} 适用于{INDUSTRY_LABELS.get(checklist.industry, checklist.industry)}行业，不属于该企业的行业（{theirs_zh}）",
    ))


def _check_shape(record: SubmissionRecord, failed: list[str] | None, problems: list[AppError]) -> None:
    """Times in order; tablet hazards naming failed items, one each (``failed`` None: the answers
    could not be checked, so neither can that)."""
    if record.finished_at < record.started_at:
        problems.append(_bad("finished_at", "finished_before_started", "finished_at is before started_at", "结束时间早于开始时间"))
    seen: set[str] = set()
    for index, hazard in enumerate(record.hazards):
        if hazard.item_code is None or failed is None:
            continue
        if hazard.item_code not in failed:
            problems.append(_bad(f"hazards.{index}.item_code", "item_not_failed", f"item {hazard.item_code} did not fail", f"检查项 {hazard.item_code} 未判定为不合格，不能据此登记隐患"))
        elif hazard.item_code in seen:
            problems.append(_bad(f"hazards.{index}.item_code", "duplicate_item_hazard", f"two hazards for item {hazard.item_code}", f"检查项 {hazard.item_code} 登记了两条隐患"))
        seen.add(hazard.item_code)


def _hazard_in(
    principal: Principal, record: SubmissionRecord, now: datetime, *, item: Item | None, tablet: TabletHazard | None
) -> HazardIn:
    code = item.code if item else (tablet.item_code if tablet else None)
    answer = record.answers.get(code) if code else None
    level = "major" if (item is not None and item.major_hazard) or (tablet is not None and tablet.level == "major") else "general"
    if tablet is not None:
        description = tablet.description
    else:
        assert item is not None
        description = f"{item.text}（检查项 {item.code} 不合格）" + (f"：{answer.note}" if answer and answer.note else "")
    evidence = list(dict.fromkeys([*(answer.photos if answer else []), *(tablet.evidence if tablet else [])]))
    fields: dict[str, Any] = dict(
        id=tablet.id if tablet else str(uuid.uuid5(_HAZARD_NS, f"{record.id}:{code}")),
        enterprise_id=record.enterprise_id,
        level=level,
        description=description[:2000],
        location=tablet.location if tablet else "",
        item_code=code,
        checklist_id=record.checklist_id,
        checklist_version=record.checklist_version,
        submission_id=record.id,
        found_at=(tablet.found_at if tablet and tablet.found_at else record.finished_at),
        evidence=evidence[:50],
    )
    order = step_for("reported", "rectifying")
    responsible = tablet.responsible_person if tablet else None
    plan = tablet.rectification_plan if tablet else None
    # A general hazard is ordered at once when the inspector gave what the order needs, with the
    # item's default deadline; otherwise it stays ``reported`` and is ordered later (a hazard
    # update). A major hazard never takes a default: its deadline is the completion date of its
    # 治理方案, given when rectification is ordered; what the tablet sent is kept for that order.
    if level == "major":
        fields.update(responsible_person=responsible, rectification_plan=plan)
    elif order is not None and principal.role in order.roles and responsible:
        days = item.rectification_days if item else 30
        fields.update(deadline=now + timedelta(days=days), responsible_person=responsible, rectification_plan=plan)
    return HazardIn(**fields)


async def accept_submission(
    session: AsyncSession,
    writes: WriteSet,
    ctx: Context,
    principal: Principal,
    record: SubmissionRecord,
    digest: str,
    now: datetime,
    *,
    hazard_ids_in_use: set[str] | None = None,
    pinned_memo: dict[Any, Any] | None = None,
    enterprises: Mapping[str, Enterprise] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Validate ``record`` and stage it with its hazards and inspection in ``writes``.

    Returns the outcome kept in the ledger and the staged submission row. A caller staging many
    records passes ``hazard_ids_in_use`` (tablet-made hazard ids stored or staged so far; this
    record's are added), a ``pinned_memo`` shared by the records and the ``enterprises`` they name
    (read in this transaction; one missing does not exist), to save reads.
    """
    problems: list[AppError] = []
    enterprise, pinned = await _load_context(session, principal, record, pinned_memo, enterprises, problems)
    failed = check_answers(record, pinned, problems) if pinned is not None else None
    _check_shape(record, failed, problems)
    if enterprise is not None and pinned is not None:
        _check_industry(record, enterprise, pinned, problems)
    if enterprise is not None:
        await check_co_inspectors(session, principal, record, enterprise, problems)
    if record.replaces is not None:
        replaced = await session.get(Submission, record.replaces)
        if replaced is None or replaced.enterprise_id != record.enterprise_id:
            problems.append(_bad("replaces", "unknown_replaced_submission", "replaces names no submission of this enterprise", "被更正的提交不存在或不属于该企业"))
    if enterprise is None or failed is None:
        raise_all(problems)  # neither the hazards nor the inspection can be checked without them
    assert enterprise is not None and pinned is not None and failed is not None
    # Staged apart and appended after the hazards: the write order (audit chain, change rows) stays
    # as it was while the assignment is checked with everything else.
    inspection_writes = WriteSet()
    inspection_id = None
    try:
        inspection_id = await _record_inspection(session, inspection_writes, ctx, principal, record, enterprise)
    except AppError as exc:
        problems.append(exc)
    hazard_ids = await _stage_hazards(session, writes, ctx, principal, record, pinned, failed, enterprise, now, hazard_ids_in_use, problems)
    raise_all(problems)
    writes.extend(inspection_writes)
    row = {
        "id": record.id, "enterprise_id": enterprise.id, "region_code": enterprise.region_code, "industries": list(enterprise.industries),
        "checklist_id": record.checklist_id, "checklist_version": record.checklist_version, "checklist_hash": record.checklist_hash,
        "inspector_id": principal.user_id, "device_id": principal.device_id, "started_at": record.started_at,
        "finished_at": record.finished_at, "received_at": now,
        "latitude": record.gps.latitude if record.gps else None, "longitude": record.gps.longitude if record.gps else None,
        "gps_accuracy_m": record.gps.accuracy_m if record.gps else None, "answers": record.answers,
        "notes": record.notes, "photos": list(record.photos), "signatures": msgspec.to_builtins(record.signatures),
        "co_inspectors": list(record.co_inspectors),
        "replaces_id": record.replaces, "assignment_id": record.assignment_id, "failed_items": failed, "hazard_ids": hazard_ids,
        "content_hash": digest,
    }  # in the table's column order: PostgreSQL's one-statement insert applies only then (core.storage.row_binding)
    writes.insert(Submission, row)
    if principal.role == "enterprise_user" and record.replaces is None and record.checklist_id.startswith(REGISTER_ID_PREFIX):
        # A self-check on the enterprise's generated check list: it may fulfil a self-check task.
        await stage_self_check(
            session, writes, submission_id=record.id, enterprise_id=enterprise.id, checklist_id=record.checklist_id,
            checklist_version=record.checklist_version, finished_at=record.finished_at, received_at=now, failed_items=len(failed),
        )
    after = {"enterprise_id": enterprise.id, "checklist": f"{record.checklist_id}@{record.checklist_version}", "failed_items": failed, "hazard_ids": hazard_ids, "replaces": record.replaces}
    if record.co_inspectors:
        after["co_inspectors"] = list(record.co_inspectors)
    writes.audit(actor=principal.actor, action="submission_accepted", entity="submission", entity_id=record.id, at=now, after=after)
    return {"submission_id": record.id, "hazard_ids": hazard_ids, "failed_items": failed, "inspection_id": inspection_id}, row


async def _stage_hazards(
    session: AsyncSession, writes: WriteSet, ctx: Context, principal: Principal, record: SubmissionRecord, pinned: PinnedVersion,
    failed: list[str], enterprise: Enterprise, now: datetime, ids_in_use: set[str] | None, problems: list[AppError],
) -> list[str]:
    """Stage a hazard for every failed item and every tablet hazard of no item; their ids. A refused
    tablet hazard (its id taken) is a problem naming it (``hazards.<index>.id``)."""
    index_of = {id(h): index for index, h in enumerate(record.hazards)}
    by_item = {h.item_code: h for h in record.hazards if h.item_code}
    planned = [(pinned.items[code], by_item.get(code)) for code in failed] + [(None, h) for h in record.hazards if h.item_code is None]
    hazards = [(_hazard_in(principal, record, now, item=item, tablet=tablet), tablet) for item, tablet in planned]
    if ids_in_use is None:
        # One read for every id instead of one per hazard; ids staged here are added as they are.
        wanted = [data.id for data, _ in hazards if data.id is not None]
        ids_in_use = set((await session.exec(select(Hazard.id).where(col(Hazard.id).in_(wanted)))).all()) if wanted else set()
    hazard_ids = []
    for data, tablet in hazards:
        try:
            state = await stage_new_hazard(session, writes, ctx, principal, data, enterprise=enterprise, ids_in_use=ids_in_use)
        except AppError as exc:
            if tablet is not None:
                exc.field = f"hazards.{index_of[id(tablet)]}" + (f".{exc.field}" if exc.field else "")
            problems.append(exc)
            continue
        hazard_ids.append(state["id"])
    return hazard_ids


async def _record_inspection(
    session: AsyncSession, writes: WriteSet, ctx: Context, principal: Principal, record: SubmissionRecord, enterprise: Enterprise
) -> str | None:
    """An inspector's submission is an inspection (and completes its assignment); an enterprise's
    own submission is a self-inspection (自查) and fulfils no assignment."""
    if principal.role not in INSPECTING_ROLES:
        if record.assignment_id is not None:
            raise _bad("assignment_id", "assignment_not_allowed", "a self-inspection cannot fulfil an assignment", "企业自查不能完成检查任务")
        return None
    try:
        return await stage_inspection(
            session, writes, ctx, principal, enterprise_id=record.enterprise_id, inspected_at=record.finished_at,
            submission_id=record.id, assignment_id=record.assignment_id, enterprise=enterprise,
        )
    except AppError as exc:
        if exc.code == "not_found" and record.assignment_id is not None:
            exc.field = "assignment_id"
        raise
