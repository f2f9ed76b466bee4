"""The initial pull of an inspector whose scope holds 100,000 enterprises and 20 checklist versions.

Enterprises are seeded straight into the tables the enterprise service writes (``enterprise``,
``enterprise_industry`` and one ``change`` row each — the audit entries are left out: a pull never
reads them); the 20 checklist versions (120 items each) are published through the checklist
service. Then a fresh device pulls everything with the reference client's cursor loop
(``limit`` 500 until ``has_more`` is false), in JSON and MessagePack, gzip on and off, each
against a freshly started server process, whose resident memory is read after every page.

    .venv/bin/python bench/pull.py [--enterprises 100000] [--pg-dsn postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    INDUSTRY,
    PASSWORD,
    REGION,
    bench_checklist,
    create_pg_database,
    drop_pg_database,
    login,
    machine,
    pg_dsn,
    publish,
    running_server,
    settings_for,
    table,
    uscc,
    write_section,
)

VARIANTS = (("JSON", "application/json", False), ("JSON", "application/json", True), ("MessagePack", "application/msgpack", False), ("MessagePack", "application/msgpack", True))
CHUNK = 5000


async def seed(ctx: Any, enterprises: int, versions: int) -> None:
    """Bulk enterprises in the inspector's scope, consistent with ``core.enterprises.service``; published checklists."""
    from core.enterprises.records import Enterprise, EnterpriseIndustry
    from core.storage.changes import Change

    now = datetime.now(UTC)
    async with ctx.db.write() as session:
        conn = await session.connection()
        for start in range(0, enterprises, CHUNK):
            rows, links, changes = [], [], []
            for n in range(start, min(enterprises, start + CHUNK)):
                eid = str(uuid.uuid4())
                rows.append({
                    "id": eid, "name": f"广汉市第{n + 1}号化工有限公司", "uscc": uscc(n + 1), "uscc_override_reason": None, "region_code": REGION,
                    "grid_code": None, "industries": [INDUSTRY], "scale": "small_micro" if n % 5 else "large_medium", "high_risk_flags": [],
                    "risk_level": None, "legal_representative": "张三", "safety_manager": "王安全", "safety_manager_phone": "13800000000",
                    "address": f"四川省德阳市广汉市向阳镇工业园区{n % 500 + 1}号", "longitude": 104.25, "latitude": 30.99,
                    "blacklisted": False, "active": True, "version": 1, "created_at": now, "updated_at": now,
                })
                links.append({"enterprise_id": eid, "industry": INDUSTRY})
                changes.append({"entity": "enterprise", "entity_id": eid, "op": "upsert", "region_code": REGION, "industries": [INDUSTRY],
                                "enterprise_id": eid, "user_id": None, "at": now, "prev_region_code": None, "prev_industries": None})
            await conn.execute(Enterprise.__table__.insert(), rows)  # type: ignore[attr-defined]
            await conn.execute(EnterpriseIndustry.__table__.insert(), links)  # type: ignore[attr-defined]
            await conn.execute(Change.__table__.insert(), changes)  # type: ignore[attr-defined]
    for k in range(versions):
        await publish(ctx, bench_checklist(checklist_id=f"hazchem.bench{k:02d}"))


async def pull_all(server: Any, accept: str, gzip: bool) -> dict[str, Any]:
    """A fresh device's initial pull, page by page as ``TabletClient.pull`` does."""
    async with httpx.AsyncClient(base_url=server.base_url, timeout=300) as http:
        auth = await login(http, "insp_pull")
        headers = {**auth, "Accept": accept, "Accept-Encoding": "gzip" if gzip else "identity"}
        decode = msgspec.msgpack.decode if "msgpack" in accept else msgspec.json.decode
        cursor, pages, items, wire, rss = None, 0, 0, 0, []
        kinds: dict[str, int] = {}
        start = time.perf_counter()
        for _ in range(100_000):  # bounded: far more pages than any scope here needs
            params: dict[str, Any] = {"limit": 500}
            if cursor:
                params["cursor"] = cursor
            response = await http.get("/api/v1/sync/pull", params=params, headers=headers)
            response.raise_for_status()
            wire += response.num_bytes_downloaded
            body = decode(response.content)
            pages += 1
            items += len(body["items"])
            for item in body["items"]:
                kinds[item["entity"]] = kinds.get(item["entity"], 0) + 1
            rss.append(server.status_kib("VmRSS"))
            cursor = body["cursor"]
            if not body["has_more"]:
                break
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "pages": pages, "items": items, "wire": wire, "rss": rss, "hwm": server.status_kib("VmHWM"), "kinds": kinds}


async def run_engine(label: str, db_url: str, work: Path, enterprises: int, versions: int) -> list[dict[str, Any]]:
    from core.access.user_service import create_user
    from core.access.wire import UserIn
    from core.bootstrap import prepare_database
    from core.storage.audit_log import SYSTEM
    from server import build_context

    data_dir = work / label
    data_dir.mkdir(parents=True)
    ctx = build_context(settings_for(db_url, data_dir))
    await prepare_database(ctx.db)
    t0 = time.perf_counter()
    await seed(ctx, enterprises, versions)
    await create_user(ctx, SYSTEM, UserIn(username="insp_pull", password=PASSWORD, role="inspector", region_code=REGION, industries=[INDUSTRY]))  # type: ignore[arg-type]
    await ctx.db.dispose()
    print(f"  {label}: seeded {enterprises} enterprises and {versions} checklist versions in {time.perf_counter() - t0:.1f} s", flush=True)
    out = []
    for fmt, accept, gzip in VARIANTS:
        with running_server(db_url, data_dir) as server:
            idle = server.status_kib("VmRSS")
            result = await pull_all(server, accept, gzip)
        result.update(label=label, fmt=fmt, gzip=gzip, idle=idle)
        print(f"  {label} {fmt} gzip={'on' if gzip else 'off'}: {result['seconds']:.1f} s, {result['wire'] / 2**20:.1f} MiB, {result['pages']} pages, "
              f"{result['items']} items, peak RSS {result['hwm'] / 1024:.0f} MiB", flush=True)
        out.append(result)
    return out


def _at(rss: list[int], fraction: float) -> float:
    return rss[min(len(rss) - 1, max(0, round(fraction * len(rss)) - 1))] / 1024


def report(results: list[dict[str, Any]], enterprises: int, versions: int) -> str:
    rows = []
    for r in results:
        rows.append([
            r["label"], r["fmt"], "on" if r["gzip"] else "off", f"{r['seconds']:.1f}", f"{r['wire'] / 2**20:.1f}", r["pages"], r["items"],
            f"{r['idle'] / 1024:.0f}", f"{_at(r['rss'], 0.1):.0f}", f"{_at(r['rss'], 0.5):.0f}", f"{_at(r['rss'], 1.0):.0f}", f"{r['hwm'] / 1024:.0f}",
        ])
    kinds = ", ".join(f"{k} {v}" for k, v in results[0]["kinds"].items()) if results else ""
    return "\n".join([
        "## Initial pull (`bench/pull.py`)", "", machine(), "",
        f"Scope: {enterprises} enterprises (广汉市, hazchem) and {versions} published checklist versions of 120 items (plus the built-in "
        f"plugins' hazchem checklists). Items delivered: {kinds}. Cursor loop of the reference client, `limit=500`; a fresh server process per "
        "row; wire bytes are the response bodies as sent (compressed when gzip is on); the client decodes every page. RSS is the server "
        "process's resident memory (idle after start; after 10 %, 50 %, 100 % of the pages; VmHWM = peak).", "",
        table(["database", "format", "gzip", "seconds", "MiB on the wire", "pages", "items", "RSS idle MiB", "RSS 10 %", "RSS 50 %", "RSS 100 %", "peak RSS MiB"], rows),
        "",
    ])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--pg-dsn", default=None, help="PostgreSQL server to use too (a fresh database is created and dropped); env ANJIAN_BENCH_PG_DSN")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    dsn = pg_dsn(args.pg_dsn)
    results = []
    with tempfile.TemporaryDirectory(prefix="anjian-bench-pull-") as tmp:
        work = Path(tmp)
        results += await run_engine("SQLite", f"sqlite+aiosqlite:///{work}/anjian.db", work, args.enterprises, args.versions)
        if dsn:
            url, name = await create_pg_database(dsn, "anjian_bench")
            try:
                results += await run_engine("PostgreSQL", url, work, args.enterprises, args.versions)
            finally:
                await drop_pg_database(dsn, name)
    text = report(results, args.enterprises, args.versions)
    print()
    print(text)
    if not args.no_write:
        write_section("pull", text)


if __name__ == "__main__":
    asyncio.run(main())
