"""Server settings, read from ``ANJIAN_*`` environment variables and validated by msgspec.

Settings are an explicit object handed to ``create_app``; nothing reads the environment later, so
tests inject their own settings and never touch global state.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Any

import msgspec

ENV_PREFIX = "ANJIAN_"
_LIST_FIELDS = {"plugins_disabled"}


class SettingsError(ValueError):
    """A setting from the environment is malformed; the message names the variable."""


class Settings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Everything the server can be configured with. Defaults give the embedded set-up."""

    database_url: str = "sqlite+aiosqlite:///./anjian.db"
    data_dir: str = "./data"
    secret_key: str | None = None
    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8000
    access_token_ttl: Annotated[int, msgspec.Meta(ge=30)] = 900
    refresh_token_ttl: Annotated[int, msgspec.Meta(ge=60)] = 30 * 24 * 3600
    login_max_failures: Annotated[int, msgspec.Meta(ge=1)] = 5
    login_lockout_seconds: Annotated[int, msgspec.Meta(ge=1)] = 900
    login_failure_delay: Annotated[float, msgspec.Meta(ge=0, le=10)] = 0.5
    argon2_time_cost: Annotated[int, msgspec.Meta(ge=1)] = 3
    argon2_memory_kib: Annotated[int, msgspec.Meta(ge=8)] = 65536
    argon2_parallelism: Annotated[int, msgspec.Meta(ge=1)] = 4
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 20 * 1024 * 1024
    attachment_max_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 50 * 1024 * 1024
    max_inflated_body_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 64 * 1024 * 1024
    plugins_disabled: list[str] = msgspec.field(default_factory=list)
    plugins_strict: bool = False
    run_scheduler: bool = True
    overdue_escalation_days: Annotated[int, msgspec.Meta(ge=0, le=365)] = 7
    deadline_reminder_days: Annotated[int, msgspec.Meta(ge=0, le=90)] = 3
    assignment_lookahead_days: Annotated[int, msgspec.Meta(ge=0, le=366)] = 31
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
        raise SettingsError(f"invalid setting: {exc} (environment variables {ENV_PREFIX}*)") from exc
