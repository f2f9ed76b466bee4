"""``anjian plugins …``: see which plugins the server would load and why one is not working."""

from __future__ import annotations

import logging

import click
import msgspec

from plugins.manager import load_plugins


@click.group("plugins")
def plugins_cli() -> None:
    """插件 / plugins."""


@plugins_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit with status 1 if any plugin failed or was degraded (for CI).",
)
def list_plugins(as_json: bool, strict: bool) -> None:
    """List built-in and installed plugins: source, status, errors, checklists and evaluators.

    Honours ANJIAN_PLUGINS_DISABLED like the server.
    """
    # Failures are shown below with their messages; the tracebacks the server logs are noise here.
    logging.getLogger("plugins").setLevel(logging.CRITICAL)
    registry = load_plugins(strict=False)
    report = registry.report()
    if as_json:
        click.echo(msgspec.json.format(msgspec.json.encode(report), indent=2).decode())
    else:
        for info in report:
            origin = info.distribution and f"{info.distribution} {info.version}".strip()
            click.echo(f"{info.name}  [{info.status}]  {info.source}: {info.module}" + (f" ({origin})" if origin else ""))
            if info.checklists:
                click.echo(f"    checklists: {', '.join(info.checklists)}")
            if info.evaluators:
                click.echo(f"    evaluators: {', '.join(info.evaluators)}")
            for error in info.errors:
                click.echo(f"    error [{error.stage}]: {error.message}")
    if strict and any(info.status in ("failed", "degraded") for info in report):
        raise SystemExit(1)
