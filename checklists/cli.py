"""``anjian checklist …``: work with checklist definitions offline.

``validate`` runs exactly the checks the server runs on publishing, with the same messages, so a
department can fix a file before sending it.
"""

from __future__ import annotations

from pathlib import Path

import click

from checklists.canonical import content_hash
from checklists.errors import ChecklistError
from checklists.loading import load_checklist_file


@click.group("checklist")
def checklist_cli() -> None:
    """检查表定义 / checklist definitions."""


@checklist_cli.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
def validate(files: tuple[Path, ...]) -> None:
    """Check checklist definition FILES (YAML, TOML or JSON); list every problem.

    Exits with status 1 when any file has a problem.
    """
    failed = 0
    for path in files:
        try:
            checklist = load_checklist_file(path)
        except ChecklistError as exc:
            failed += 1
            click.echo(f"✗ {path}: {len(exc.problems)} 个问题 / problem(s)", err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            continue
        click.echo(
            f"✓ {path}: {checklist.id} {checklist.version} "
            f"({len(checklist.items())} 项 / items) sha256={content_hash(checklist)}"
        )
    if failed:
        raise SystemExit(1)
