"""Re-scoring every enterprise in a scope from its latest stored input (after a standard changes).

"Latest data" is, per enterprise, the input of its most recent stored evaluation by the same
evaluator (``docs/evaluators.md`` says what that is for each evaluator). Each enterprise is
handled on its own — one write transaction each, as the system actor — so a failure on one is
reported and the rest carry on. A result identical to the latest stored one (same evaluator
version, same result) is not stored again, so running the batch twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlmodel import col, select

from core.access.scope import industry_subquery
from core.context import Context
from core.enterprises.records import Enterprise
from core.errors import AppError
from core.evaluations.records import Evaluation
from core.regions.codes import subtree_prefix
from core.storage.audit_log import SYSTEM
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
        prefix = f"[{n}/{summary.total}] {name} ({enterprise_id})"
        try:
            outcome = await _rescore_one(ctx, registry, evaluator, enterprise_id)
        except AppError as exc:
            where = f" [{exc.field}]" if exc.field else ""
            message = f"{exc.message_zh or exc.message}{where} ({exc.message})"
            summary.failures.append(BatchFailure(enterprise_id, name, message))
            progress(f"{prefix}: FAILED {message}")
            continue
        except Exception as exc:  # noqa: BLE001 - one enterprise's failure must not stop the batch
            summary.failures.append(BatchFailure(enterprise_id, name, describe(exc)))
            progress(f"{prefix}: FAILED {describe(exc)}")
            continue
        if outcome is None:
            summary.without_data += 1
            progress(f"{prefix}: skipped, no stored input for {evaluator.id} 无评估数据")
        elif outcome == "unchanged":
            summary.unchanged += 1
            progress(f"{prefix}: unchanged 结果未变")
        else:
            summary.scored += 1
            progress(f"{prefix}: {outcome}")
    return summary


async def _rescore_one(ctx: Context, registry: PluginRegistry, evaluator: Any, enterprise_id: str) -> str | None:
    latest = await latest_evaluation(ctx, enterprise_id, evaluator.id)
    if latest is None:
        return None
    prepared = await prepare(ctx, evaluator, latest.input, enterprise_id=enterprise_id)
    result = score(registry, evaluator, prepared.evaluated)
    if latest.evaluator_version == evaluator.version and msgspec.to_builtins(result) == latest.result:
        return "unchanged"
    async with ctx.db.write() as session:
        row = await store_evaluation(
            session, ctx, actor=SYSTEM, enterprise_id=enterprise_id, evaluator=evaluator, stored_input=prepared.stored, result=result
        )
    grade = f", {result.grade_label or result.grade}" if (result.grade_label or result.grade) else ""
    return f"scored {result.score:g}/{result.maximum:g}{grade} (evaluation {row.id})"
