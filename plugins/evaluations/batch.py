"""Re-scoring every enterprise in a scope from its latest stored input (after a standard changes).

"Latest data" is, per enterprise, the input of its most recent stored evaluation by the same
evaluator (``docs/evaluators.md`` says what that is for each evaluator). Each enterprise is
handled on its own — one write transaction each, as the system actor — so a failure on one is
reported and the rest carry on. A result identical to the latest stored one (same evaluator
version, same result) is not stored again, so running the batch twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy import func
from sqlmodel import col, select

from core.access.scope import industry_subquery
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import AppError
from core.evaluations.records import Evaluation
from core.regions.codes import subtree_prefix
from core.storage.audit_log import SYSTEM, Actor
from plugins.evaluations.service import prepare, score, store_evaluation
from plugins.registry import PluginRegistry, describe


class UnknownEvaluator(LookupError):
    """No plugin offers the evaluator asked for."""


@dataclass
class BatchFailure:
    enterprise_id: str
    name: str
    message: str


@dataclass
class BatchSummary:
    """What a batch did: ``scored`` stored a new result, ``unchanged`` gave the stored one again."""

    evaluator_id: str
    evaluator_version: str
    total: int = 0
    scored: int = 0
    unchanged: int = 0
    without_data: int = 0
    failures: list[BatchFailure] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.evaluator_id} {self.evaluator_version}: {self.total} enterprises, {self.scored} scored, "
            f"{self.unchanged} unchanged, {self.without_data} without data, {len(self.failures)} failed"
        )


async def enterprises_in_scope(ctx: Context, *, region_code: str | None, industry: str | None) -> list[tuple[str, str]]:
    """``(id, name)`` of active enterprises in the region subtree and industry, ordered by name."""
    conditions: list[Any] = [col(Enterprise.active).is_(True)]
    if region_code:
        conditions.append(col(Enterprise.region_code).startswith(subtree_prefix(region_code)))
    if industry:
        conditions.append(col(Enterprise.id).in_(industry_subquery([industry])))
    async with ctx.db.read() as session:
        rows = (
            await session.exec(select(Enterprise.id, Enterprise.name).where(*conditions).order_by(col(Enterprise.name), col(Enterprise.id)))
        ).all()
    return [(row[0], row[1]) for row in rows]


async def latest_evaluation(ctx: Context, enterprise_id: str, evaluator_id: str) -> Evaluation | None:
    """The enterprise's most recent stored evaluation by ``evaluator_id`` (same instant: highest id)."""
    async with ctx.db.read() as session:
        return (
            await session.exec(
                select(Evaluation)
                .where(col(Evaluation.enterprise_id) == enterprise_id, col(Evaluation.evaluator_id) == evaluator_id)
                .order_by(col(Evaluation.created_at).desc(), col(Evaluation.id).desc())
                .limit(1)
            )
        ).first()


async def rescore(
    ctx: Context,
    registry: PluginRegistry,
    evaluator_id: str,
    *,
    region_code: str | None = None,
    industry: str | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> BatchSummary:
    """Re-run ``evaluator_id`` for every active enterprise in scope; ``progress`` gets one line each.

    Raises ``UnknownEvaluator`` for an evaluator no plugin offers (checked before anything runs).
    """
    evaluator = registry.evaluator(evaluator_id)
    if evaluator is None:
        raise UnknownEvaluator(evaluator_id)
    summary = BatchSummary(evaluator_id=evaluator.id, evaluator_version=evaluator.version)
    enterprises = await enterprises_in_scope(ctx, region_code=region_code, industry=industry)
    summary.total = len(enterprises)
    for n, (enterprise_id, name) in enumerate(enterprises, start=1):
        outcome = await _rescore_counted(ctx, registry, evaluator, enterprise_id, name, summary, SYSTEM)
        progress(f"[{n}/{summary.total}] {name} ({enterprise_id}): {outcome}")
    return summary


async def _rescore_counted(
    ctx: Context, registry: PluginRegistry, evaluator: Any, enterprise_id: str, name: str, summary: BatchSummary, actor: Actor
) -> str:
    """Re-score one enterprise, count the outcome in ``summary`` and describe it in one line."""
    try:
        outcome = await _rescore_one(ctx, registry, evaluator, enterprise_id, actor)
    except AppError as exc:
        where = f" [{exc.field}]" if exc.field else ""
        message = f"{exc.message_zh or exc.message}{where} ({exc.message})"
        summary.failures.append(BatchFailure(enterprise_id, name, message))
        return f"FAILED {message}"
    except Exception as exc:  # noqa: BLE001 - one enterprise's failure must not stop the batch
        summary.failures.append(BatchFailure(enterprise_id, name, describe(exc)))
        return f"FAILED {describe(exc)}"
    if outcome is None:
        summary.without_data += 1
        return f"skipped, no stored input for {evaluator.id} 无评估数据"
    if outcome == "unchanged":
        summary.unchanged += 1
        return "unchanged 结果未变"
    summary.scored += 1
    return outcome


@dataclass
class BatchChunk:
    """One chunk of a batch run by cursor: what it did, where the run stands, where to go on.

    ``done`` counts the enterprises in scope up to and including the last one handled (ordered by
    id), ``summary.total`` all of them; ``next_cursor`` is None once the last one is handled.
    """

    summary: BatchSummary
    done: int
    next_cursor: str | None


async def rescore_chunk(
    ctx: Context,
    registry: PluginRegistry,
    evaluator_id: str,
    *,
    scope: Sequence[Any],
    after: str | None,
    limit: int,
    actor: Actor,
) -> BatchChunk:
    """Re-score the next ``limit`` active enterprises (by id, after ``after``) among ``scope``.

    ``scope`` is SQL conditions on ``Enterprise`` (a caller's ``Principal.enterprise_conditions()``).
    Nothing is kept between chunks: the cursor is the last enterprise id handled, so a run survives
    any number of server processes and can be resumed. Raises ``UnknownEvaluator`` first.
    """
    evaluator = registry.evaluator(evaluator_id)
    if evaluator is None:
        raise UnknownEvaluator(evaluator_id)
    conditions = [*scope, col(Enterprise.active).is_(True)]
    page = [*conditions, col(Enterprise.id) > after] if after else conditions
    async with ctx.db.read() as session:
        total = (await session.exec(select(func.count()).select_from(Enterprise).where(*conditions))).one()
        rows = (await session.exec(select(Enterprise.id, Enterprise.name).where(*page).order_by(col(Enterprise.id)).limit(limit))).all()
    summary = BatchSummary(evaluator_id=evaluator.id, evaluator_version=evaluator.version, total=total)
    for enterprise_id, name in rows:
        await _rescore_counted(ctx, registry, evaluator, enterprise_id, name, summary, actor)
    last = rows[-1][0] if rows else after
    async with ctx.db.read() as session:
        done = (await session.exec(select(func.count()).select_from(Enterprise).where(*conditions, col(Enterprise.id) <= last))).one() if last else 0
    return BatchChunk(summary=summary, done=done, next_cursor=last if len(rows) == limit and done < total else None)


async def _rescore_one(ctx: Context, registry: PluginRegistry, evaluator: Any, enterprise_id: str, actor: Actor = SYSTEM) -> str | None:
    latest = await latest_evaluation(ctx, enterprise_id, evaluator.id)
    if latest is None:
        return None
    prepared = await prepare(ctx, evaluator, latest.input, enterprise_id=enterprise_id)
    result = score(registry, evaluator, prepared.evaluated)
    if latest.evaluator_version == evaluator.version and msgspec.to_builtins(result) == latest.result:
        return "unchanged"
    async with ctx.db.write() as session:
        row = await store_evaluation(
            session, ctx, actor=actor, enterprise_id=enterprise_id, evaluator=evaluator, stored_input=prepared.stored, result=result
        )
    grade = f", {result.grade_label or result.grade}" if (result.grade_label or result.grade) else ""
    return f"scored {result.score:g}/{result.maximum:g}{grade} (evaluation {row.id})"
