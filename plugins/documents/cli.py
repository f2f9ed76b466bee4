"""``anjian documents issue|pdf|case-file|authority``: the documents API from the command line.

Issuing, printing and exporting act as a named user (``--as``): the same role and scope checks as
the API, and the audit entries name that user. Setting an authority is an operator's task, like
``anjian user create``, and is audited as the system.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
import msgspec
from sqlmodel import col, select

from core.access.scope import Principal
from core.access.users import User
from core.cli import run_with_context
from core.context import Context
from core.errors import NotFound
from core.plans.service import principal_of_user
from core.settings import Settings
from core.storage.audit_log import SYSTEM
from plugins.documents.authorities import list_authorities, put_authority
from plugins.documents.case_file import export_case_file
from plugins.documents.catalogue import collect_document_types
from plugins.documents.issuing import issue_document
from plugins.documents.rendering import document_pdf
from plugins.documents.wire import MEASURE_LABELS, AuthorityIn, DocumentIn
from plugins.registry import PluginRegistry

AS_USER = click.option("--as", "username", required=True, help="Act as this user (their role and scope; audited under their name).")


async def principal_named(ctx: Context, username: str) -> Principal:
    """The principal of an active user, as if logged in; 404 (``--as``) otherwise."""
    async with ctx.db.read() as session:
        user = (await session.exec(select(User).where(col(User.username) == username))).first()
    if user is None or not user.active:
        raise NotFound(f"no active user {username}", f"没有启用的用户 {username}", field="--as")
    return principal_of_user(user)


def _save(target: Path, data: bytes) -> None:
    target.write_bytes(data)
    click.echo(f"wrote {target} ({len(data)} bytes)")


def make_documents_command(build_context: Callable[..., Context], load_registry: Callable[[Settings], PluginRegistry]) -> click.Group:
    """The ``documents`` group; ``load_registry`` builds the plugin registry (for plugins' types)."""

    @click.group("documents")
    def documents() -> None:
        """执法文书 / enforcement documents: issue, print, case files, issuing authorities."""

    @documents.command("issue")
    @AS_USER
    @click.option("--type", "type_code", required=True, help="Document type, e.g. inspection_record, rectification_order.")
    @click.option("--inspection", "inspection_id", required=True, help="Inspection id.")
    @click.option("--hazard", "hazard_ids", multiple=True, help="A hazard to list (repeat); default: by the type.")
    @click.option("--measure", "measures", multiple=True, type=click.Choice(sorted(MEASURE_LABELS)), help="现场处理措施 (repeat).")
    @click.option("--facilities", default="", help="停止使用的设施、设备.")
    @click.option("--period-start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="措施起始日期 YYYY-MM-DD.")
    @click.option("--period-end", type=click.DateTime(["%Y-%m-%d"]), default=None, help="措施截止日期 YYYY-MM-DD.")
    @click.option("--basis", default="", help="现场处理依据 (default: 安全生产法第六十五条第一款第（三）项).")
    @click.option("--corrects", default=None, help="Id of an issued document this one corrects (it is voided).")
    def issue(username: str, type_code: str, inspection_id: str, hazard_ids: tuple[str, ...], measures: tuple[str, ...], facilities: str,
              period_start: Any, period_end: Any, basis: str, corrects: str | None) -> None:
        """Issue a numbered document for an inspection; refused, naming every missing fact, until all are there."""
        data: dict[str, Any] = {
            "type": type_code, "inspection_id": inspection_id, "hazard_ids": list(hazard_ids), "measures": list(measures),
            "facilities": facilities, "basis": basis, "corrects": corrects,
            "period_start": period_start.date() if period_start else None, "period_end": period_end.date() if period_end else None,
        }

        async def work(ctx: Context):  # type: ignore[no-untyped-def]
            principal = await principal_named(ctx, username)
            types = collect_document_types(load_registry(ctx.settings))
            return await issue_document(ctx, types, principal, msgspec.convert(data, DocumentIn, builtin_types=(date,)))

        out = run_with_context(build_context, work)
        waiting = f"; awaiting signatures 待签: {'、'.join(out.awaiting)}" if out.awaiting else ""
        click.echo(f"issued {out.number} ({out.title}) id={out.id}{waiting}")

    @documents.command("pdf")
    @AS_USER
    @click.argument("document_id")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="File to write (default: <number>.pdf).")
    def pdf(username: str, document_id: str, output: Path | None) -> None:
        """Write a document's PDF."""

        async def work(ctx: Context):  # type: ignore[no-untyped-def]
            return await document_pdf(ctx, await principal_named(ctx, username), document_id)

        row, data = run_with_context(build_context, work)
        _save(output or Path(f"{row.number}.pdf"), data)

    @documents.command("case-file")
    @AS_USER
    @click.argument("inspection_id")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="File to write (default: the case file's name).")
    def case_file(username: str, inspection_id: str, output: Path | None) -> None:
        """Write an inspection's 电子案卷 (zip with manifest.json); audited as case_file.export."""

        async def work(ctx: Context):  # type: ignore[no-untyped-def]
            built = await export_case_file(ctx, await principal_named(ctx, username), inspection_id)
            target = output or Path(built.filename)
            with built.file, target.open("wb") as out:
                shutil.copyfileobj(built.file, out)
            return target, built

        target, built = run_with_context(build_context, work)
        click.echo(f"wrote {target} ({built.size} bytes, manifest sha256 {built.manifest_sha256})")

    @documents.group("authority")
    def authority() -> None:
        """文书执法机关: who issues documents for which region."""

    @authority.command("list")
    def list_command() -> None:
        """Every authority: region, short name, name."""

        async def work(ctx: Context):  # type: ignore[no-untyped-def]
            return await list_authorities(ctx, Principal(user_id="", username="system", role="admin"))

        for row in run_with_context(build_context, work):
            click.echo(f"{row.region_code}  {row.short_name}  {row.name}  复议：{row.review_body}  诉讼：{row.court}")

    @authority.command("set")
    @click.argument("region_code")
    @click.option("--name", required=True, help="全称，如 德阳市应急管理局.")
    @click.option("--short-name", required=True, help="编号用简称，如 德.")
    @click.option("--review-body", required=True, help="行政复议机关，如 德阳市人民政府.")
    @click.option("--court", required=True, help="人民法院，如 德阳市旌阳区人民法院.")
    @click.option("--address", default="", help="地址（页脚）.")
    @click.option("--phone", default="", help="电话（页脚）.")
    def set_command(region_code: str, name: str, short_name: str, review_body: str, court: str, address: str, phone: str) -> None:
        """Create or replace the authority of a province, city or county code."""
        fields = {"name": name, "short_name": short_name, "review_body": review_body, "court": court, "address": address, "phone": phone}

        async def work(ctx: Context):  # type: ignore[no-untyped-def]
            return await put_authority(ctx, SYSTEM, region_code, msgspec.convert(fields, AuthorityIn))  # limits checked as in the API

        out, created = run_with_context(build_context, work)
        click.echo(f"{'created' if created else 'updated'} authority {out.region_code} {out.name} ({out.short_name}), version {out.version}")

    return documents
