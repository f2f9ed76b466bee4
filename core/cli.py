"""Core commands of the ``anjian`` CLI: users, demo data, audit verification."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
import msgspec

from core.access.password_policy import weakness
from core.access.user_service import create_user
from core.access.wire import UserIn
from core.audit.anchors import log_line, parse_log, take_anchor
from core.audit.verify import verify_chain
from core.bootstrap import prepare_database
from core.context import Context
from core.demo import build_demo
from core.errors import AppError
from core.regions.cli import register_regions
from core.reports.cli import register_reports
from core.settings import SettingsError, settings_from_env, unknown_variables
from core.storage.audit_log import SYSTEM
from core.storage.backup_cli import register_backup
from core.vocabulary import INDUSTRIES, ROLES

T = TypeVar("T")


class BadSetting(click.ClickException):
    """A malformed ``ANJIAN_*`` variable: one line on stderr, exit code 2 (a usage error)."""

    exit_code = 2


class SettingsCheckingGroup(click.Group):
    """The ``anjian`` group: any command meeting a malformed setting ends with that one line
    (naming the variable and what is wrong), not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SettingsError as exc:
            raise BadSetting(str(exc)) from None


def warn_unknown_variables() -> None:
    """Warn (logger ``anjian.settings``) of each ``ANJIAN_*`` variable that names no setting."""
    for warning in unknown_variables():
        logging.getLogger("anjian.settings").warning(warning)


def run_with_context(build_context: Callable[..., Context], work: Callable[[Context], Awaitable[T]]) -> T:
    """Run ``work`` against a migrated database, turning user errors into clean CLI errors."""
    ctx = build_context(settings_from_env())

    async def run() -> T:
        try:
            await prepare_database(ctx.db)
            return await work(ctx)
        finally:
            await ctx.db.dispose()

    try:
        return asyncio.run(run())
    except AppError as exc:
        field = f" [{exc.field}]" if exc.field else ""
        raise click.ClickException(f"{exc.message_zh or exc.message}{field} ({exc.message})") from exc
    except msgspec.ValidationError as exc:
        raise click.ClickException(f"输入不合法 invalid input: {exc}") from exc


def register(cli: click.Group, build_context: Callable[..., Context], risk_assessor: Callable[[Any], Any] | None = None) -> None:
    """Attach the core commands to the main group; ``risk_assessor(settings)`` gives the demo the
    plugins' LEC/LS evaluators (core does not import plugins)."""
    register_regions(cli, build_context, run_with_context)  # anjian regions import
    register_reports(cli, build_context, run_with_context)  # anjian reports rebuild
    register_backup(cli)  # anjian backup, anjian restore

    @cli.group()
    def user() -> None:
        """Manage users."""

    @user.command("create")
    @click.argument("username")
    @click.option("--role", required=True, type=click.Choice(ROLES))
    @click.option("--region", "region_code", default=None, help="Region code of the user's scope (default: everywhere).")
    @click.option("--industry", "industries", multiple=True, type=click.Choice(INDUSTRIES), help="Repeat for several; none = all.")
    @click.option("--enterprise", "enterprise_id", default=None, help="Enterprise id (enterprise users).")
    @click.option("--grid", "grid_code", default=None)
    @click.option("--display-name", default="")
    @click.option("--card-no", "enforcement_card_no", default=None, help="执法证号: the enforcement certificate number printed on documents (at most 32 characters).")
    @click.password_option("--password", prompt="Password", help="Prompted when not given.")
    def create(
        username: str, role: str, region_code: str | None, industries: tuple[str, ...], enterprise_id: str | None, grid_code: str | None, display_name: str,
        enforcement_card_no: str | None, password: str,
    ) -> None:
        """Create a user with a role and a scope (the password must meet the password policy)."""
        weak = weakness(password)
        if weak is not None:  # the check create_user makes, before touching the database and for any length
            raise click.ClickException(f"{weak[1]} [password] ({weak[0]})")
        data: dict[str, Any] = dict(
            username=username, password=password, role=role, region_code=region_code, industries=list(industries), enterprise_id=enterprise_id,
            grid_code=grid_code, display_name=display_name, enforcement_card_no=enforcement_card_no,
        )
        out = run_with_context(build_context, lambda ctx: create_user(ctx, SYSTEM, msgspec.convert(data, UserIn)))
        click.echo(f"created user {out.username} ({out.role}) id={out.id}")

    @cli.command()
    @click.option("--enterprises", default=240, show_default=True, help="How many demo enterprises.")
    def demo(enterprises: int) -> None:
        """Fill the database with a realistic demo county and one user of each role."""
        def fill(ctx: Context) -> Any:
            return build_demo(ctx, enterprises=enterprises, assessor=risk_assessor(ctx.settings) if risk_assessor else None)

        result = run_with_context(build_context, fill)
        click.echo(f"demo: 广汉市 (510681), {result.grids} grids, {result.enterprises} new enterprises, {result.registers} new risk registers")
        for username, role, password in result.credentials:
            click.echo(f"  user {username:<14} role {role:<17} password {password}")
        if result.skipped_users:
            click.echo(f"  existing users kept (passwords unchanged): {', '.join(result.skipped_users)}")

    @cli.group()
    def audit() -> None:
        """Audit log tools."""

    @audit.command("verify")
    @click.option("--anchors-from", "anchor_log", type=click.File("r", encoding="utf-8", errors="replace"), default=None,
                  help="A server log (shipped elsewhere): its 'audit anchor …' lines are checked too.")
    def verify(anchor_log: Any) -> None:
        """Recompute the audit hash chain and check every anchor; exit 1 if any entry was edited,
        removed or reordered, the chain rewritten or removed up to an anchor, or an anchor forged."""
        logged = parse_log(anchor_log) if anchor_log is not None else []

        async def work(ctx: Context):  # type: ignore[no-untyped-def]
            async with ctx.db.read() as session:
                return await verify_chain(session, secret=ctx.secret, logged=logged)

        report = run_with_context(build_context, work)
        if report.ok:
            since = f", last anchor at entry {report.last_anchor_seq} ({report.last_anchor_at.isoformat()})" if report.last_anchor_at else ", no anchor yet"
            click.echo(f"audit chain intact: {report.entries} entries, {report.anchors} anchors{since}")
        else:
            click.echo(f"审计链已损坏 audit chain BROKEN at entry {report.broken_seq}: {report.reason_zh} ({report.reason})", err=True)
            raise SystemExit(1)

    @audit.command("anchor")
    def anchor() -> None:
        """Sign the audit chain's head with the server secret now (the audit_anchor job does it hourly)."""
        taken = run_with_context(build_context, take_anchor)
        click.echo(log_line(taken) if taken else "nothing appended since the last anchor")
