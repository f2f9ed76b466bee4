"""The office console's pages at a province's size: 100k enterprises and 1M hazards (issue 22).

Enterprises and hazards are bulk-inserted with SQLAlchemy Core into the tables the services fill
(spread over the six counties of 德阳市, four industries, two years of history: most hazards closed,
some open, some overdue, a few major and listed). The real server (uvicorn, one worker) then answers
the console's pages to users signed in through the console's own login form: the 安委办 admin (everything)
and a department admin (德阳市 × 危险化学品). Each page is requested ``--requests`` times, one at a time,
after three unmeasured warm-ups; the figures are the client's wall time per page on loopback, which is the
server's time plus well under a millisecond. Goal (issue 22): p95 ≤ 300 ms per page.

Then the import of 10k enterprises from one XLSX file, through the console's import (check every
row, then write in chunks) and through ``POST /api/v1/enterprises/import``: rows per second.

    .venv/bin/python bench/console.py [--pg-dsn DSN] [--enterprises 100000] [--hazards 1000000] [--requests 40]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    PASSWORD,
    create_pg_database,
    drop_pg_database,
    machine,
    percentile,
    pg_dsn,
    running_server,
    settings_for,
    table,
    uscc,
    write_section,
)

COUNTIES = ["510603", "510604", "510623", "510681", "510682", "510683"]  # the six counties of 德阳市
INDUSTRIES = ["hazchem", "fire", "industrial_trade", "construction"]
SCALES = ["small_micro", "small_micro", "small_micro", "large_medium"]
RISKS = [None, "low", "low", "moderate", "moderate", "high", "major"]
PLACES = ["雒城", "汉州", "金雁", "三水", "连山", "高坪", "向阳", "小汉", "南丰", "西高", "和兴", "兴隆"]
TRADES = ["化工", "气体", "建材", "机械", "纺织", "食品", "商贸", "物流", "建筑", "电气"]
HAZARD_TEXTS = ["可燃气体报警器失效", "消防通道堵塞", "配电箱未设置漏电保护器", "有限空间作业未审批", "安全出口指示灯损坏",
                "危化品仓库通风不良", "特种作业人员无证上岗", "应急预案未演练"]
CHUNK = 5000


# --- the data --------------------------------------------------------------------------------------


async def bulk_world(db_url: str, data_dir: Path, enterprises: int, hazards: int, rng: random.Random) -> dict[str, float]:
    """Users through the services, enterprises and hazards straight into their tables; seconds taken."""
    from sqlalchemy import insert

    from core.access.user_service import create_user
    from core.access.wire import UserIn
    from core.bootstrap import prepare_database
    from core.enterprises.records import Enterprise, EnterpriseIndustry
    from core.hazards.records import Hazard
    from core.storage.audit_log import SYSTEM
    from server import build_context

    ctx = build_context(settings_for(db_url, data_dir))
    timings: dict[str, float] = {}
    try:
        await prepare_database(ctx.db)
        await create_user(ctx, SYSTEM, UserIn(username="bench_admin", password=PASSWORD, role="admin", display_name="安委办"))  # type: ignore[arg-type]
        await create_user(ctx, SYSTEM, UserIn(username="bench_dept", password=PASSWORD, role="department_admin", region_code="510600",  # type: ignore[arg-type]
                                              industries=["hazchem"], display_name="市应急局危化科"))
        now = datetime.now(UTC)
        started = time.perf_counter()
        facts: list[tuple[str, str, list[str]]] = []
        async with ctx.db.engine.begin() as conn:
            for first in range(0, enterprises, CHUNK):
                rows, industry_rows = [], []
                for n in range(first, min(first + CHUNK, enterprises)):
                    region = COUNTIES[n % len(COUNTIES)]
                    industries = [INDUSTRIES[n % len(INDUSTRIES)]] + ([INDUSTRIES[(n + 1) % len(INDUSTRIES)]] if n % 7 == 0 else [])
                    ident = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                    rows.append({
                        "id": ident, "name": f"{rng.choice(PLACES)}{rng.choice(TRADES)}第{n + 1}有限公司", "uscc": uscc(n + 1, region),
                        "region_code": region, "industries": industries, "scale": rng.choice(SCALES), "high_risk_flags": [],
                        "risk_level": rng.choice(RISKS), "address": f"四川省德阳市{rng.choice(PLACES)}镇工业路{n % 300 + 1}号",
                        "legal_representative": "", "safety_manager": "王安全", "safety_manager_phone": "", "blacklisted": False, "active": True,
                        "version": 1, "created_at": now, "updated_at": now,
                    })
                    industry_rows += [{"enterprise_id": ident, "industry": i} for i in industries]
                    facts.append((ident, region, industries))
                await conn.execute(insert(Enterprise.__table__), rows)  # type: ignore[attr-defined]
                await conn.execute(insert(EnterpriseIndustry.__table__), industry_rows)  # type: ignore[attr-defined]
        timings["enterprises"] = time.perf_counter() - started
        started = time.perf_counter()
        async with ctx.db.engine.begin() as conn:
            for first in range(0, hazards, CHUNK):
                rows = [_hazard(rng, now, rng.choice(facts)) for _ in range(first, min(first + CHUNK, hazards))]
                await conn.execute(insert(Hazard.__table__), rows)  # type: ignore[attr-defined]
        timings["hazards"] = time.perf_counter() - started
        # statistics and (PostgreSQL) the visibility map, as a database that grew to this size under
        # autovacuum would have them: without VACUUM every index-only scan visits the table
        async with ctx.db.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql("ANALYZE" if ctx.db.is_sqlite else "VACUUM ANALYZE")
    finally:
        await ctx.db.dispose()
    return timings


def _hazard(rng: random.Random, now: datetime, enterprise: tuple[str, str, list[str]]) -> dict[str, Any]:
    """One hazard of two years' history: 90 % found any time and closed within two months; 10 % found in
    the last 120 days and still open (reported, being rectified — many past their deadline — or awaiting
    the recheck)."""
    ident, region, industries = enterprise
    major = rng.random() < 0.03
    if rng.random() < 0.90:
        status = "closed"
        received = now - timedelta(days=rng.uniform(60, 730))
    else:
        roll = rng.random()
        status = "reported" if roll < 0.30 else "rectifying" if roll < 0.85 else "awaiting_recheck"
        received = now - timedelta(days=rng.uniform(0, 120))
    deadline = received + timedelta(days=rng.choice([7, 15, 30, 60])) if status != "reported" else None
    closed_at = received + timedelta(days=rng.uniform(3, 60)) if status == "closed" else None
    overdue = status == "rectifying" and deadline is not None and deadline < now
    listed = major or (overdue and rng.random() < 0.3)
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "enterprise_id": ident, "region_code": region, "industries": industries,
        "level": "major" if major else "general", "status": status, "description": rng.choice(HAZARD_TEXTS), "location": "生产车间",
        "found_at": received, "received_at": received, "deadline": deadline, "responsible_person": "刘安全" if deadline else "",
        "rectification_plan": "", "listed_supervision": listed, "listed_at": received if listed else None,
        "listed_reason": ("重大事故隐患" if major else "逾期未整改") if listed else None, "evidence": [], "rectification_evidence": [],
        "rectified_at": None, "overdue_marked_at": deadline if overdue else None, "closed_at": closed_at, "version": 1,
        "created_at": received, "updated_at": closed_at or received,
    }


# --- signing in and timing pages ---------------------------------------------------------------------

_CSRF = re.compile(r'name="_csrf" value="([0-9a-f]+)"')


def console_client(base_url: str, username: str) -> httpx.Client:
    """An httpx client signed in through the console's login form (its session cookie kept)."""
    client = httpx.Client(base_url=base_url, timeout=120, follow_redirects=False)
    form = client.get("/login")
    token = _CSRF.search(form.text)
    assert token, form.text[:300]
    answer = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/", "_csrf": token.group(1)})
    assert answer.status_code == 303, answer.text[:300]
    return client


def time_page(client: httpx.Client, paths: Callable[[int], str], requests: int) -> dict[str, float] | None:
    """p50 / p95 / max milliseconds of ``requests`` sequential GETs after three warm-ups, and the first
    warm-up's (the workbench's trend and an ended period's report are remembered five minutes per
    scope: the first request counts them); None when this checkout has no such page."""
    started = time.perf_counter()
    answer = client.get(paths(0))
    first = (time.perf_counter() - started) * 1000  # the first request: nothing remembered yet
    if answer.status_code == 404:
        return None
    for i in range(3):
        answer = client.get(paths(i))
        assert answer.status_code == 200, (paths(i), answer.status_code, answer.text[:300])
    times = []
    for i in range(requests):
        path = paths(i + 3)
        started = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    return {"first": first, "p50": percentile(times, 50), "p95": percentile(times, 95), "max": max(times)}


def last_month(now: datetime) -> str:
    first = now.replace(day=1) - timedelta(days=1)
    return f"{first.year}-{first.month:02d}"


def pages(rng: random.Random) -> list[tuple[str, Callable[[int], str]]]:
    """The pages the issue names, each with varied queries (a cache of one query would flatter it)."""
    words = [f"{place}{trade}" for place in PLACES for trade in TRADES]
    rng.shuffle(words)
    month = last_month(datetime.now(UTC))
    return [
        ("企业搜索 enterprise search", lambda i: f"/enterprises?q={words[i % len(words)]}"),
        ("企业筛选 region × industry", lambda i: f"/enterprises?region_code={COUNTIES[i % len(COUNTIES)]}&industry=hazchem&page={i % 5 + 1}"),
        ("逾期隐患 overdue list", lambda i: f"/hazards?overdue=true&page={i % 5 + 1}"),
        ("工作台 workbench", lambda i: "/"),
        ("月调度 monthly report", lambda i: f"/reports/period?shape=month&month={month}"),
    ]


# --- the import --------------------------------------------------------------------------------------


def xlsx_of(rows: int, offset: int) -> bytes:
    """An XLSX file of ``rows`` new enterprises with the Chinese headers of the import template."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("企业")
    sheet.append(["企业名称", "统一社会信用代码", "行政区划代码", "行业", "规模", "风险等级", "地址", "安全管理人员"])
    for n in range(offset, offset + rows):
        sheet.append([f"导入测试第{n}化工有限公司", uscc(n, "510681"), "510681", "危险化学品", "小微型", "低风险（蓝）", "四川省德阳市广汉市工业路1号", "王安全"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_by_api(base_url: str, content: bytes, rows: int) -> float:
    """Rows per second of ``POST /api/v1/enterprises/import`` (one request)."""
    login = httpx.post(f"{base_url}/api/v1/auth/login", json={"username": "bench_admin", "password": PASSWORD}, timeout=60)
    login.raise_for_status()
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    started = time.perf_counter()
    answer = httpx.post(f"{base_url}/api/v1/enterprises/import", files={"file": ("企业.xlsx", content)}, headers=headers, timeout=3600)
    elapsed = time.perf_counter() - started
    answer.raise_for_status()
    report = answer.json()
    assert not report.get("errors"), report.get("errors", [])[:3]
    return rows / elapsed


def import_by_console(client: httpx.Client, content: bytes, rows: int) -> float | None:
    """Rows per second of the console's import (check, then confirm and write chunk by chunk); None
    when this checkout's console has no import page."""
    form = client.get("/enterprises/import")
    if form.status_code == 404:
        return None
    token = _CSRF.search(form.text)
    assert token, form.text[:300]
    started = time.perf_counter()
    answer = client.post("/enterprises/import", data={"_csrf": token.group(1)}, files={"file": ("企业.xlsx", content)})
    for _ in range(10_000):  # the check, then 确认导入 and each chunk, as a browser without JavaScript would
        if answer.status_code == 303:
            answer = client.get(answer.headers["location"])
            continue
        assert answer.status_code == 200, (answer.status_code, answer.text[:500])
        step = re.search(r'<form method="post" action="(/enterprises/import/[^"]+)"', answer.text)
        if step is None:
            break
        data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', answer.text[step.start():]))
        answer = client.post(step.group(1), data=data)
    elapsed = time.perf_counter() - started
    assert "导入完成" in answer.text, answer.text[-800:]
    return rows / elapsed


# --- a run -------------------------------------------------------------------------------------------


async def run_engine(label: str, db_url: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(20261205)
    data_dir = work / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"[{label}] inserting {args.enterprises} enterprises and {args.hazards} hazards …", flush=True)
    timings = await bulk_world(db_url, data_dir, args.enterprises, args.hazards, rng)
    print(f"[{label}] inserted in {timings['enterprises']:.0f} s + {timings['hazards']:.0f} s", flush=True)
    results: dict[str, Any] = {"label": label, "timings": timings, "pages": [], "imports": {}}
    with running_server(db_url, data_dir) as server:
        for username, who in (("bench_admin", "安委办 admin"), ("bench_dept", "department admin")):
            client = console_client(server.base_url, username)
            for name, paths in pages(random.Random(7)):
                figures = time_page(client, paths, args.requests)
                if figures is None:
                    print(f"[{label}] {who:>16} {name:<28} (no such page in this checkout)", flush=True)
                    continue
                print(f"[{label}] {who:>16} {name:<28} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms", flush=True)
                results["pages"].append([who, name, figures])
            client.close()
        if args.import_rows:
            admin = console_client(server.base_url, "bench_admin")
            results["imports"]["console"] = import_by_console(admin, xlsx_of(args.import_rows, 90_000_001), args.import_rows)
            admin.close()
            results["imports"]["api"] = import_by_api(server.base_url, xlsx_of(args.import_rows, 80_000_001), args.import_rows)
            print(f"[{label}] import of {args.import_rows} rows: {results['imports']}", flush=True)
    return results


def report(engines: list[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        "## Console (`bench/console.py`)", "", machine(), "",
        f"{args.enterprises:,} enterprises (six counties of 德阳市, four industries) and {args.hazards:,} hazards (two years: 90 % closed, "
        "10 % found in the last 120 days and still open, many of those overdue; 3 % major, listed) bulk-inserted into the service tables. The real server (uvicorn, one "
        f"worker) answers each page {args.requests} times, one request at a time, after three warm-ups, to users signed in through the "
        "console's login form; milliseconds of the client's wall time on loopback (the server's time plus well under a millisecond). "
        "Queries vary per request (search words, counties, pages). Goal (issue 22): p95 ≤ 300 ms. \"first\" is the first request of each "
        "page and user: the workbench's 12-month trend and an ended period's report are remembered five minutes per scope "
        "(web.console.memo), so the first request is the one that counts them.", "",
    ]
    for engine in engines:
        t = engine["timings"]
        lines += [f"### {engine['label']}", "", f"Bulk insert: enterprises {t['enterprises']:.0f} s, hazards {t['hazards']:.0f} s.", ""]
        rows = [[who, name, f"{f['first']:.0f}", f"{f['p50']:.0f}", f"{f['p95']:.0f}", f"{f['max']:.0f}", "yes" if f["p95"] <= 300 else "**no**"]
                for who, name, f in engine["pages"]]
        lines += [table(["user", "page", "first ms", "p50 ms", "p95 ms", "max ms", "p95 ≤ 300 ms"], rows), ""]
        if engine["imports"]:
            imports = engine["imports"]
            console = f"{imports['console']:.0f} rows/s" if imports.get("console") else "no console import in this checkout"
            lines += [f"Import of {args.import_rows:,} new enterprises from one XLSX file: console (check every row, then write in chunks) "
                      f"{console}; `POST /api/v1/enterprises/import` {imports['api']:.0f} rows/s.", ""]
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-dsn", default=None)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    engines = []
    work = Path(tempfile.mkdtemp(prefix="anjian-bench-console-"))
    try:
        if args.only != "postgresql":
            engines.append(await run_engine("SQLite", f"sqlite+aiosqlite:///{work / 'sqlite' / 'anjian.db'}", work / "sqlite", args))
        dsn = pg_dsn(args.pg_dsn)
        if dsn and args.only != "sqlite":
            url, name = await create_pg_database(dsn, "anjian_bench_console")
            try:
                engines.append(await run_engine("PostgreSQL", url, work / "pg", args))
            finally:
                await drop_pg_database(dsn, name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(engines, args)
    print(text)
    if not args.no_write:
        write_section("console", text)


if __name__ == "__main__":
    asyncio.run(main())
