"""What the benchmarks share: a real server process, a seeded world, realistic records, results.

The server runs as its own process (``python -m uvicorn server:create_app --factory``) on a free
loopback port with a fresh data directory and database; the benchmark seeds through the services
(users, checklist versions) or straight into the tables (bulk history), then drives load over HTTP.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import msgspec

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checklists.canonical import content_hash  # noqa: E402
from checklists.schema import Checklist  # noqa: E402
from tests.scratch_db import create_pg_database, drop_pg_database  # noqa: E402,F401  (re-exported for the scripts)

RESULTS = ROOT / "bench" / "RESULTS.md"
PG_ENV = "ANJIAN_BENCH_PG_DSN"
PASSWORD = "bench-password-安检-2026"
SECRET = "bench-secret-" + "b" * 40
REGION = "510681"  # 广汉市
INDUSTRY = "hazchem"


# --- the machine and the results file ---------------------------------------------------------------


def machine() -> str:
    """A markdown line naming the machine, Python, libraries and the date."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from importlib.metadata import version

    import aiosqlite
    import sqlalchemy
    import uvicorn

    try:
        import asyncpg

        pg = asyncpg.__version__
    except ImportError:  # pragma: no cover
        pg = "-"
    import sqlite3

    return (
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} · {os.cpu_count()} CPUs ({cpu}), {mem_gib:.0f} GiB RAM · "
        f"{platform.system()} {platform.release()} · Python {platform.python_version()} · litestar {version('litestar')} · "
        f"uvicorn {uvicorn.__version__} · SQLAlchemy {sqlalchemy.__version__} · httpx {httpx.__version__} · msgspec {msgspec.__version__} · "
        f"SQLite {sqlite3.sqlite_version} (aiosqlite {aiosqlite.__version__}) · asyncpg {pg}"
    )


def write_section(name: str, body: str) -> None:
    """Replace this script's section of RESULTS.md, keeping the other scripts' sections."""
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{begin}\n{body.rstrip()}\n{end}"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\nWritten by the scripts in `bench/` (see `bench/README.md`); each run replaces its own section.\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A markdown table (also readable on a terminal)."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


# --- databases --------------------------------------------------------------------------------------


def pg_dsn(arg: str | None) -> str | None:
    """The PostgreSQL DSN (--pg-dsn or ANJIAN_BENCH_PG_DSN), as postgresql+asyncpg://…"""
    dsn = arg or os.environ.get(PG_ENV) or None
    if dsn and dsn.startswith("postgresql://"):
        dsn = "postgresql+asyncpg://" + dsn[len("postgresql://") :]
    return dsn


def settings_for(db_url: str, data_dir: Path) -> Any:
    from core.settings import Settings

    return Settings(database_url=db_url, data_dir=str(data_dir), secret_key=SECRET, run_scheduler=False, login_failure_delay=0.0)


# --- the server process -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """The real server (uvicorn, one worker) on a free loopback port; stopped by ``stop``."""

    def __init__(self, db_url: str, data_dir: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "ANJIAN_DATABASE_URL": db_url,
            "ANJIAN_DATA_DIR": str(data_dir),
            "ANJIAN_SECRET_KEY": SECRET,
            "ANJIAN_RUN_SCHEDULER": "false",
            "ANJIAN_LOGIN_FAILURE_DELAY": "0",
            "ANJIAN_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        self.log = open(data_dir / "server.log", "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "server:create_app", "--factory", "--host", "127.0.0.1", "--port", str(self.port),
             "--no-access-log", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {data_dir / 'server.log'}")
            try:
                if httpx.get(self.base_url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not answer /healthz within 60 s")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def status_kib(self, field: str) -> int:
        """VmRSS / VmHWM of the server process in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        return 0

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()


@contextmanager
def running_server(db_url: str, data_dir: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(db_url, data_dir)
    try:
        yield server
    finally:
        server.stop()


# --- the world: checklist, users, enterprises ------------------------------------------------------


def bench_checklist(checklist_id: str = "hazchem.bench", version: str = "1.0.0", n_items: int = 120) -> Checklist:
    """A 120-item hazchem checklist: pass/fail items, measured numbers, free text, a few major-hazard items."""
    sections = []
    per_section = 20
    for s in range(n_items // per_section):
        items = []
        for i in range(per_section):
            n = s * per_section + i + 1
            code = f"B{s + 1}-{i + 1}"
            item: dict[str, Any] = {
                "code": code,
                "text": f"第{n}项：危险化学品储存场所安全设施、安全标志和操作规程符合要求",
                "basis": [{"document": "危险化学品安全管理条例", "article": f"第{20 + n % 30}条"}],
                "points": 1,
            }
            if i == 17:
                item["answer"] = {"kind": "number", "min": -10, "max": 30, "unit": "℃"}
                item["text"] = f"第{n}项：库房温度（℃）"
            elif i == 18:
                item["answer"] = {"kind": "text"}
                item["required"] = False
                item["text"] = f"第{n}项：现场其他情况说明"
            elif i == 19:
                item["major_hazard"] = True
                item["rectification_days"] = 10
                item["text"] = f"第{n}项：重大危险源未进行辨识和登记建档"
            items.append(item)
        sections.append({"code": f"B{s + 1}", "title": f"第{s + 1}部分 储存与作业管理", "items": items})
    data = {"id": checklist_id, "version": version, "title": "危化品储存综合检查表（基准测试）", "industry": INDUSTRY, "sections": sections}
    return msgspec.convert(data, Checklist)


@dataclass
class World:
    checklist: Checklist
    checklist_hash: str
    enterprise_ids: list[str]
    inspectors: list[str]  # usernames


async def publish(ctx: Any, checklist: Checklist) -> str:
    from checklists.versions import publish_version
    from core.storage.audit_log import SYSTEM

    await publish_version(ctx, checklist, actor=SYSTEM, source="api")
    return content_hash(checklist)


def uscc(n: int, region: str = REGION) -> str:
    from core.enterprises.uscc import make_uscc

    return make_uscc("9", "1", region, f"{n:08d}")


async def seed_world(ctx: Any, *, inspectors: int, enterprises: int) -> World:
    """Users through the user service, enterprises through the enterprise service (as an admin)."""
    from core.access.scope import Principal
    from core.access.user_service import create_user
    from core.access.wire import UserIn
    from core.enterprises.service import create_enterprise
    from core.enterprises.wire import EnterpriseIn
    from core.storage.audit_log import SYSTEM

    checklist = bench_checklist()
    digest = await publish(ctx, checklist)
    admin = await create_user(ctx, SYSTEM, UserIn(username="bench_admin", password=PASSWORD, role="admin"))  # type: ignore[arg-type]
    principal = Principal(user_id=admin.id, username="bench_admin", role="admin")
    ids = []
    for n in range(enterprises):
        out = await create_enterprise(
            ctx, principal,
            EnterpriseIn(name=f"广汉市第{n + 1}化工有限公司", uscc=uscc(n + 1), region_code=REGION, industries=[INDUSTRY], scale="small_micro",  # type: ignore[arg-type]
                         address="四川省德阳市广汉市向阳镇工业园区", safety_manager="王安全"),
        )
        ids.append(out.id)
    names = []
    for n in range(inspectors):
        name = f"insp{n:03d}"
        await create_user(ctx, SYSTEM, UserIn(username=name, password=PASSWORD, role="inspector", region_code=REGION, industries=[INDUSTRY]))  # type: ignore[arg-type]
        names.append(name)
    return World(checklist, digest, ids, names)


async def login(http: httpx.AsyncClient, username: str) -> dict[str, str]:
    """Log in on a new tablet; the Authorization header of its device session."""
    body = {"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4()), "device_name": "基准测试平板"}
    response = await http.post("/api/v1/auth/login", json=body)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


NOTES = ["现场检查发现部分区域标识不清，已当场要求整改。", "消防器材在有效期内，巡检记录完整。", "库房通风良好，温湿度记录齐全。", ""]


def submission(world: World, enterprise_id: str, rng: random.Random, *, failures: int = 3) -> dict[str, Any]:
    """A realistic completed checklist: all 120 items answered, a few failed with hazards, Chinese notes."""
    items = world.checklist.items()
    pass_fail = [i for i in items if i.answer.kind == "pass_fail" and not i.major_hazard]
    failed = {i.code for i in rng.sample(pass_fail, failures)}
    answers: dict[str, Any] = {}
    for item in items:
        if item.answer.kind == "number":
            answers[item.code] = {"value": round(rng.uniform(12, 26), 1), "note": "温度计读数"}
        elif item.answer.kind == "text":
            answers[item.code] = {"value": rng.choice(NOTES[:3])}
        elif item.code in failed:
            answers[item.code] = {"result": "fail", "note": "安全警示标志缺失，操作规程未上墙"}
        else:
            answers[item.code] = {"result": "pass", **({"note": n} if (n := rng.choice(NOTES)) else {})}
    hazards = []
    for code in sorted(failed)[:2]:
        hazards.append({
            "id": str(uuid.uuid4()), "item_code": code, "description": f"检查项 {code}：储存区安全警示标志缺失，操作规程未张贴",
            "location": "2号危化品库房东侧", "responsible_person": "李主任", "rectification_plan": "三日内补齐警示标志并组织培训",
        })
    return {
        "kind": "submission", "id": str(uuid.uuid4()), "enterprise_id": enterprise_id, "checklist_id": world.checklist.id,
        "checklist_version": world.checklist.version, "checklist_hash": world.checklist_hash,
        "started_at": "2026-03-02T08:00:00+08:00", "finished_at": "2026-03-02T09:10:00+08:00",
        "gps": {"latitude": 30.99 + rng.random() / 100, "longitude": 104.25 + rng.random() / 100, "accuracy_m": 8.0},
        "answers": answers, "notes": "本次检查共发现隐患三处，已向企业负责人当面反馈并签字确认。", "hazards": hazards,
    }


# --- rows as a real push writes them, replicated without HTTP or validation -------------------------


def all_tables() -> list[Any]:
    from sqlmodel import SQLModel

    import checklists.tables  # noqa: F401
    import core.tables  # noqa: F401
    import sync.tables  # noqa: F401

    return list(SQLModel.metadata.sorted_tables)


async def snapshot_keys(conn: Any) -> dict[str, set[tuple[Any, ...]]]:
    """Every table's primary keys (taken on a small database, around one push)."""
    from sqlalchemy import select

    out = {}
    for tbl in all_tables():
        pk = list(tbl.primary_key.columns)
        rows = (await conn.execute(select(*pk))).all()
        out[tbl.name] = {tuple(r) for r in rows}
    return out


async def new_rows(conn: Any, before: dict[str, set[tuple[Any, ...]]]) -> dict[str, list[dict[str, Any]]]:
    """The rows added since ``before``, per table in dependency order."""
    from sqlalchemy import select

    out: dict[str, list[dict[str, Any]]] = {}
    for tbl in all_tables():
        pk = list(tbl.primary_key.columns)
        rows = (await conn.execute(select(tbl))).mappings().all()
        added = [dict(r) for r in rows if tuple(r[c.name] for c in pk) not in before[tbl.name]]
        if added:
            out[tbl.name] = added
    return out


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Replicator:
    """Copies of the rows one accepted submission wrote, with fresh ids (and fresh unique values).

    Every uuid that is a primary key of a template row gets a new uuid per copy, wherever it
    appears as a column value (foreign keys stay consistent); integer sequence keys are left to the
    database; other unique string columns (the audit hash) get random values. ``enterprise_map``
    moves a copy to another enterprise.
    """

    def __init__(self, template: dict[str, list[dict[str, Any]]]) -> None:
        self.tables = {t.name: t for t in all_tables()}
        self.template = template
        self.ids: set[str] = set()
        self.drop: dict[str, set[str]] = {}
        self.unique: dict[str, set[str]] = {}
        for name, rows in template.items():
            tbl = self.tables[name]
            for col in tbl.primary_key.columns:
                if col.autoincrement is True or (col.type.python_type is int and len(tbl.primary_key.columns) == 1):
                    self.drop.setdefault(name, set()).add(col.name)
                else:
                    for row in rows:
                        if isinstance(row[col.name], str) and _UUID.match(row[col.name]):
                            self.ids.add(row[col.name])
            uniques = {c.name for c in tbl.columns if c.unique and not c.primary_key}
            for idx in tbl.indexes:
                if idx.unique:
                    uniques.update(c.name for c in idx.columns)
            for cons in tbl.constraints:
                if cons.__class__.__name__ == "UniqueConstraint":
                    uniques.update(c.name for c in cons.columns)
            self.unique[name] = uniques

    @property
    def rows_per_copy(self) -> int:
        return sum(len(r) for r in self.template.values())

    def copy(self, enterprise_map: dict[str, str] | None = None) -> dict[str, list[dict[str, Any]]]:
        mapping = {old: str(uuid.uuid4()) for old in self.ids}
        if enterprise_map:
            mapping.update(enterprise_map)
        out: dict[str, list[dict[str, Any]]] = {}
        for name, rows in self.template.items():
            drop = self.drop.get(name, set())
            uniques = self.unique.get(name, set())
            copies = []
            for row in rows:
                new = {}
                for key, value in row.items():
                    if key in drop:
                        continue
                    if isinstance(value, str) and value in mapping:
                        value = mapping[value]
                    elif key in uniques and isinstance(value, str) and value not in mapping.values():
                        value = secrets.token_hex(len(value) // 2 + 1)[: len(value)]
                    new[key] = value
                copies.append(new)
            out[name] = copies
        return out


async def insert_copies(conn: Any, replicator: Replicator, copies: list[dict[str, list[dict[str, Any]]]]) -> None:
    """Insert copies with one executemany per table, in dependency order."""
    for name in replicator.template:
        rows = [row for c in copies for row in c[name]]
        if rows:
            await conn.execute(replicator.tables[name].insert(), rows)


def run(coro: Any) -> Any:
    return asyncio.run(coro)
