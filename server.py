"""anjian's entry points: the litestar app factory and the ``anjian`` command line. Wiring only."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import click
from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig

import checklists.tables  # noqa: F401  (registers the checklist tables)
import core.tables  # noqa: F401  (registers every core table)
import plugins.documents.tables  # noqa: F401  (registers the documents tables)
import sync.tables  # noqa: F401  (registers the sync tables)
from checklists import api as checklists_api
from checklists.cli import checklist_cli
from checklists.refresh_job import CHECK_LIST_REFRESH_JOB
from core import cli as core_cli
from core.access import api as access_api
from core.access.secret import load_or_create_secret
from core.audit import api as audit_api
from core.bootstrap import prepare_database
from core.clock import Clock
from core.context import Context
from core.dual_prevention import api as dual_prevention_api
from core.dual_prevention.programme import load_programme
from core.enterprises import api as enterprises_api
from core.hazards import api as hazards_api
from core.http import api_docs, health
from core.http.dependencies import DEPENDENCIES
from core.http.errors import EXCEPTION_HANDLERS
from core.http.log_lines import configure_logging
from core.http.openapi_document import document_when_built
from core.http.parameters import NUL_PARAMETER_GUARD
from core.http.request import GuardedRequest
from core.http.request_id import wrap as add_request_ids
from core.http.security import AUTH_MIDDLEWARE
from core.inspections import api as inspections_api
from core.local_time import use_time_zone
from core.notifications import api as notifications_api
from core.plans import api as plans_api
from core.regions import api as regions_api
from core.reports import api as reports_api
from core.risk_register import api as risk_register_api
from core.safety_codes import api as safety_codes_api
from core.safety_codes.rule import load_rule
from core.scheduler import api as scheduler_api
from core.scheduler.catalogue import add_job
from core.scheduler.cli import register_jobs
from core.scheduler.cron import start_scheduler
from core.self_checks import api as self_checks_api
from core.settings import Settings, SettingsError, settings_from_env, unknown_variables
from core.storage.database import Database
from core.storage.gc_tuning import tune_gc
from plugins import api as plugins_api
from plugins.cli import plugins_cli
from plugins.documents import api as documents_api
from plugins.documents.attachment_access import provide_attachment_access
from plugins.documents.catalogue import collect_document_types
from plugins.documents.cli import make_documents_command
from plugins.documents.sources import provide_inspections
from plugins.evaluations import api as evaluations_api
from plugins.evaluations.cli import make_evaluate_command
from plugins.evaluations.risk_assessor import RegistryRiskAssessor
from plugins.evaluations.submissions import provide_submissions
from plugins.manager import load_plugins
from plugins.publishing import publish_plugin_checklists
from plugins.registry import PluginRegistry
from plugins.risk_prints import api as risk_prints_api
from sync import api as sync_api
from sync.attachment_access import may_see
from sync.client.cli import tablet_cli
from sync.document_source import inspection_facts
from sync.push.submission_lookup import stored_submission
from sync.readback import api as readback_api
from sync.upload_expiry import UPLOAD_EXPIRY_JOB
from web import routes as web_routes
from web.console.templating import TEMPLATE_CONFIG as CONSOLE_TEMPLATES
from web.public_code import public_code_router

__version__ = "0.1.0"

add_job(UPLOAD_EXPIRY_JOB)  # sync's job; core's catalogue may not import sync
add_job(CHECK_LIST_REFRESH_JOB)  # checklists' job: check lists follow their registers
provide_submissions(stored_submission)  # checklist.score by submission_id; plugins may not import sync
provide_inspections(inspection_facts)  # documents read inspections back through sync (one reader with GET /inspections/{id})
provide_attachment_access(may_see)  # a signature put on a document must be an image its signer may see

# One ``ROUTES`` per room: the core domains, then checklists, plugins and the tablet protocol.
ROUTE_MODULES = (
    health, api_docs, access_api, enterprises_api, regions_api, audit_api, hazards_api, inspections_api, plans_api,
    notifications_api, reports_api, risk_register_api, safety_codes_api, dual_prevention_api, self_checks_api, scheduler_api, checklists_api, plugins_api, evaluations_api, risk_prints_api, documents_api, sync_api, readback_api,
    web_routes,  # the field app's static files at /app/, the office console at /
)


def build_context(settings: Settings, clock: Clock | None = None) -> Context:
    """The services' context for these settings (used by the app and the CLI)."""
    use_time_zone(settings.time_zone)  # one zone per deployment: calendar periods, report times, cron
    secret = load_or_create_secret(settings.data_dir, settings.secret_key)
    return Context(db=Database(
            settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms, sqlite_inline=settings.sqlite_inline,
            pg_pool=(settings.pg_pool_size, settings.pg_max_overflow),
        ), settings=settings, secret=secret, clock=clock or Clock())


def _openapi() -> OpenAPIConfig:
    return api_docs.openapi_config(
        title="anjian 安检",
        version=__version__,
        description="安全生产检查：检查计划、离线检查表、隐患闭环、评估标准。Work-safety inspection server.",
    )


def check_configuration_files(settings: Settings) -> None:
    """Read the rule files a deployment may replace, so a bad one stops the start naming what is wrong."""
    for name, load in (("safety_code_rule", load_rule), ("dual_prevention_programme", load_programme)):
        try:
            load(getattr(settings, name))
        except (OSError, ValueError) as exc:
            raise SettingsError(f"ANJIAN_{name.upper()}: {exc}") from exc


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, plugins: PluginRegistry | None = None
) -> Litestar:
    """Build the app: settings in, nothing read from globals. ``plugins`` replaces loading them (tests)."""
    settings = settings or settings_from_env()
    check_configuration_files(settings)
    ctx = build_context(settings, clock)
    if plugins is None:
        plugins = load_plugins(disabled=settings.plugins_disabled, strict=settings.plugins_strict)
    document_types = collect_document_types(plugins)  # a plugin's broken type is reported on it, the rest load

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            await prepare_database(ctx.db)
        await publish_plugin_checklists(ctx, plugins)
        await plugins.startup(app)
        scheduler = start_scheduler(ctx) if settings.run_scheduler else None
        tune_gc(settings.gc_gen0_threshold)  # last: what start-up built is frozen out of the collector
        try:
            yield
        finally:
            if scheduler is not None:
                await scheduler.stop()
            await ctx.db.dispose()

    app = Litestar(
        route_handlers=[*(handler for module in ROUTE_MODULES for handler in module.ROUTES), public_code_router(settings.public_rate_limit)],
        dependencies=DEPENDENCIES,
        middleware=[AUTH_MIDDLEWARE, NUL_PARAMETER_GUARD],
        request_class=GuardedRequest,  # refuses too deep bodies and NUL characters before handlers see them
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        openapi_config=_openapi(),
        template_config=CONSOLE_TEMPLATES,  # the office console's pages (web/console/templates)
        # zlib's default level: Litestar's 9 took twice the CPU of 6 on a pull page for 0.1 % fewer bytes
        # A handler whose ``opt`` sets ``uncompressed`` is sent as it is (attachments: byte ranges, already compressed images).
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024, gzip_compress_level=6, exclude_opt_key="uncompressed"),
        request_max_body_size=settings.max_body_bytes,
        state=State({
            "ctx": ctx, "settings": settings, "plugins": plugins, "document_types": document_types,
            "risk_assessor": RegistryRiskAssessor(plugins),  # core.risk_register grades points with the plugins' evaluators
        }),
        lifespan=[lifespan],
        logging_config=None,
    )
    document_when_built(app)
    add_request_ids(app, log_access=settings.access_log)  # outermost: 404s and refused tokens get an id too
    return app


@click.group(cls=core_cli.SettingsCheckingGroup)
@click.version_option(__version__, prog_name="anjian")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """anjian 安检 — work-safety inspection server."""
    if ctx.invoked_subcommand != "serve":  # serve warns once its log format is set
        core_cli.warn_unknown_variables()


_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@cli.command()
@click.option("--host", default=None, help="Interface to listen on (ANJIAN_HOST).")
@click.option("--port", type=int, default=None, help="Port (ANJIAN_PORT).")
@click.option("--ssl-certfile", default=None, help="PEM certificate (chain) for HTTPS (ANJIAN_TLS_CERT).")
@click.option("--ssl-keyfile", default=None, help="PEM private key of the certificate (ANJIAN_TLS_KEY).")
def serve(host: str | None, port: int | None, ssl_certfile: str | None, ssl_keyfile: str | None) -> None:
    """Run the server (migrates the database first); HTTPS when given a certificate and key."""
    import uvicorn

    settings = settings_from_env()
    configure_logging(settings.log_level, settings.log_format)
    for warning in unknown_variables():
        logging.getLogger("anjian.settings").warning(warning)
    host, certfile, keyfile = host or settings.host, ssl_certfile or settings.tls_cert, ssl_keyfile or settings.tls_key
    if bool(certfile) != bool(keyfile):
        raise click.UsageError("HTTPS needs both a certificate and its key (--ssl-certfile/--ssl-keyfile, ANJIAN_TLS_CERT/ANJIAN_TLS_KEY)")
    if not certfile and host not in _LOOPBACK:
        # Tablets only get the offline field app (service worker, persistent storage) over HTTPS.
        logging.getLogger("anjian").warning(
            "listening on %s without TLS: tablets opening http://…/app/ get no offline app (browsers require HTTPS); "
            "set ANJIAN_TLS_CERT/ANJIAN_TLS_KEY or put a TLS-terminating reverse proxy in front (docs/field-app.md). "
            "未启用 HTTPS：平板无法使用离线现场检查应用。", host,
        )
    uvicorn.run(
        create_app(settings), host=host, port=port or settings.port, log_level=settings.log_level.lower(),
        ssl_certfile=certfile, ssl_keyfile=keyfile, forwarded_allow_ips=settings.trusted_proxies,
        log_config=None, access_log=False,  # uvicorn's lines through anjian's handler; the access log is anjian's (request ids)
    )


@cli.command()
def migrate() -> None:
    """Apply database migrations and load shipped regions."""
    ctx = build_context(settings_from_env())

    async def run() -> int:
        try:
            return await prepare_database(ctx.db)
        finally:
            await ctx.db.dispose()

    added = asyncio.run(run())
    click.echo(f"database is up to date ({added} regions added)")


core_cli.register(cli, build_context, lambda s: RegistryRiskAssessor(load_plugins(disabled=s.plugins_disabled, strict=s.plugins_strict)))
cli.add_command(checklist_cli)
cli.add_command(plugins_cli)
cli.add_command(
    make_evaluate_command(build_context, lambda s: load_plugins(disabled=s.plugins_disabled, strict=s.plugins_strict))
)
cli.add_command(tablet_cli)
cli.add_command(make_documents_command(build_context, lambda s: load_plugins(disabled=s.plugins_disabled, strict=s.plugins_strict)))
register_jobs(cli, build_context)


def main() -> None:
    """Console entry point ``anjian``."""
    cli()


if __name__ == "__main__":
    main()
