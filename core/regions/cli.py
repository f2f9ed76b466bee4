"""``anjian regions import FILE.csv``: add townships and streets (or any division) from a CSV file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from core.context import Context
from core.regions.importing import ImportSummary, import_regions

SHOWN_PROBLEMS = 50


def register_regions(cli: click.Group, build_context: Callable[..., Context], run_with_context: Callable[..., Any]) -> None:
    """Attach the ``regions`` group to the main CLI."""

    @cli.group()
    def regions() -> None:
        """Administrative divisions (行政区划)."""

    @regions.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def import_file(file: Path) -> None:
        """Import regions from FILE.csv (columns code,name; parent_code and level optional): nine-digit
        townships and streets below the shipped counties, or six-digit divisions missing from them.
        New codes are added, changed names updated; nothing is written if any line is wrong.
        Exits 1 with every problem listed by line."""
        data = file.read_bytes()
        summary: ImportSummary = run_with_context(build_context, lambda ctx: import_regions(ctx, data, source=file.name))
        if summary.problems:
            for problem in summary.problems[:SHOWN_PROBLEMS]:
                click.echo(problem.text(), err=True)
            more = len(summary.problems) - SHOWN_PROBLEMS
            if more > 0:
                click.echo(f"… and {more} more problems 另有 {more} 处问题", err=True)
            click.echo(f"导入失败，未写入任何数据 nothing imported: {len(summary.problems)} problems in {file.name}", err=True)
            raise SystemExit(1)
        click.echo(f"{file.name}: {summary.rows} rows, {summary.added} added, {summary.renamed} renamed, {summary.unchanged} unchanged")
