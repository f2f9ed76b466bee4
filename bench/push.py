"""Push throughput and latency against the real server, beside the raw storage ceiling.

Simulated tablets (one inspector and device session each) push realistic submissions — 120
answered items, three failed items with hazards (two of them described by the tablet with a
responsible person and plan), Chinese notes — at concurrency 1, 16 and 64 with batches of 1 and
50, against ``uvicorn server:create_app`` on SQLite and, when a DSN is given, PostgreSQL.

The ceiling: the rows one accepted submission writes (counted from a real push: submission,
ledger, hazards, change rows, audit entries …) are copied with fresh ids and inserted straight
into the same database with SQLAlchemy Core — no HTTP, no validation — one transaction per
submission like the server (each record is atomic on its own), and, for reference, 50 per
transaction. server/ceiling is the headline figure.

    .venv/bin/python bench/push.py [--pg-dsn postgresql://postgres@127.0.0.1:5432/test] [--submissions 600] [--pg-instances 1,2] [--sqlite-thread]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import math
import os
import random
import re
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
from bench.tablet_http import TabletConnection  # noqa: E402

CONCURRENCY = (1, 16, 64)
BATCHES = (1, 50)


RETRIES = {"count": 0}


async def _push(tablet: TabletConnection, headers: dict[str, str], body: bytes) -> list[dict[str, Any]]:
    """One push; a 503 (database busy) is retried after ``Retry-After`` as the reference client does."""
    for _attempt in range(20):
        status, response_headers, response = await tablet.post("/api/v1/sync/push", body, {**headers, "Content-Type": "application/json"})
        if status == 503:
            RETRIES["count"] += 1
            await asyncio.sleep(min(float(response_headers.get("retry-after", "1")), 5.0))
            continue
        if status != 200:
            raise RuntimeError(f"push answered {status}: {response[:300]!r}")
        return msgspec.json.decode(response)["results"]  # type: ignore[no-any-return]
    raise RuntimeError("push kept answering 503")


async def cell(servers: list[Any], world: Any, tablets: list[dict[str, str]], conc: int, batch: int, target: int, rng: random.Random) -> dict[str, Any]:
    """``conc`` tablets push ``rounds`` requests of ``batch`` submissions each, all at once; tablet
    ``t`` talks to server instance ``t mod instances``."""
    rounds = max(1, math.ceil(target / (conc * batch)))
    bodies = [
        [msgspec.json.encode({"records": [submission(world, world.enterprise_ids[t], rng) for _ in range(batch)]}) for _ in range(rounds)]
        for t in range(conc)
    ]
    latencies: list[float] = []
    statuses: dict[str, int] = {}

    # One connection per tablet, like real tablets, and a lean one (``bench.tablet_http``): the
    # client shares the machine's cores with the server and the database.
    clients = [TabletConnection(servers[t % len(servers)].base_url) for t in range(conc)]

    async def tablet(t: int) -> None:
        for body in bodies[t]:
            start = time.perf_counter()
            results = await _push(clients[t], tablets[t], body)
            latencies.append(time.perf_counter() - start)
            for r in results:
                statuses[r["status"]] = statuses.get(r["status"], 0) + 1

    # Warm-up, not measured: one single-submission push per tablet, all at once, so each cell
    # starts from the pools and prepared statements its concurrency keeps (a deployment under
    # load has them; the first burst after a quiet spell pays for opening connections).
    warm = [msgspec.json.encode({"records": [submission(world, world.enterprise_ids[t], rng)]}) for t in range(conc)]
    await asyncio.gather(*(_push(clients[t], tablets[t], warm[t]) for t in range(conc)))

    retries0 = RETRIES["count"]
    # The client's own full garbage collections (75–140 ms with its prepared bodies and clients in
    # the heap) stalled every request in flight and were counted as server latency: freeze the
    # heap and leave the collector off for the cell (short; reference counting frees the rest).
    gc.collect()
    gc.freeze()
    gc.disable()
    cpu0, srv0, t0 = time.process_time(), sum(s.cpu_seconds() for s in servers), time.perf_counter()
    try:
        await asyncio.gather(*(tablet(t) for t in range(conc)))
    finally:
        wall = time.perf_counter() - t0
        gc.enable()
        gc.unfreeze()
    for client in clients:
        await client.aclose()
    cpu, srv = time.process_time() - cpu0, sum(s.cpu_seconds() for s in servers) - srv0
    accepted = statuses.get("accepted", 0) + statuses.get("duplicate", 0)
    if accepted != conc * rounds * batch:
        raise RuntimeError(f"expected every submission accepted, got {statuses}")
    return {
        "conc": conc, "batch": batch, "subs": accepted, "wall": wall, "rate": accepted / wall,
        "p50": percentile(latencies, 50) * 1000, "p99": percentile(latencies, 99) * 1000,
        "client_cpu": cpu / wall * 100, "server_cpu": srv / wall * 100, "cpu_ms": srv / accepted * 1000, "retries": RETRIES["count"] - retries0,
    }


async def ceiling(db_url: str, replicator: Replicator, copies: int, per_tx: int, workers: int, sqlite_inline: bool = True) -> float:
    """Submissions/s writing the same rows straight into the database, ``per_tx`` per transaction."""
    from core.storage.database import Database

    db = Database(db_url, sqlite_inline=sqlite_inline)
    engine = db.engine.execution_options(anjian_sqlite_begin="IMMEDIATE")
    prepared = [replicator.copy() for _ in range(copies)]
    groups = [prepared[i : i + per_tx] for i in range(0, copies, per_tx)]
    queue = list(reversed(groups))

    async def worker() -> None:
        while queue:
            group = queue.pop()
            async with engine.begin() as conn:
                await insert_copies(conn, replicator, group)

    try:
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(workers)))
        return copies / (time.perf_counter() - start)
    finally:
        await db.dispose()


async def run_engine(
    label: str, db_url: str, work: Path, target: int, cells_wanted: list[tuple[int, int]], instances: int = 1, sqlite_inline: bool = True
) -> dict[str, Any]:
    from core.bootstrap import prepare_database
    from core.storage.database import Database
    from server import build_context

    slug = re.sub(r"\W+", "-", label)
    data_dir = work / f"{slug}-{instances}"
    data_dir.mkdir(parents=True)
    settings = settings_for(db_url, data_dir)
    ctx = build_context(settings)
    await prepare_database(ctx.db)
    world = await seed_world(ctx, inspectors=max(CONCURRENCY), enterprises=max(CONCURRENCY))
    await ctx.db.dispose()
    rng = random.Random(20260302)
    cells = []
    probe = Database(db_url)
    os.environ["ANJIAN_SQLITE_INLINE"] = "true" if sqlite_inline else "false"  # read by the server processes
    with contextlib.ExitStack() as stack:
        # Instances share the database and the data directory (attachments), as a deployment would;
        # each starts once the one before answers, so only the first migrates.
        servers = [stack.enter_context(running_server(db_url, data_dir)) for _ in range(instances)]
        server = servers[0]
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
        async with httpx.AsyncClient(base_url=server.base_url, timeout=3600, limits=limits) as http:
            tablets = [await login(http, name) for name in world.inspectors]
            # Count what one accepted submission writes, from a real push.
            async with probe.engine.connect() as conn:
                before = await snapshot_keys(conn)
            probe_tablet = TabletConnection(server.base_url)
            results = await _push(probe_tablet, tablets[0], msgspec.json.encode({"records": [submission(world, world.enterprise_ids[0], rng)]}))
            assert results[0]["status"] == "accepted", results
            async with probe.engine.connect() as conn:
                template = await new_rows(conn, before)
            await probe.dispose()
            for t in range(8):  # warm-up
                await _push(probe_tablet, tablets[t], msgspec.json.encode({"records": [submission(world, world.enterprise_ids[t], rng) for _ in range(5)]}))
            await probe_tablet.aclose()
            for batch, conc in cells_wanted:
                result = await cell(servers, world, tablets, conc, batch, target, rng)
                print(f"  {label} batch {batch:>2} × concurrency {conc:>2}: {result['rate']:.1f} submissions/s, p50 {result['p50']:.0f} ms, p99 {result['p99']:.0f} ms", flush=True)
                cells.append(result)
        rss = max(s.status_kib("VmHWM") for s in servers)
    replicator = Replicator(template)
    copies = max(200, min(2000, target * 2))
    workers = 1 if db_url.startswith("sqlite") else 8
    ceil_1 = await ceiling(db_url, replicator, copies, 1, workers, sqlite_inline)
    ceil_50 = await ceiling(db_url, replicator, copies, 50, workers, sqlite_inline)
    print(f"  {label} ceiling: {ceil_1:.1f} submissions/s (1 per transaction), {ceil_50:.1f} (50 per transaction)", flush=True)
    return {"label": label, "cells": cells, "template": {k: len(v) for k, v in template.items()}, "rows": replicator.rows_per_copy,
            "ceil_1": ceil_1, "ceil_50": ceil_50, "workers": workers, "copies": copies, "rss_mib": rss / 1024, "instances": instances}


def report(engines: list[dict[str, Any]], target: int) -> str:
    lines = [
        "## Push (`bench/push.py`)", "", machine(), "",
        "Real server process (uvicorn, 1 worker; where stated, several instances on one PostgreSQL database, tablets spread over them) on loopback; one client process drives every tablet, each over its own keep-alive HTTP/1.1 connection (`bench/tablet_http.py`, lean so that the client leaves the cores to the server and the database) "
        f"(each tablet its own inspector and device session). About {target} submissions per cell (at least one request per tablet), after an unmeasured warm-up push of one submission per tablet, all at once. "
        "Each submission: 120 answered items, 3 failed items → 3 hazards (2 described by the tablet, ordered at once), Chinese notes. "
        "Latency is per push request (a batch of 50 is one request), including waits after a 503 (database busy: retried after Retry-After, as the reference client does). "
        "*Latency floor*: concurrency × batch ÷ the 50-per-transaction ceiling, the mean latency a closed loop of that many tablets would see if the server cost nothing "
        "beyond writing the rows at the ceiling's rate (Little's law); no p99 can be below it. CPU columns: % of one core over the cell's wall time (all instances), and server CPU seconds per stored submission.", "",
    ]
    for eng in engines:
        rows = []
        for c in eng["cells"]:
            ratio = c["rate"] / eng["ceil_1"]
            floor = c["conc"] * c["batch"] / eng["ceil_50"] * 1000  # Little's law at the ceiling's rate
            rows.append([c["batch"], c["conc"], c["subs"], f"{c['rate']:.1f}", f"{c['p50']:.0f}", f"{c['p99']:.0f}", f"{floor:.0f}", f"{ratio:.2f}", f"{c['rate'] / eng['ceil_50']:.2f}",
                         f"{c['server_cpu']:.0f}", f"{c['cpu_ms']:.2f}", f"{c['client_cpu']:.0f}", c["retries"]])
        written = ", ".join(f"{k} {v}" for k, v in eng["template"].items())
        lines += [
            f"### {eng['label']}", "",
            f"One accepted submission writes {eng['rows']} rows: {written}.", "",
            f"Raw storage ceiling (same rows, SQLAlchemy Core, same engine and file, {eng['copies']} submissions, {eng['workers']} writer(s)): "
            f"**{eng['ceil_1']:.1f} submissions/s** with one transaction per submission (the server's unit of atomicity), "
            f"{eng['ceil_50']:.1f}/s with 50 per transaction.", "",
            table(["batch", "concurrency", "submissions", "submissions/s", "p50 ms", "p99 ms", "latency floor ms", "server/ceiling (1/tx)", "server/ceiling (50/tx)",
                   "server CPU %", "server CPU ms/submission", "client CPU %", "503 retries"], rows),
            "", f"Server peak RSS (VmHWM): {eng['rss_mib']:.0f} MiB.", "",
        ]
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-dsn", default=None, help="PostgreSQL server to use too (a fresh database is created and dropped); env ANJIAN_BENCH_PG_DSN")
    parser.add_argument("--submissions", type=int, default=200, help="about this many submissions per cell (default 200; a cell always sends one request per tablet)")
    parser.add_argument("--cells", default=",".join(f"{b}x{c}" for b in BATCHES for c in CONCURRENCY), help="batch x concurrency cells (default: all six)")
    parser.add_argument("--pg-instances", default="1", help="server instances sharing the PostgreSQL database, e.g. 1,2 for both (default 1); tablets are spread over them")
    parser.add_argument("--sqlite-thread", action="store_true", help="also run SQLite with every statement on aiosqlite's thread (ANJIAN_SQLITE_INLINE=false), for comparison in the same run")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    dsn = pg_dsn(args.pg_dsn)
    cells_wanted = [(int(b), int(c)) for b, c in (cell.split("x") for cell in args.cells.split(","))]
    engines = []
    with tempfile.TemporaryDirectory(prefix="anjian-bench-push-") as tmp:
        work = Path(tmp)
        print("SQLite", flush=True)
        engines.append(await run_engine("SQLite", f"sqlite+aiosqlite:///{work}/anjian.db", work, args.submissions, cells_wanted))
        if args.sqlite_thread:
            label = "SQLite, statements on aiosqlite's thread (ANJIAN_SQLITE_INLINE=false)"
            print(label, flush=True)
            engines.append(await run_engine(label, f"sqlite+aiosqlite:///{work}/thread.db", work, args.submissions, cells_wanted, sqlite_inline=False))
        if dsn:
            for instances in (int(n) for n in args.pg_instances.split(",")):
                label = "PostgreSQL" if instances == 1 else f"PostgreSQL, {instances} server instances"
                print(label, flush=True)
                url, name = await create_pg_database(dsn, "anjian_bench")  # a fresh database for each
                try:
                    engines.append(await run_engine(label, url, work, args.submissions, cells_wanted, instances))
                finally:
                    await drop_pg_database(dsn, name)
    text = report(engines, args.submissions)
    print()
    print(text)
    if not args.no_write:
        write_section("push", text)


if __name__ == "__main__":
    asyncio.run(main())
