"""``anjian evaluate``: re-score enterprises from their latest stored input (``plugins.evaluations.batch``)."""

from __future__ import annotations

import re
from collections.abc import Callable

import click

from core.cli import run_with_context
from core.context import Context
from core.settings import Settings
from core.vocabulary import INDUSTRIES
from plugins.evaluations.batch import BatchSummary, UnknownEvaluator, rescore
from plugins.registry import PluginRegistry

REGION = re.compile(r"^\d{6}(\d{3})?$")  # a GB/T 2260 code or a nine-digit township


def make_evaluate_command(
    build_context: Callable[..., Context], load_registry: Callable[[Settings], PluginRegistry]
) -> click.Command:
    """The ``evaluate`` command; ``load_registry`` builds the plugin registry from the settings."""

    @click.command("evaluate")
    @click.option("--evaluator", "evaluator_id", required=True, help="Evaluator id, e.g. risk.lec.")
    @click.option("--all", "all_enterprises", is_flag=True, help="Every active enterprise in the scope below.")
    @click.option("--region", "region_code", default=None, help="Only this region code and everything under it.")
    @click.option("--industry", default=None, type=click.Choice(INDUSTRIES), help="Only enterprises in this industry.")
    def evaluate(evaluator_id: str, all_enterprises: bool, region_code: str | None, industry: str | None) -> None:
        """Re-score enterprises with an evaluator from each one's latest stored input.

        Run after a standard or evaluator version changed. Enterprises without a stored input for
        the evaluator are skipped and counted; a failure on one is reported and the rest go on.
        Exits 1 when any enterprise failed.
        """
        if not all_enterprises:
            raise click.UsageError("give --all (optionally narrowed by --region and --industry) 请指定 --all")
        if region_code is not None and not REGION.match(region_code):
            raise click.BadParameter("a 6- or 9-digit region code 应为6位或9位（乡镇）行政区划代码", param_hint="--region")

        async def work(ctx: Context) -> BatchSummary:
            registry = load_registry(ctx.settings)
            try:
                return await rescore(ctx, registry, evaluator_id, region_code=region_code, industry=industry, progress=click.echo)
            except UnknownEvaluator:
                available = ", ".join(sorted(registry.evaluators)) or "none"
                raise click.ClickException(
                    f"未知的评估器 {evaluator_id} (unknown evaluator {evaluator_id}; available: {available})"
                ) from None

        summary = run_with_context(build_context, work)
        click.echo(summary.line())
        for failure in summary.failures:
            click.echo(f"  failed: {failure.name} ({failure.enterprise_id}): {failure.message}", err=True)
        if summary.failures:
            raise SystemExit(1)

    return evaluate
