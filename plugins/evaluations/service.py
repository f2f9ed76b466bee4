"""Running evaluations for enterprises, keeping their history, and taking a risk level from one.

Evaluators are pure; this is where they meet storage and people: the caller's role and scope are
checked, references in the input are resolved (``plugins.evaluations.inputs``), the result is
stored with its input and an audit entry, and a stored risk evaluation can set the enterprise's
risk level through the enterprise service (versioned, in the change feed and the audit log).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any, NoReturn

import msgspec
from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.permissions import require
from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise
from core.enterprises.service import update_in_session
from core.enterprises.wire import EnterpriseOut, EnterprisePatch
from core.errors import AppError, Conflict, Forbidden, InvalidInput, not_found
from core.evaluations.records import Evaluation
from core.storage.audit_log import Actor, append_audit
from core.wire import Page, to_out
from plugins.evaluations.inputs import REFERENCE_TYPES, PreparedInput, prepare_input
from plugins.evaluations.wire import EvaluationIn, EvaluationOut, EvaluatorOut, RiskLevelIn
from plugins.evaluator import EvaluationInputError, EvaluationResult, evaluate_raw
from plugins.registry import PluginError, PluginRegistry, describe

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 200
ENTITY = "evaluation"


class EvaluatorFailed(AppError):
    """An evaluator raised something other than an input error: a defect in its plugin."""

    status_code = 500
    code = "evaluator_failed"


# --- evaluators ----------------------------------------------------------------------------------


def list_evaluators(registry: PluginRegistry, principal: Principal) -> list[EvaluatorOut]:
    """Every evaluator on offer, with the JSON schema of its input, ordered by id."""
    require(principal.role, "evaluation.read")
    out = []
    for evaluator_id in sorted(registry.evaluators):
        contributed = registry.evaluators[evaluator_id]
        evaluator = contributed.evaluator
        references = REFERENCE_TYPES.get(evaluator_id)
        out.append(
            EvaluatorOut(
                id=evaluator.id,
                title=evaluator.title,
                version=evaluator.version,
                plugin=contributed.plugin,
                input_schema=msgspec.json.schema(evaluator.input_type),
                input_reference_schema=reference_schema(references) if references else None,
            )
        )
    return out


def reference_schema(references: tuple[type[msgspec.Struct], ...]) -> dict[str, Any]:
    """One JSON schema accepting any of the reference forms (``anyOf``, shared ``$defs``)."""
    schemas, definitions = msgspec.json.schema_components(references)
    return {"anyOf": list(schemas), "$defs": definitions}


def find_evaluator(registry: PluginRegistry, evaluator_id: str) -> Any:
    """The evaluator ``evaluator_id``; 404 (field ``evaluator``) when no plugin offers it."""
    evaluator = registry.evaluator(evaluator_id)
    if evaluator is None:
        error = not_found(f"evaluator {evaluator_id}", f"评估器 {evaluator_id} ")
        error.field = "evaluator"
        raise error
    return evaluator


def in_input(field: str | None) -> str:
    """A field path inside the input as a path in the request body (``l`` -> ``input.l``)."""
    if not field:
        return "input"
    return f"input{field}" if field.startswith("[") else f"input.{field}"


def score(registry: PluginRegistry, evaluator: Any, data: dict[str, Any]) -> EvaluationResult:
    """Evaluate ``data``: input problems -> 400 naming ``input.<path>``; plugin defects -> 500.

    A defect (anything but ``EvaluationInputError``, or a result that is not an
    ``EvaluationResult``) is recorded against the evaluator's plugin, shown to admins in the
    plugin report, and answered with the plugin's name.
    """
    try:
        result = evaluate_raw(evaluator, data)
    except EvaluationInputError as exc:
        raise InvalidInput(exc.message, exc.message_zh, field=in_input(exc.field), code="invalid_evaluation_input") from exc
    except Exception as exc:  # noqa: BLE001 - a plugin's defect must not look like the caller's fault
        _plugin_defect(registry, evaluator, exc)
    if not isinstance(result, EvaluationResult):
        _plugin_defect(registry, evaluator, TypeError(f"evaluate returned {type(result).__name__}, not EvaluationResult"))
    return result


def _plugin_defect(registry: PluginRegistry, evaluator: Any, exc: BaseException) -> NoReturn:
    plugin = registry.evaluators[evaluator.id].plugin if evaluator.id in registry.evaluators else "?"
    try:
        registry.fail(plugin, f"evaluate {evaluator.id}", exc)
    except PluginError:
        pass  # strict mode re-raises; the caller still gets the answer below
    raise EvaluatorFailed(
        f"evaluator {evaluator.id} (plugin {plugin}) failed: {describe(exc)}",
        f"评估器 {evaluator.id}（插件 {plugin}）运行出错，请联系管理员：{describe(exc)}",
    ) from exc


def input_hash(stored: dict[str, Any]) -> str:
    """sha256 of the stored input as compact JSON with sorted keys (same input, same hash)."""
    return hashlib.sha256(msgspec.json.encode(stored, order="sorted")).hexdigest()


# --- storing -------------------------------------------------------------------------------------


async def store_evaluation(
    session: AsyncSession,
    ctx: Context,
    *,
    actor: Actor,
    enterprise_id: str,
    evaluator: Any,
    stored_input: dict[str, Any],
    result: EvaluationResult,
) -> Evaluation:
    """Keep one result with its input, and audit it, in the caller's write transaction."""
    now = ctx.clock.now()
    row = Evaluation(
        enterprise_id=enterprise_id,
        evaluator_id=evaluator.id,
        evaluator_version=evaluator.version,
        input=stored_input,
        input_hash=input_hash(stored_input),
        result=msgspec.to_builtins(result),
        score=result.score,
        maximum=result.maximum,
        grade=result.grade,
        risk_level=result.risk_level,
        created_by=actor.id,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    await append_audit(
        session,
        actor=actor,
        action="evaluation.create",
        entity=ENTITY,
        entity_id=row.id,
        at=now,
        after={
            "enterprise_id": enterprise_id,
            "evaluator_id": row.evaluator_id,
            "evaluator_version": row.evaluator_version,
            "input_hash": row.input_hash,
            "score": row.score,
            "maximum": row.maximum,
            "grade": row.grade,
            "risk_level": row.risk_level,
        },
    )
    return row


def evaluation_out(row: Evaluation) -> EvaluationOut:
    """The API view of a stored evaluation."""
    return EvaluationOut(
        id=row.id,
        enterprise_id=row.enterprise_id,
        evaluator=row.evaluator_id,
        evaluator_version=row.evaluator_version,
        input=row.input,
        input_hash=row.input_hash,
        result=msgspec.convert(row.result, EvaluationResult),
        score=row.score,
        maximum=row.maximum,
        grade=row.grade,
        risk_level=row.risk_level,
        created_by=row.created_by,
        created_at=row.created_at,
    )


SCALE_LABELS = {"large_medium": "大中型", "small_micro": "小微型"}


async def check_scale(ctx: Context, evaluator: Any, enterprise_id: str) -> None:
    """400 naming ``standard`` when the evaluator's standard is for the other enterprise scale
    (the 大中型 standard for a 小微型 enterprise, or the reverse); evaluators without ``scale`` pass."""
    scale = getattr(evaluator, "scale", None)
    if scale is None:
        return
    async with ctx.db.read() as session:
        enterprise = await session.get(Enterprise, enterprise_id)
    if enterprise is None or enterprise.scale == scale:
        return
    fitting = SCALE_LABELS.get(enterprise.scale, enterprise.scale)
    raise InvalidInput(
        f"evaluator {evaluator.id} applies the standard for {scale} enterprises; this enterprise is {enterprise.scale}",
        f"评估器 {evaluator.id} 使用的是{SCALE_LABELS.get(scale, scale)}企业评估标准，该企业为{fitting}企业，请使用{fitting}企业评估标准",
        field="standard",
        code="standard_scale_mismatch",
        extra={"evaluator": evaluator.id, "standard_scale": scale, "enterprise_scale": enterprise.scale},
    )


async def prepare(ctx: Context, evaluator: Any, data: dict[str, Any], *, enterprise_id: str) -> PreparedInput:
    """Check the standard fits the enterprise, resolve references and add the facts the evaluator
    asks for; input errors name their field as a path in the request body."""
    await check_scale(ctx, evaluator, enterprise_id)
    try:
        return await prepare_input(ctx, evaluator, data, enterprise_id=enterprise_id)
    except EvaluationInputError as exc:
        raise InvalidInput(exc.message, exc.message_zh, field=in_input(exc.field), code="invalid_evaluation_input") from exc
    except AppError as exc:
        exc.field = in_input(exc.field)
        raise


# --- the API's operations ------------------------------------------------------------------------


async def _visible_enterprise(session: AsyncSession, principal: Principal, enterprise_id: str) -> Enterprise:
    enterprise = await session.get(Enterprise, enterprise_id)
    if enterprise is None or not principal.sees_enterprise(enterprise):
        raise not_found("enterprise", "企业")
    return enterprise


async def run_evaluation(ctx: Context, registry: PluginRegistry, principal: Principal, data: EvaluationIn) -> EvaluationOut:
    """Evaluate for an enterprise in the caller's scope, store the result and return it.

    403 for roles that may not run evaluations; 404 for an unknown evaluator or an enterprise
    absent or out of scope; 400 naming ``input.<path>`` for input the evaluator cannot score.
    """
    if principal.role == "enterprise_user":
        require(principal.role, "evaluation.self_assess")
    else:
        require(principal.role, "evaluation.run")
    evaluator = find_evaluator(registry, data.evaluator)
    if principal.role == "enterprise_user" and getattr(evaluator, "scale", None) is None:
        raise Forbidden(
            f"an enterprise assesses itself only against an evaluation standard for enterprises, not {data.evaluator}",
            "企业用户只能使用企业评估标准进行自评估", field="evaluator",
        )
    async with ctx.db.read() as session:
        await _visible_enterprise(session, principal, data.enterprise_id)
    prepared = await prepare(ctx, evaluator, data.input, enterprise_id=data.enterprise_id)
    result = score(registry, evaluator, prepared.evaluated)
    async with ctx.db.write() as session:
        row = await store_evaluation(
            session, ctx, actor=principal.actor, enterprise_id=data.enterprise_id, evaluator=evaluator,
            stored_input=prepared.stored, result=result,
        )
    return evaluation_out(row)


async def list_evaluations(
    ctx: Context,
    principal: Principal,
    *,
    enterprise_id: str | None = None,
    evaluator_id: str | None = None,
    enterprise_q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page[EvaluationOut]:
    """Evaluations in the caller's scope, newest first (same instant: by id), paginated.

    With ``enterprise_id``, that enterprise's history (404 when absent or out of scope); with
    ``enterprise_q``, those of enterprises whose name or USCC contains it (as the enterprise search).
    ``total`` counts only evaluations of enterprises the caller sees.
    """
    require(principal.role, "evaluation.read")
    if page < 1:
        raise InvalidInput("page must be >= 1", "页码必须大于等于1", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page_size must be 1..{MAX_PAGE_SIZE}", f"每页条数必须在1到{MAX_PAGE_SIZE}之间", field="page_size")
    conditions = principal.enterprise_conditions()
    if enterprise_id is not None:
        conditions.append(col(Evaluation.enterprise_id) == enterprise_id)
    if evaluator_id is not None:
        conditions.append(col(Evaluation.evaluator_id) == evaluator_id)
    if enterprise_q and enterprise_q.strip():
        pattern = f"%{enterprise_q.strip()}%"
        conditions.append(or_(col(Enterprise.name).like(pattern), col(Enterprise.uscc).like(pattern)))
    joined = col(Evaluation.enterprise_id) == col(Enterprise.id)
    async with ctx.db.read() as session:
        if enterprise_id is not None:
            await _visible_enterprise(session, principal, enterprise_id)
        total = (await session.exec(select(func.count()).select_from(Evaluation).join(Enterprise, joined).where(*conditions))).one()
        rows = (
            await session.exec(
                select(Evaluation)
                .join(Enterprise, joined)
                .where(*conditions)
                .order_by(col(Evaluation.created_at).desc(), col(Evaluation.id).desc())
                .offset((page - 1) * page_size)
                .limit(page_size)
            )
        ).all()
    return Page(items=[evaluation_out(row) for row in rows], total=total, page=page, page_size=page_size)


async def get_evaluation(ctx: Context, principal: Principal, evaluation_id: str) -> EvaluationOut:
    """One stored evaluation; 404 when absent or its enterprise is out of scope."""
    require(principal.role, "evaluation.read")
    async with ctx.db.read() as session:
        row = await session.get(Evaluation, evaluation_id)
        enterprise = await session.get(Enterprise, row.enterprise_id) if row is not None else None
    if row is None or enterprise is None or not principal.sees_enterprise(enterprise):
        raise not_found("evaluation", "评估记录")
    return evaluation_out(row)


async def set_risk_level(ctx: Context, principal: Principal, enterprise_id: str, data: RiskLevelIn) -> EnterpriseOut:
    """Set the enterprise's ``risk_level`` to the level a stored risk evaluation of it gave.

    Goes through the enterprise service, so the file's version is bumped and the change reaches
    tablets and the audit log; a second audit entry (``enterprise.risk_level_set``) names the
    evaluation it came from. 409 (``not_a_risk_evaluation``) when the evaluation gave no level.
    """
    require(principal.role, "enterprise.set_risk_level")
    async with ctx.db.write() as session:
        enterprise = await _visible_enterprise(session, principal, enterprise_id)
        evaluation = await session.get(Evaluation, data.evaluation_id)
        if evaluation is None or evaluation.enterprise_id != enterprise.id:
            error = not_found("evaluation of this enterprise", "该企业的评估记录")
            error.field = "evaluation_id"
            raise error
        if evaluation.risk_level is None:
            raise Conflict(
                f"evaluation {evaluation.id} ({evaluation.evaluator_id}, grade {evaluation.grade}) gives no risk level; "
                "use a risk grading evaluation (e.g. risk.lec, risk.matrix) that reached a level",
                f"评估记录 {evaluation.id}（{evaluation.evaluator_id}，等级 {evaluation.grade or '无'}）未给出风险等级，"
                "请使用判定出风险等级的风险分级评估（如 risk.lec、risk.matrix）",
                field="evaluation_id",
                code="not_a_risk_evaluation",
            )
        previous = enterprise.risk_level
        patch = EnterprisePatch(risk_level=evaluation.risk_level)  # type: ignore[arg-type]
        if data.expected_version is not None:
            patch.expected_version = data.expected_version
        updated = await update_in_session(session, ctx, principal, enterprise.id, patch, permission="enterprise.set_risk_level")
        await append_audit(
            session,
            actor=principal.actor,
            action="enterprise.risk_level_set",
            entity="enterprise",
            entity_id=enterprise.id,
            at=ctx.clock.now(),
            before={"risk_level": previous},
            after={
                "risk_level": evaluation.risk_level,
                "evaluation_id": evaluation.id,
                "evaluator_id": evaluation.evaluator_id,
                "evaluator_version": evaluation.evaluator_version,
                "score": evaluation.score,
                "version": updated.version,
            },
        )
    return to_out(updated, EnterpriseOut)
