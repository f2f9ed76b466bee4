"""An enterprise's dual prevention at a large enterprise's size, and the public 安全码 page under a crowd (issue 23).

One 工贸 enterprise builds a register of ``--points`` risk points with ``--controls`` controls each
(500 × 4 = 2,000) through the API, places them on a 3,000 × 2,000 px plant plan, then:

* generates its 隐患排查清单 (first run: publishes one list per level; second run: nothing changed);
* draws its 四色分布图 as SVG and PNG, and prints the 岗位风险告知卡 PDF of every post;

each timed as the client's wall time (seconds). Then ``--scanners`` phones open the enterprise's
public 安全码 page at once, ``--rounds`` times each (the page is kept a minute in the server), and
the same crowd opens ``--scanners`` different risk points' pages (each counted once): latency p50 /
p95 / p99 on SQLite, the embedded default.

    .venv/bin/python bench/dual_prevention.py [--points 500] [--controls 4] [--scanners 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PASSWORD, machine, percentile, running_server, settings_for, table, write_section  # noqa: E402

KINDS = ("engineering", "management", "training", "ppe", "emergency")
LEVELS = ("post", "team", "workshop", "company")
LEC = [(3, 6, 7), (6, 6, 15), (1, 6, 7), (10, 6, 15), (3, 3, 3)]


async def seed(db_url: str, data_dir: Path) -> str:
    """The admin and one 工贸 enterprise, through the services (migrating first)."""
    from core.access.scope import Principal
    from core.access.user_service import create_user
    from core.access.wire import UserIn
    from core.bootstrap import prepare_database
    from core.enterprises.service import create_enterprise
    from core.enterprises.uscc import make_uscc
    from core.enterprises.wire import EnterpriseIn
    from core.storage.audit_log import SYSTEM
    from server import build_context

    ctx = build_context(settings_for(db_url, data_dir))
    try:
        await prepare_database(ctx.db)
        admin = await create_user(ctx, SYSTEM, UserIn(username="bench_admin", password=PASSWORD, role="admin"))  # type: ignore[arg-type]
        principal = Principal(user_id=admin.id, username="bench_admin", role="admin")
        firm = await create_enterprise(ctx, principal, EnterpriseIn(
            name="德阳重型机械制造有限公司", uscc=make_uscc("9", "1", "510681", "77000001"), region_code="510681",  # type: ignore[arg-type]
            industries=["industrial_trade"], scale="large_medium", sectors=["machinery"], production_kind="production",  # type: ignore[arg-type]
        ))
        return firm.id
    finally:
        await ctx.db.dispose()


def plan_png() -> bytes:
    image = Image.new("RGB", (3000, 2000), (235, 238, 242))
    draw = ImageDraw.Draw(image)
    for x in range(0, 3000, 300):
        for y in range(0, 2000, 250):
            draw.rectangle((x + 20, y + 20, x + 260, y + 210), outline=(90, 90, 90), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def point(n: int, controls: int, rng: random.Random) -> dict[str, Any]:
    l, e, c = LEC[n % len(LEC)]
    return {
        "name": f"{n // 20 + 1}号车间第{n % 20 + 1}工位", "kind": ("place", "facility", "operation", "post")[n % 4],
        "location": f"{n // 20 + 1}号车间", "posts": [f"岗位{n % 40 + 1}"], "hazard_factors": ["21", "2201", "12"],
        "accident_types": ["machinery", "electric_shock", "fire"], "assessment": {"method": "lec", "inputs": {"l": l, "e": e, "c": c}},
        "controls": [{
            "kind": KINDS[k % 5], "text": f"第{k + 1}项管控措施：按操作规程检查防护装置、接地和消防器材完好（工位{n + 1}）",
            "level": LEVELS[(k + n) % 4], "responsible_post": f"岗位{n % 40 + 1}", "responsible_person": f"员工{n % 97}",
        } for k in range(controls)],
        "plan_x": rng.uniform(0.02, 0.98), "plan_y": rng.uniform(0.02, 0.98), "emergency_contact": "应急值班电话 0838-5550000",
    }


def timed(client: httpx.Client, method: str, path: str, **kwargs: Any) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    response = client.request(method, path, **kwargs)
    elapsed = time.perf_counter() - start
    assert response.status_code < 300, (path, response.status_code, response.text[:300])
    return elapsed, response


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str) -> int:
    """One GET on a kept-alive connection; the status. A few lines of HTTP/1.1 instead of an HTTP
    client library: 200 httpx connections in one process spent more CPU than the server did, and
    the figures were the client's, not the page's."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\nUser-Agent: anjian-bench\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status


async def crowd(base_url: str, paths: list[str], scanners: int, rounds: int) -> dict[str, float]:
    """``scanners`` phones at once, each on its own connection opening its path ``rounds`` times;
    latency in ms."""
    host, port = base_url.split("//", 1)[1].split(":")
    latencies: list[float] = []

    async def scan(path: str) -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for _ in range(rounds):
                start = time.perf_counter()
                status = await _get(reader, writer, f"{host}:{port}", path)
                latencies.append((time.perf_counter() - start) * 1000)
                assert status == 200, status
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(scan(paths[i % len(paths)]) for i in range(scanners)))
    wall = time.perf_counter() - start
    return {"requests": len(latencies), "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99), "per_s": len(latencies) / wall}


def run(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="anjian-bench-dp-"))
    rng = random.Random(20261205)
    try:
        data_dir = work / "data"
        data_dir.mkdir()
        db_url = f"sqlite+aiosqlite:///{work / 'anjian.db'}"
        firm = asyncio.run(seed(db_url, data_dir))
        os.environ["ANJIAN_PUBLIC_RATE_LIMIT"] = str(args.scanners * args.rounds * 10)  # one address plays the whole crowd
        figures: dict[str, Any] = {}
        with running_server(db_url, data_dir) as server, httpx.Client(base_url=server.base_url, timeout=600) as client:
            token = client.post("/api/v1/auth/login", json={"username": "bench_admin", "password": PASSWORD}).json()["access_token"]
            client.headers["Authorization"] = f"Bearer {token}"
            start = time.perf_counter()
            ids = [timed(client, "POST", f"/api/v1/enterprises/{firm}/risk-register/points", json=point(n, args.controls, rng))[1].json()["id"] for n in range(args.points)]
            figures["register"] = time.perf_counter() - start
            timed(client, "PUT", f"/api/v1/enterprises/{firm}/risk-register/plant-plan", content=plan_png(), headers={"content-type": "image/png"})
            figures["generate_first"], generated = timed(client, "POST", f"/api/v1/enterprises/{firm}/check-lists/generate")
            figures["generate_again"], _ = timed(client, "POST", f"/api/v1/enterprises/{firm}/check-lists/generate")
            figures["generated"] = generated.json()
            figures["svg"], svg = timed(client, "GET", f"/api/v1/enterprises/{firm}/four-colour-map.svg")
            figures["png"], png = timed(client, "GET", f"/api/v1/enterprises/{firm}/four-colour-map.png")
            figures["cards"], cards = timed(client, "GET", f"/api/v1/enterprises/{firm}/risk-notice-cards.pdf")
            figures["sizes"] = {"svg": len(svg.content), "png": len(png.content), "cards": len(cards.content)}
            enterprise_code = client.get(f"/api/v1/enterprises/{firm}/safety-code").json()["path"]
            point_codes = [client.get(f"/api/v1/risk-points/{i}/safety-code").json()["path"] for i in ids[: args.scanners]]
            figures["one_page"] = asyncio.run(crowd(server.base_url, [enterprise_code], args.scanners, args.rounds))
            figures["many_pages"] = asyncio.run(crowd(server.base_url, point_codes, args.scanners, 1))
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(figures: dict[str, Any], args: argparse.Namespace) -> str:
    lists = figures["generated"]
    published = len(lists.get("published", [])) if isinstance(lists, dict) else "?"
    rows = [
        ["register: create points one by one through the API", f"{figures['register']:.1f}"],
        [f"generate check lists, first run ({published} lists published)", f"{figures['generate_first']:.2f}"],
        ["generate check lists again (nothing changed)", f"{figures['generate_again']:.2f}"],
        [f"四色分布图 SVG ({figures['sizes']['svg'] / 1024:,.0f} KB, plan embedded)", f"{figures['svg']:.2f}"],
        [f"四色分布图 PNG ({figures['sizes']['png'] / 1024:,.0f} KB)", f"{figures['png']:.2f}"],
        [f"岗位风险告知卡 PDF, every post ({figures['sizes']['cards'] / 1024:,.0f} KB, a QR code per point)", f"{figures['cards']:.2f}"],
    ]
    crowd_rows = [[name, f["requests"], f"{f['p50']:.0f}", f"{f['p95']:.0f}", f"{f['p99']:.0f}", f"{f['per_s']:.0f}"]
                  for name, f in (("one enterprise's page (kept a minute)", figures["one_page"]), (f"{args.scanners} different risk points' pages", figures["many_pages"]))]
    return "\n".join([
        "## Dual prevention (`bench/dual_prevention.py`)", "", machine(), "",
        f"One 工贸 enterprise with {args.points} risk points × {args.controls} controls ({args.points * args.controls:,}), placed on a 3,000 × 2,000 px "
        "plant plan, on SQLite (the embedded default); the real server (uvicorn, one worker); seconds of the client's wall time.", "",
        table(["step", "seconds"], rows), "",
        f"Public 安全码 page: {args.scanners} clients at once (one loopback address, rate limit raised for the run); milliseconds per request.", "",
        table(["pages", "requests", "p50 ms", "p95 ms", "p99 ms", "pages/s"], crowd_rows), "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=500)
    parser.add_argument("--controls", type=int, default=4)
    parser.add_argument("--scanners", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    figures = run(args)
    text = report(figures, args)
    print(text)
    if not args.no_write:
        write_section("dual_prevention", text)


if __name__ == "__main__":
    main()
