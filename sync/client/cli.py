"""``anjian tablet …``: act as a tablet from the command line (people, scripts and benchmarks)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import httpx
import msgspec

from sync.client.outbox import LocalStore
from sync.client.tablet import SyncError, TabletClient

T = TypeVar("T")


def _run(state: str, work: Callable[[TabletClient], Awaitable[T]], server: str | None = None) -> T:
    store = LocalStore(state)
    base = server or store.get("server")
    if not base:
        raise click.ClickException("no server known: run `anjian tablet login --server URL …` first")

    async def go() -> T:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            return await work(TabletClient(store, http))

    try:
        return asyncio.run(go())
    except SyncError as exc:
        raise click.ClickException(str(exc)) from exc
    except httpx.TransportError as exc:
        raise click.ClickException(f"无法连接服务器 cannot reach the server: {exc}") from exc
    finally:
        store.close()


@click.group("tablet")
@click.option("--state", default="tablet.db", envvar="ANJIAN_TABLET_STATE", show_default=True, help="The tablet's local SQLite file.")
@click.pass_context
def tablet_cli(ctx: click.Context, state: str) -> None:
    """Act as a field tablet: queue records offline, push, pull."""
    ctx.obj = {"state": state}


@tablet_cli.command()
@click.option("--server", required=True, help="Base URL, e.g. http://127.0.0.1:8000")
@click.option("--username", required=True)
@click.password_option("--password", prompt="Password", confirmation_prompt=False)
@click.option("--device-id", default=None, help="The tablet's UUID (generated and kept when omitted).")
@click.option("--device-name", default="")
@click.pass_obj
def login(obj: dict[str, Any], server: str, username: str, password: str, device_id: str | None, device_name: str) -> None:
    """Log in (enrolling this tablet at the first login)."""
    LocalStore(obj["state"]).set(server=server.rstrip("/"))
    device = _run(obj["state"], lambda c: c.login(username, password, device_id, device_name), server.rstrip("/"))
    click.echo(f"logged in as {username} on device {device}")


@tablet_cli.command()
@click.argument("record_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--attach", "attachments", multiple=True, type=click.Path(exists=True, dir_okay=False), help="A photo/signature file the record references (repeat).")
@click.pass_obj
def enqueue(obj: dict[str, Any], record_file: str, attachments: tuple[str, ...]) -> None:
    """Queue a record (JSON file: a submission or hazard_update; a list queues several)."""
    store = LocalStore(obj["state"])
    client = TabletClient(store, httpx.AsyncClient())
    try:
        for path in attachments:
            click.echo(f"attachment {client.attach(path)} {path}")
        data = json.loads(Path(record_file).read_text(encoding="utf-8"))
        for record in data if isinstance(data, list) else [data]:
            click.echo(f"queued {client.enqueue(record)}")
    except (msgspec.ValidationError, ValueError) as exc:
        raise click.ClickException(f"记录不合法 invalid record: {exc}") from exc
    finally:
        store.close()


@tablet_cli.command()
@click.pass_obj
def push(obj: dict[str, Any]) -> None:
    """Push every queued record; print one line per result."""
    results = _run(obj["state"], lambda c: c.push())
    for r in results:
        detail = " ".join(f"{k}={r[k]}" for k in ("code", "field", "conflict_id") if r.get(k))
        click.echo(f"{r['id']} {r['status']} {detail}".rstrip())
    click.echo(f"{len(results)} records answered")


@tablet_cli.command()
@click.option("--limit", default=500, show_default=True)
@click.pass_obj
def pull(obj: dict[str, Any], limit: int) -> None:
    """Pull everything new since the stored cursor."""
    applied = _run(obj["state"], lambda c: c.pull(limit))
    click.echo(f"{applied} items applied")


@tablet_cli.command()
@click.pass_obj
def status(obj: dict[str, Any]) -> None:
    """Show queued records, results and pulled records (JSON)."""
    store = LocalStore(obj["state"])
    try:
        click.echo(json.dumps(TabletClient(store, httpx.AsyncClient()).status(), ensure_ascii=False, indent=2))
    finally:
        store.close()
