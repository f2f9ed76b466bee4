"""Real processes for the fault tests: anjian servers (uvicorn subprocesses on free ports) that can
be killed with SIGKILL and restarted, a seeded database, and tablet workers (``push_worker``).

Everything talks over real sockets, so a killed server looks to the tablets exactly like a crash
in the field: connections reset mid-request, answers lost after the commit, refused connects.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msgspec
from sqlalchemy import text

from checklists.canonical import content_hash
from checklists.schema import Checklist
from checklists.versions import publish_version
from core.access.user_service import create_user
from core.access.wire import UserIn
from core.bootstrap import prepare_database
from core.storage.audit_log import SYSTEM
from server import build_context
from tests.conftest import PASSWORD, SECRET, make_settings, valid_uscc
from tests.sync.conftest import CHECKLIST

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(db_url: str, data_dir: str, **extra: str) -> dict[str, str]:
    """The environment of a server process: cheap password hashing, fixed secret, no scheduler."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANJIAN_")}
    env.update(
        ANJIAN_DATABASE_URL=db_url, ANJIAN_DATA_DIR=data_dir, ANJIAN_SECRET_KEY=SECRET, ANJIAN_LOGIN_FAILURE_DELAY="0",
        ANJIAN_RUN_SCHEDULER="false", ANJIAN_ARGON2_TIME_COST="1", ANJIAN_ARGON2_MEMORY_KIB="64", ANJIAN_ARGON2_PARALLELISM="1",
        ANJIAN_LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


@dataclass
class ServerProcess:
    """One anjian server on a fixed port; ``kill()`` sends SIGKILL, ``start()`` brings it back."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    warm: subprocess.Popen[bytes] | None = None
    keep_warm: bool = False
    warm_ready: Path | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _standby(self) -> subprocess.Popen[bytes]:
        """A process with the app built, waiting for a line on stdin to bind the port."""
        log = self.log_path.open("ab")
        self.warm_ready = self.log_path.with_name(f"{self.log_path.name}.ready.{uuid.uuid4().hex[:8]}")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.warm_server", str(self.port), str(self.warm_ready)],
            cwd=ROOT, env=self.env, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        return process

    def spawn(self) -> None:
        """Start serving (from the warm standby when there is one) without waiting for it to answer."""
        process = self.warm or self._standby()
        self.warm = None
        assert process.stdin is not None
        process.stdin.write(b"go\n")
        process.stdin.flush()
        self.process = process
        self.starts += 1

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server did not answer within {timeout}s:\n{self.log_tail()}")

    def start(self) -> None:
        self.spawn()
        self.wait_ready()
        if self.keep_warm:
            self.warm = self._standby()

    def standby_ready(self) -> bool:
        """Whether the next start will be quick (the standby has built its app)."""
        return self.warm is not None and self.warm_ready is not None and self.warm_ready.exists()

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing, open transactions die with the process."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.warm is not None:
            self.warm.kill()
            self.warm.wait(timeout=10)
            self.warm = None
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


@dataclass
class Seeded:
    """What the workers need: who logs in, which enterprise and checklist version to inspect."""

    inspectors: list[str]
    enterprise_id: str
    checklist_hash: str


async def seed(db_url: str, data_dir: str, inspectors: int) -> Seeded:
    """Migrate, create an admin and inspectors of 广汉市 × hazchem, an enterprise and the checklist."""
    from core.access.scope import Principal
    from core.enterprises.service import create_enterprise
    from core.enterprises.wire import EnterpriseIn

    ctx = build_context(make_settings(db_url, data_dir))
    try:
        await prepare_database(ctx.db)
        admin_id = (await create_user(ctx, SYSTEM, UserIn(username="root", password=PASSWORD, role="admin"))).id  # type: ignore[arg-type]
        principal = Principal(user_id=admin_id, username="root", role="admin")
        names = [f"insp{i}" for i in range(inspectors)]
        for name in names:
            await create_user(ctx, SYSTEM, UserIn(username=name, password=PASSWORD, role="inspector", region_code="510681", industries=["hazchem"]))  # type: ignore[arg-type]
        checklist = msgspec.convert(CHECKLIST, Checklist)
        await publish_version(ctx, checklist, actor=SYSTEM, source="api")
        enterprise = await create_enterprise(
            ctx, principal, EnterpriseIn(name="广汉市红星化工有限公司", uscc=valid_uscc(), region_code="510681", industries=["hazchem"], scale="small_micro")  # type: ignore[arg-type]
        )
        return Seeded(inspectors=names, enterprise_id=enterprise.id, checklist_hash=content_hash(checklist))
    finally:
        await ctx.db.dispose()


@dataclass
class Worker:
    """A tablet in its own process: enqueues ``count`` submissions, pushes until all are answered."""

    name: str
    state: Path
    out: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    def wait(self, timeout: float) -> dict[str, Any]:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError(f"worker {self.name} did not finish in {timeout}s:\n{self.log_path.read_text()[-3000:]}") from None
        assert self.process.returncode == 0, f"worker {self.name} failed:\n{self.log_path.read_text()[-3000:]}"
        return json.loads(self.out.read_text())


def start_worker(directory: Path, name: str, servers: list[str], seeded: Seeded, username: str, count: int, *, seed_value: int, batch_size: int = 10, deadline: float = 120.0) -> Worker:
    """Run ``tests.reliability.push_worker`` for one tablet (one state file per server URL)."""
    spec = {
        "servers": servers, "username": username, "password": PASSWORD, "count": count, "seed": seed_value, "batch_size": batch_size,
        "enterprise_id": seeded.enterprise_id, "checklist_hash": seeded.checklist_hash, "state": str(directory / f"{name}.db"),
        "out": str(directory / f"{name}.json"), "deadline": deadline,
    }
    spec_path = directory / f"{name}.spec.json"
    spec_path.write_text(json.dumps(spec))
    log_path = directory / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "tests.reliability.push_worker", str(spec_path)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=log, stderr=subprocess.STDOUT)
    return Worker(name, directory / f"{name}.db", Path(spec["out"]), process, log_path)


def failing_items(index: int) -> list[str]:
    """Which items submission ``index`` of a worker fails (so it derives hazards): a deterministic mix."""
    return [[], ["CC-1"], ["CC-1", "CC-3"]][index % 3]


async def database_counts(db_url: str, ids: list[str]) -> dict[str, Any]:
    """What the database holds for these submission ids: rows per id in every table that records them."""
    ctx = build_context(make_settings(db_url, "/nonexistent"))
    try:
        async with ctx.db.engine.connect() as conn:
            async def per_id(sql: str) -> dict[str, int]:
                return {row[0]: int(row[1]) for row in (await conn.execute(text(sql)))}

            return {
                "submission": await per_id("SELECT id, count(*) FROM submission GROUP BY id"),
                "ledger": await per_id("SELECT id, count(*) FROM sync_record WHERE kind = 'submission' GROUP BY id"),
                "ledger_status": {r[0]: r[1] for r in await conn.execute(text("SELECT id, status FROM sync_record WHERE kind = 'submission'"))},
                "audit": await per_id("SELECT entity_id, count(*) FROM audit_entry WHERE action = 'submission_accepted' GROUP BY entity_id"),
                "hazards": await per_id("SELECT submission_id, count(*) FROM hazard WHERE submission_id IS NOT NULL GROUP BY submission_id"),
                "hazard_items": await per_id("SELECT submission_id || ':' || item_code, count(*) FROM hazard WHERE submission_id IS NOT NULL GROUP BY submission_id, item_code"),
                "quarantine": int((await conn.execute(text("SELECT count(*) FROM sync_quarantine"))).scalar() or 0),
            }
    finally:
        await ctx.db.dispose()


def assert_stored_exactly_once(counts: dict[str, Any], expected: dict[str, int]) -> None:
    """``expected`` maps every submission id to the number of hazards it derives."""
    ids = set(expected)
    assert set(counts["submission"]) == ids, f"missing {len(ids - set(counts['submission']))}, unexpected {len(set(counts['submission']) - ids)}"
    assert all(n == 1 for n in counts["submission"].values())
    assert set(counts["ledger"]) == ids and all(n == 1 for n in counts["ledger"].values())
    assert set(counts["ledger_status"].values()) == {"accepted"}
    assert counts["audit"] == {i: 1 for i in ids}, "each submission is audited exactly once"
    assert {i: counts["hazards"].get(i, 0) for i in ids} == expected, "derived hazards are neither lost nor duplicated"
    assert all(n == 1 for n in counts["hazard_items"].values())
    assert counts["quarantine"] == 0, "no record was rejected"


def new_ids(count: int, seed_value: int) -> list[str]:
    return [str(uuid.UUID(int=(seed_value << 64) + i + 1, version=4)) for i in range(count)]
