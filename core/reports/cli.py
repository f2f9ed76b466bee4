"""``anjian reports rebuild KIND PERIOD``: compute a closed period's 月调度 / 季通报 again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from core.context import Context
from core.reports.rebuild import closed_period, rebuild_snapshot
from core.storage.audit_log import SYSTEM


def register_reports(cli: click.Group, build_context: Callable[..., Context], run_with_context: Callable[..., Any]) -> None:
    """Attach the ``reports`` group to the main CLI."""

    @cli.group()
    def reports() -> None:
        """Report snapshots (月调度, 季通报)."""

    @reports.command("rebuild")
    @click.argument("kind", type=click.Choice(["monthly_dispatch", "quarterly_bulletin"]))
    @click.argument("period")
    def rebuild(kind: str, period: str) -> None:
        """Rebuild the snapshot of a closed PERIOD (2026-11 for monthly_dispatch, 2026-Q4 for
        quarterly_bulletin): stored if missing, replaced and audited if its figures changed."""

        async def work(ctx: Context) -> dict[str, Any]:
            parsed = closed_period(ctx, kind, period)
            return await rebuild_snapshot(ctx, kind, period, parsed.start, parsed.end, actor=SYSTEM)

        outcome = run_with_context(build_context, work)
        state = "created" if outcome.get("created") else "rebuilt, figures changed" if outcome.get("changed") else "rebuilt, figures unchanged"
        click.echo(f"{kind} {period}: {state} ({outcome.get('cells', 0)} cells)")
