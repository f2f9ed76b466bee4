"""``anjian jobs list`` and ``anjian jobs run NAME``: see and run the scheduled jobs by hand."""

from __future__ import annotations

from collections.abc import Callable

import click

from core.cli import run_with_context
from core.context import Context
from core.scheduler.catalogue import JOBS
from core.scheduler.runner import run_job


def register_jobs(cli: click.Group, build_context: Callable[..., Context]) -> None:
    """Attach the ``jobs`` group to the main CLI."""

    @cli.group()
    def jobs() -> None:
        """Scheduled jobs (定时任务)."""

    @jobs.command("list")
    def list_jobs() -> None:
        """Every job, its schedule (China time) and what it does."""
        for spec in JOBS.values():
            schedule = " ".join(f"{k}={v}" for k, v in spec.cron.items())
            click.echo(f"{spec.name:<20} [{schedule}]  {spec.description}")

    @jobs.command("run")
    @click.argument("name", type=click.Choice(sorted(JOBS)))
    @click.option("--force", is_flag=True, help="Run again even if this period's run is done (safe: jobs are idempotent; report snapshots are rebuilt).")
    def run(name: str, force: bool) -> None:
        """Run one job now for the current period."""
        outcome = run_with_context(build_context, lambda ctx: run_job(ctx, name, force=force))
        click.echo(f"{outcome.job} [{outcome.period}]: {outcome.status}" + (f" — {outcome.reason}" if outcome.reason else ""))
        for key, value in outcome.result.items():
            click.echo(f"  {key}: {value}")
        if outcome.status == "failed":
            raise SystemExit(1)
