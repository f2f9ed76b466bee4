"""Server settings, read from ``ANJIAN_*`` environment variables and validated by msgspec.

Settings are an explicit object handed to ``create_app``; nothing reads the environment later, so
tests inject their own settings and never touch global state.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

ENV_PREFIX = "ANJIAN_"
_LIST_FIELDS = {"plugins_disabled"}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# ANJIAN_* variables read elsewhere (the tablet client, the tests, the benchmarks): not settings.
NOT_SETTINGS = frozenset({"ANJIAN_TABLET_STATE"})
NOT_SETTINGS_PREFIXES = ("ANJIAN_TEST_", "ANJIAN_BENCH_", "ANJIAN_RELIABILITY_")


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform tells it)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


class SettingsError(ValueError):
    """A setting from the environment is malformed; the message names the variable."""


class Settings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Everything the server can be configured with. Defaults give the embedded set-up."""

    database_url: str = "sqlite+aiosqlite:///./anjian.db"
    data_dir: str = "./data"
    secret_key: str | None = None
    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8000
    # HTTPS for tablets on the network (service workers and persistent storage need a secure
    # context): a PEM certificate (chain) and its private key, passed to uvicorn by ``anjian serve``.
    tls_cert: str | None = None
    tls_key: str | None = None
    # Addresses of reverse proxies whose X-Forwarded-For / -Proto uvicorn believes (comma-separated,
    # or "*"): behind a TLS proxy the client address — per-address login lockouts, logs — must be
    # the tablet's, not the proxy's, or a few wrong passwords would lock a name out for every tablet.
    trusted_proxies: str = "127.0.0.1"
    access_token_ttl: Annotated[int, msgspec.Meta(ge=30)] = 900
    refresh_token_ttl: Annotated[int, msgspec.Meta(ge=60)] = 30 * 24 * 3600
    login_max_failures: Annotated[int, msgspec.Meta(ge=1)] = 5
    login_lockout_seconds: Annotated[int, msgspec.Meta(ge=1)] = 900
    login_failure_delay: Annotated[float, msgspec.Meta(ge=0, le=10)] = 0.5
    argon2_time_cost: Annotated[int, msgspec.Meta(ge=1)] = 3
    argon2_memory_kib: Annotated[int, msgspec.Meta(ge=8)] = 65536
    argon2_parallelism: Annotated[int, msgspec.Meta(ge=1)] = 4
    # Password hashes running at once (argon2id takes 64 MiB and a core each) and how many more may
    # wait for one; beyond that a login answers 429 busy (core/access/hash_gate.py).
    max_concurrent_hashes: Annotated[int, msgspec.Meta(ge=1, le=256)] = msgspec.field(default_factory=usable_cores)
    max_queued_hashes: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 32
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 20 * 1024 * 1024
    attachment_max_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 50 * 1024 * 1024
    # Unfinished attachment uploads: removed when untouched this long (the upload_expiry job), and
    # at most this many bytes of them per device (sync/attachments.py).
    upload_expiry_hours: Annotated[int, msgspec.Meta(ge=1, le=24 * 365)] = 48
    device_upload_quota_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 2 * 1024 * 1024 * 1024
    max_inflated_body_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 64 * 1024 * 1024
    plugins_disabled: list[str] = msgspec.field(default_factory=list)
    plugins_strict: bool = False
    run_scheduler: bool = True
    overdue_escalation_days: Annotated[int, msgspec.Meta(ge=0, le=365)] = 7
    deadline_reminder_days: Annotated[int, msgspec.Meta(ge=0, le=90)] = 3
    assignment_lookahead_days: Annotated[int, msgspec.Meta(ge=0, le=366)] = 31
    # Shifts a day (班次): a 岗位级 check list checked 每班 needs this many self-checks each day
    # (core/self_checks/); 1 for a day shift only, 3 for round-the-clock work in three shifts.
    self_check_shifts: Annotated[int, msgspec.Meta(ge=1, le=6)] = 1
    scheduler_instance_lock: bool = True
    migrate_on_start: bool = True
    sqlite_busy_timeout_ms: Annotated[int, msgspec.Meta(ge=0, le=600_000)] = 10_000
    # PostgreSQL connections each instance keeps open, and how many more it may open in a burst
    # (closed again when returned). Instances × (pool + overflow + 10 for authentication's
    # lookups, core.storage.pg_key_reads) must stay below the server's max_connections (100 by default).
    pg_pool_size: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 30
    pg_max_overflow: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 10
    sqlite_inline: bool = True  # SQLite statements on the event loop's thread (core.storage.sqlite_inline); false: aiosqlite's thread
    # Young objects are collected every this many allocations, and start-up's objects are frozen
    # out of the collector (core.storage.gc_tuning); 0 keeps CPython's default (700).
    gc_gen0_threshold: Annotated[int, msgspec.Meta(ge=0)] = 10_000
    log_level: str = "INFO"
    # Log lines as text (time, level, logger, [request id], message) or one JSON object per line
    # (core/http/log_lines.py); one access log line per request (anjian.access) unless turned off.
    log_format: Literal["text", "json"] = "text"
    access_log: bool = True
    # The deployment's time zone (IANA name): calendar periods (月调度, 季通报, plan years), report
    # times and cron schedules are local to it (core/local_time.py).
    time_zone: str = "Asia/Shanghai"
    # 安全码: the address QR codes carry (``https://anjian.example.gov.cn``; default: the address the
    # request that printed the code came to), and a file replacing the code-colour rule
    # (core/safety_codes/default_rule.yaml's shape; checked when the app is built, server.py).
    public_url: str | None = None
    safety_code_rule: str | None = None
    public_rate_limit: Annotated[int, msgspec.Meta(ge=1)] = 120  # public 安全码 pages a client address may open per minute
    # 双重预防 programme: deadlines and categories (core/dual_prevention/programme.yaml's shape).
    dual_prevention_programme: str | None = None

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"time_zone: unknown time zone {self.time_zone!r}, give an IANA name such as Asia/Shanghai") from exc
        if self.public_url is not None:
            self.public_url = self.public_url.rstrip("/")
            if not re.match(r"^https?://[^/\s]+(/[^\s]*)?$", self.public_url):
                raise ValueError(f"public_url: {self.public_url!r} is not an http(s) address such as https://anjian.example.gov.cn")
        self.log_level = self.log_level.upper()
        if self.log_level not in LOG_LEVELS:
            raise ValueError(f"log_level: {self.log_level!r} is none of {', '.join(LOG_LEVELS)}")

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite default."""
        return self.database_url.startswith("sqlite")


def settings_from_env(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``ANJIAN_*`` variables (plus explicit overrides, which win)."""
    environ = os.environ if environ is None else environ
    fields = set(Settings.__struct_fields__)
    raw: dict[str, Any] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX) :].lower()
        if name not in fields:
            continue
        raw[name] = [v.strip() for v in value.split(",") if v.strip()] if name in _LIST_FIELDS else value
    raw.update(overrides)
    try:
        return msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise SettingsError(_explain(exc, raw)) from exc


def _explain(exc: msgspec.ValidationError, raw: Mapping[str, Any]) -> str:
    """One line naming the variable, its value and what is wrong (``anjian`` prints it and exits 2)."""
    text = str(exc)
    match = re.search(r"at `\$\.(\w+)`", text) or re.match(r"^(\w+): ", text)
    if match is None:
        return f"invalid setting: {text} (environment variables {ENV_PREFIX}*) 设置项无效"
    name = match.group(1)
    value = raw.get(name)
    shown = "" if name == "secret_key" or value is None else f"={value!r}"  # the secret is not written to logs
    return f"invalid setting {ENV_PREFIX}{name.upper()}{shown}: {text} (设置项 {ENV_PREFIX}{name.upper()} 无效)"


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """A warning for each ``ANJIAN_*`` variable that names no setting, with the nearest setting's
    name: a misspelt variable is otherwise ignored without a word, and its default used."""
    environ = os.environ if environ is None else environ
    known = [f"{ENV_PREFIX}{name.upper()}" for name in Settings.__struct_fields__]
    warnings = []
    for key in sorted(environ):
        if not key.startswith(ENV_PREFIX) or key in known or key in NOT_SETTINGS or key.startswith(NOT_SETTINGS_PREFIXES):
            continue
        near = difflib.get_close_matches(key.removeprefix(ENV_PREFIX), [k.removeprefix(ENV_PREFIX) for k in known], n=1, cutoff=0.7)
        hint = f"; did you mean {ENV_PREFIX}{near[0]}?" if near else ""
        warnings.append(f"unknown setting {key} is ignored{hint} (未知设置项 {key}，已忽略)")
    return warnings
