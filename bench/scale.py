"""Push and pull latency as stored history grows (10k, 100k, 1M submissions by default).

History is made of copies of the rows one real accepted submission wrote (submission, ledger,
hazards, hazard transitions, change rows, audit entries, inspection), spread over 200 enterprises
and bulk-inserted with SQLAlchemy Core — the same tables a push fills. At each size a fresh server
process answers ``--pushes`` sequential single-submission pushes and pull pages (an incremental
page after those pushes, and the first page of a fresh device). The growth column divides each
figure by the one at the smallest size: flat means indexes, not table scans. The query plans of
every statement one push runs are printed (``EXPLAIN QUERY PLAN`` / ``EXPLAIN``) at the largest size.

    .venv/bin/python bench/scale.py [--sizes 10000,100000,1000000] [--pushes 100] [--pg-dsn …]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    Replicator,
    create_pg_database,
    drop_pg_database,
    insert_copies,
    login,
    machine,
    new_rows,
    percentile,
    pg_dsn,
    running_server,
    seed_world,
    settings_for,
    snapshot_keys,
    submission,
    table,
    write_section,
)

CHUNK = 1000


async def grow(db_url: str, replicator: Replicator, enterprise_ids: list[str], template_enterprise: str, count: int, rng: random.Random) -> float:
    """Insert ``count`` more copies of the submission's rows; seconds taken."""
    from core.storage.database import Database

    db = Database(db_url)
    start = time.perf_counter()
    try:
        engine = db.engine.execution_options(anjian_sqlite_begin="IMMEDIATE")
        done = 0
        while done < count:
            n = min(CHUNK, count - done)
            copies = [replicator.copy({template_enterprise: rng.choice(enterprise_ids)}) for _ in range(n)]
            async with engine.begin() as conn:
                await insert_copies(conn, replicator, copies)
            done += n
    finally:
        await db.dispose()
    return time.perf_counter() - start


async def measure(server: Any, world: Any, headers: dict[str, str], pull_headers: dict[str, str], pushes: int, rng: random.Random) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=120) as http:
        # warm up the connection and the server's caches
        for _ in range(3):
            await http.post("/api/v1/sync/push", content=msgspec.json.encode({"records": [submission(world, world.enterprise_ids[0], rng)]}), headers={**headers, "Content-Type": "application/json"})
        # an incremental pull starts from the device's current position (the end of history)
        cursor = None
        for _ in range(100_000):
            body = (await http.get("/api/v1/sync/pull", params={"limit": 2000, **({"cursor": cursor} if cursor else {})}, headers=pull_headers)).json()
            cursor = body["cursor"]
            if not body["has_more"]:
                break
        push_ms = []
        for _ in range(pushes):
            payload = msgspec.json.encode({"records": [submission(world, rng.choice(world.enterprise_ids), rng)]})
            start = time.perf_counter()
            response = await http.post("/api/v1/sync/push", content=payload, headers={**headers, "Content-Type": "application/json"})
            push_ms.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200 and response.json()["results"][0]["status"] == "accepted", response.text
        incremental_ms = []
        for _ in range(10):
            start = time.perf_counter()
            response = await http.get("/api/v1/sync/pull", params={"limit": 500, "cursor": cursor}, headers=pull_headers)
            incremental_ms.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.text
        first_ms = []
        for _ in range(10):
            start = time.perf_counter()
            response = await http.get("/api/v1/sync/pull", params={"limit": 500}, headers=pull_headers)
            first_ms.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.text
    return {
        "push_p50": percentile(push_ms, 50), "push_p99": percentile(push_ms, 99),
        "inc_p50": percentile(incremental_ms, 50), "first_p50": percentile(first_ms, 50),
    }


async def plans(db_url: str, ctx_settings: Any, world: Any, user: Any) -> list[tuple[str, str]]:
    """Run one push in-process, capture its statements and explain each SELECT/UPDATE."""
    from sqlalchemy import event, text

    from core.access.scope import Principal
    from server import build_context
    from sync.push.batch import push_batch

    ctx = build_context(ctx_settings)
    captured: list[tuple[str, Any]] = []

    def listener(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
            captured.append((statement, parameters))

    event.listen(ctx.db.engine.sync_engine, "before_cursor_execute", listener)
    principal = Principal(user_id=user.id, username=user.username, role="inspector", region_code=user.region_code, industries=tuple(user.industries), device_id="plan-probe")
    raw = msgspec.Raw(msgspec.json.encode(submission(world, world.enterprise_ids[0], random.Random(7))))
    await push_batch(ctx, principal, None, [raw], "application/json")
    event.remove(ctx.db.engine.sync_engine, "before_cursor_execute", listener)
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    sqlite = db_url.startswith("sqlite")
    async with ctx.db.engine.connect() as conn:
        for statement, parameters in captured:
            if statement in seen:
                continue
            seen.add(statement)
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            if sqlite:
                rows = (await conn.exec_driver_sql(prefix + statement, tuple(parameters))).all()
                plan = "; ".join(str(r[-1]) for r in rows)
            else:
                rows = (await conn.exec_driver_sql(prefix + statement, tuple(parameters))).all()
                plan = "; ".join(str(r[0]).strip() for r in rows)
            out.append((" ".join(statement.split())[:110], plan))
        pull_sql = "SELECT * FROM change WHERE seq > 5 ORDER BY seq LIMIT 1000"
        rows = (await conn.execute(text(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + pull_sql))).all()
        out.append(("pull: " + pull_sql, "; ".join(str(r[-1] if sqlite else r[0]).strip() for r in rows)))
    await ctx.db.dispose()
    return out


async def run_engine(label: str, db_url: str, work: Path, sizes: list[int], pushes: int) -> dict[str, Any]:
    from sqlmodel import select

    from core.access.users import User
    from core.bootstrap import prepare_database
    from core.storage.database import Database
    from server import build_context

    data_dir = work / label
    data_dir.mkdir(parents=True)
    settings = settings_for(db_url, data_dir)
    ctx = build_context(settings)
    await prepare_database(ctx.db)
    world = await seed_world(ctx, inspectors=2, enterprises=200)
    async with ctx.db.read() as session:
        user = (await session.exec(select(User).where(User.username == "insp000"))).one()
    await ctx.db.dispose()
    rng = random.Random(11)
    probe = Database(db_url)
    with running_server(db_url, data_dir) as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=120) as http:
            headers = await login(http, "insp000")
            pull_headers = await login(http, "insp001")
            async with probe.engine.connect() as conn:
                before = await snapshot_keys(conn)
            response = await http.post("/api/v1/sync/push", content=msgspec.json.encode({"records": [submission(world, world.enterprise_ids[0], rng)]}), headers={**headers, "Content-Type": "application/json"})
            assert response.json()["results"][0]["status"] == "accepted", response.text
            async with probe.engine.connect() as conn:
                template = await new_rows(conn, before)
    await probe.dispose()
    replicator = Replicator(template)
    stored = 1
    rows = []
    for size in sizes:
        seconds = await grow(db_url, replicator, world.enterprise_ids, world.enterprise_ids[0], size - stored, rng)
        stored = size
        print(f"  {label}: {size} submissions stored (+{seconds:.0f} s of bulk insert)", flush=True)
        with running_server(db_url, data_dir) as server:
            async with httpx.AsyncClient(base_url=server.base_url, timeout=120) as http:
                headers = await login(http, "insp000")
                pull_headers = await login(http, "insp001")
            figures = await measure(server, world, headers, pull_headers, pushes, rng)
        stored += pushes + 3
        figures["size"] = size
        rows.append(figures)
        print(f"  {label} @ {size}: push p50 {figures['push_p50']:.0f} ms p99 {figures['push_p99']:.0f} ms, incremental pull page {figures['inc_p50']:.0f} ms, first page {figures['first_p50']:.0f} ms", flush=True)
    explained = await plans(db_url, settings, world, user)
    disk = sum(p.stat().st_size for p in data_dir.parent.glob("*.db*")) if db_url.startswith("sqlite") else None
    return {"label": label, "rows": rows, "plans": explained, "per_copy": replicator.rows_per_copy, "template": {k: len(v) for k, v in template.items()}, "disk": disk}


def report(engines: list[dict[str, Any]], pushes: int) -> str:
    lines = [
        "## Growth with stored history (`bench/scale.py`)", "", machine(), "",
        f"Per size: {pushes} sequential single-submission pushes (120 items, 3 hazards) against a freshly started server; pull pages "
        "(`limit=500`, median of 10): *incremental* = the next page of a device that was up to date before those pushes; "
        "*first page* = a new device's first page. Growth = figure ÷ figure at the smallest size.", "",
    ]
    for eng in engines:
        base = eng["rows"][0]
        rows = [[f"{r['size']:,}", f"{r['push_p50']:.0f}", f"{r['push_p99']:.0f}", f"{r['push_p50'] / base['push_p50']:.2f}", f"{r['inc_p50']:.0f}",
                 f"{r['inc_p50'] / base['inc_p50']:.2f}", f"{r['first_p50']:.0f}", f"{r['first_p50'] / base['first_p50']:.2f}"] for r in eng["rows"]]
        written = ", ".join(f"{k} {v}" for k, v in eng["template"].items())
        lines += [
            f"### {eng['label']}", "", f"Each stored submission is {eng['per_copy']} rows ({written})."
            + (f" Database files at the end: {eng['disk'] / 2**30:.1f} GiB." if eng["disk"] else ""), "",
            table(["stored submissions", "push p50 ms", "push p99 ms", "push growth", "incremental page ms", "growth", "first page ms", "growth"], rows), "",
            "Query plans of the statements one push runs, and of the pull's scan, at the largest size:", "",
            table(["statement", "plan"], [[f"`{s}`", p.replace("|", "/")] for s, p in eng["plans"]]), "",
        ]
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="stored submissions at each step (ascending)")
    parser.add_argument("--pg-sizes", default=None, help="sizes for PostgreSQL when they differ from --sizes (e.g. stop it at 100000)")
    parser.add_argument("--pushes", type=int, default=100)
    parser.add_argument("--pg-dsn", default=None, help="PostgreSQL server to use too (a fresh database is created and dropped); env ANJIAN_BENCH_PG_DSN")
    parser.add_argument("--workdir", default=None, help="where the SQLite file goes (default: a temporary directory)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    dsn = pg_dsn(args.pg_dsn)
    need_gib = sizes[-1] * 25 / 2**20
    free_gib = shutil.disk_usage(args.workdir or tempfile.gettempdir()).free / 2**30
    print(f"about {need_gib:.0f} GiB needed for {sizes[-1]:,} submissions on SQLite; {free_gib:.0f} GiB free", flush=True)
    if need_gib > free_gib * 0.8:
        raise SystemExit("not enough disk space for the largest size; pass smaller --sizes or another --workdir")
    engines = []
    with tempfile.TemporaryDirectory(prefix="anjian-bench-scale-", dir=args.workdir) as tmp:
        work = Path(tmp)
        engines.append(await run_engine("SQLite", f"sqlite+aiosqlite:///{work}/anjian.db", work, sizes, args.pushes))
        if dsn:
            url, name = await create_pg_database(dsn, "anjian_bench")
            try:
                pg_sizes = sorted(int(n) for n in args.pg_sizes.split(",")) if args.pg_sizes else sizes
                engines.append(await run_engine("PostgreSQL", url, work, pg_sizes, args.pushes))
            finally:
                await drop_pg_database(dsn, name)
    text = report(engines, args.pushes)
    print()
    print(text)
    if not args.no_write:
        write_section("scale", text)


if __name__ == "__main__":
    asyncio.run(main())
