"""The field app in headless Chromium against a real server (not a test; figures into RESULTS.md).

For each size (default 10,000 and 100,000 enterprises in the inspector's scope):

- first sync into IndexedDB: seconds from the login tap until the pull is stored (the page's own
  clock: the tap and the sync engine's end), and what the browser then keeps
  (``navigator.storage.estimate().usage``), beside the Python reference client's pull
  (``sync.client.TabletClient``, SQLite state file) of the same data in the same run; where the
  app's time went (the engine's ``timings``: login until the sync starts, waiting for pages the
  server has not answered yet, writing pages into IndexedDB — the next page is fetched meanwhile);
- search among the pulled enterprises: the first search (reads them from IndexedDB and builds the
  in-memory index) and the median of 20 further searches;
- opening a 120-item checklist (``bench.common.bench_checklist``): the inspection screen's own
  render time and the time from the tap to the screen being ready;
- (first size only) sending 200 queued submissions, each with its own photo: push of the outbox,
  then the photo uploads, submissions/s.

    .venv/bin/python bench/field_app.py [--enterprises 10000,100000] [--no-write]

Needs Chromium (/usr/bin/chromium) and playwright (the ``test`` extra).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from bench.common import (  # noqa: E402
    INDUSTRY,
    PASSWORD,
    REGION,
    World,
    bench_checklist,
    machine,
    running_server,
    settings_for,
    submission,
    table,
    write_section,
)
from bench.pull import seed  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
STORE = "(await import('./js/session.js')).app"


async def prepare(db_url: str, data_dir: Path, enterprises: int) -> None:
    from core.access.user_service import create_user
    from core.access.wire import UserIn
    from core.bootstrap import prepare_database
    from core.storage.audit_log import SYSTEM
    from server import build_context

    ctx = build_context(settings_for(db_url, data_dir))
    try:
        await prepare_database(ctx.db)
        await seed(ctx, enterprises, 1)  # + the 120-item checklist hazchem.bench00
        for name in ("insp_app", "insp_ref"):
            await create_user(ctx, SYSTEM, UserIn(username=name, password=PASSWORD, role="inspector", region_code=REGION, industries=[INDUSTRY]))  # type: ignore[arg-type]
    finally:
        await ctx.db.dispose()


async def reference_pull(base_url: str, work: Path) -> dict[str, float]:
    from sync.client.outbox import LocalStore
    from sync.client.tablet import TabletClient

    state = work / "reference.db"
    store = LocalStore(state)
    async with httpx.AsyncClient(base_url=base_url, timeout=300) as http:
        client = TabletClient(store, http)
        start = time.perf_counter()
        await client.login("insp_ref", PASSWORD)
        items = await client.pull()
        seconds = time.perf_counter() - start
    store.close()
    size = sum(p.stat().st_size for p in work.glob("reference.db*"))
    return {"seconds": seconds, "items": items, "mib": size / 2**20}


def browser_run(base_url: str, enterprises: int, send: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", timezone_id="Asia/Shanghai")
        page = context.new_page()
        page.goto(f"{base_url}/app/")
        page.wait_for_selector("aj-login")
        page.fill("input[name=username]", "insp_app")
        page.fill("input[name=password]", PASSWORD)
        tap = page.evaluate("performance.now()")
        page.click("[data-submit]")
        done = f"async () => {{ const app = {STORE}; return !!app.store && !app.engine?.phase && !!(await app.store.get('last_sync')); }}"
        while not page.evaluate(done):  # (wait_for_function does not await a promise)
            page.wait_for_timeout(50)
        timings = page.evaluate(f"async () => ({{ ...({STORE}).engine.timings }})")
        out["sync_s"] = (timings["started"] + timings["total_ms"] - tap) / 1000
        out["login_s"] = (timings["started"] - tap) / 1000
        out["wait_s"] = timings["pull_wait_ms"] / 1000
        out["store_s"] = timings["pull_store_ms"] / 1000
        out["pages"] = timings["pages"]
        counts = page.evaluate(f"async () => ({STORE}).store.countEntities()")
        assert counts["enterprise"] == enterprises, counts
        out["usage_mib"] = page.evaluate("async () => (await navigator.storage.estimate()).usage") / 2**20

        out["search_first_ms"], out["search_ms"] = page.evaluate(
            """async (n) => {
              const { app } = await import('./js/session.js');
              const { searchEnterprises, invalidate } = await import('./js/logic/search.js');
              invalidate();
              let t = performance.now();
              await searchEnterprises(app.store, '第' + n + '号');
              const first = performance.now() - t;
              const times = [];
              for (let i = 0; i < 20; i += 1) {
                t = performance.now();
                const r = await searchEnterprises(app.store, ['第' + (1 + i * 997 % n) + '号', '工业园区' + (i + 1) + '号', '向阳镇 第' + i][i % 3]);
                times.push(performance.now() - t);
                if (!r.total) throw new Error('no match');
              }
              times.sort((a, b) => a - b);
              return [first, times[10]];
            }""",
            enterprises,
        )

        enterprise_id = page.evaluate(f"async () => (await ({STORE}).store.entities('enterprise'))[0].id")
        page.evaluate(f"location.hash = '#/enterprise/{enterprise_id}'")
        page.wait_for_selector("[data-checklist^='hazchem.bench00@']")
        start = time.perf_counter()
        page.click("[data-checklist^='hazchem.bench00@']")
        page.wait_for_selector("aj-inspection[data-ready='1']")
        out["open_tap_ms"] = (time.perf_counter() - start) * 1000
        out["open_render_ms"] = float(page.get_attribute("aj-inspection", "data-open-ms") or 0)
        assert page.locator("article.item").count() == 120

        if send:
            out.update(send_queued(page, enterprise_id, send))
        browser.close()
    return out


def send_queued(page: Any, enterprise_id: str, count: int) -> dict[str, float]:
    """Queue ``count`` submissions (each with a photo of its own, ~100 KB), then time their sending."""
    checklist = bench_checklist(checklist_id="hazchem.bench00")
    from checklists.canonical import content_hash

    world = World(checklist, content_hash(checklist), [enterprise_id], [])
    rng = random.Random(7)
    records = [submission(world, enterprise_id, rng) for _ in range(count)]
    page.evaluate(
        """async (records) => {
          const { app } = await import('./js/session.js');
          const { keepBlob } = await import('./js/media/photos.js');
          const canvas = document.createElement('canvas');
          canvas.width = 800; canvas.height = 600;
          const g = canvas.getContext('2d');
          for (const [i, record] of records.entries()) {
            for (let k = 0; k < 300; k += 1) { g.fillStyle = `hsl(${(i * 37 + k * 11) % 360} 70% ${30 + k % 50}%)`; g.fillRect((k * 53 + i) % 800, (k * 29) % 600, 40, 30); }
            const blob = await new Promise((r) => canvas.toBlob(r, 'image/jpeg', 0.85));
            record.photos = [await keepBlob(app.store, blob, 'photo')];
            const now = new Date().toISOString();
            await app.store.putOutbox({ id: record.id, kind: 'submission', record, state: 'waiting', label: 'bench', created_at: now, updated_at: now, attempts: 0 });
          }
        }""",
        records,
    )
    timings = page.evaluate(
        """async () => {
          const { app } = await import('./js/session.js');
          app.engine.stop();
          let t = performance.now();
          await app.engine.push();
          const push = performance.now() - t;
          t = performance.now();
          await app.engine.uploads();
          const upload = performance.now() - t;
          const counts = await app.store.countOutbox();
          return { push, upload, accepted: counts.accepted || 0, pending: (await app.store.photosWithUpload('pending')).length };
        }"""
    )
    assert timings["accepted"] == count and timings["pending"] == 0, timings
    seconds = (timings["push"] + timings["upload"]) / 1000
    return {"send_push_s": timings["push"] / 1000, "send_upload_s": timings["upload"] / 1000, "send_per_s": count / seconds, "sent": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", default="10000,100000")
    parser.add_argument("--send", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.enterprises.split(",")]
    load = os.getloadavg()[0]  # both sides of the comparison share the machine; say how busy it was
    rows = []
    for index, size in enumerate(sizes):
        with tempfile.TemporaryDirectory(prefix="anjian-field-bench-") as tmp:
            work = Path(tmp)
            db_url = f"sqlite+aiosqlite:///{work / 'anjian.db'}"
            t0 = time.perf_counter()
            asyncio.run(prepare(db_url, work, size))
            print(f"{size}: seeded in {time.perf_counter() - t0:.1f} s", flush=True)
            with running_server(db_url, work) as server:
                ref = asyncio.run(reference_pull(server.base_url, work))
                print(f"{size}: reference client pull {ref['seconds']:.1f} s, {ref['mib']:.1f} MiB", flush=True)
                app = browser_run(server.base_url, size, args.send if index == 0 else 0)
            print(f"{size}: {app}", flush=True)
            rows.append((size, ref, app))

    lines = [
        "## Field app (`bench/field_app.py`)",
        "",
        f"{machine()} · Chromium {CHROMIUM} (headless) · SQLite server, one process · load average {load:.1f} at the start.",
        "",
        "First sync of an inspector's scope into the browser (login tap → pull stored in IndexedDB) beside the Python",
        "reference client's pull of the same data in the same run (`TabletClient`, SQLite state file); search among the",
        "pulled enterprises (first search reads them from IndexedDB and builds the in-memory index; then the median of 20);",
        "opening the 120-item checklist (the screen's own render; tap → ready).",
        "",
    ]
    table_rows = []
    for size, ref, app in rows:
        table_rows.append([
            f"{size:,}", f"{app['sync_s']:.1f} s", f"{ref['seconds']:.1f} s", f"{app['sync_s'] / ref['seconds']:.2f}×",
            f"{app['login_s']:.1f} s / {app['wait_s']:.1f} s / {app['store_s']:.1f} s",
            f"{app['usage_mib']:.0f} MiB", f"{ref['mib']:.0f} MiB", f"{app['search_first_ms']:.0f} ms", f"{app['search_ms']:.1f} ms",
            f"{app['open_render_ms']:.0f} ms / {app['open_tap_ms']:.0f} ms",
        ])
    lines.append(table(
        ["enterprises", "app first sync", "reference pull", "app / reference", "app: login / waiting for the server / IndexedDB writes",
         "browser storage", "reference file", "first search", "search (median)", "open 120 items (render / tap→ready)"],
        table_rows,
    ))
    lines += ["", "The app pulls pages of 2,000 (the protocol's maximum) and writes each page in one IndexedDB transaction while the",
              "next page is being fetched; enterprises are stored 250 to a record (`web/app/js/store/enterprise-chunks.js`), since",
              "IndexedDB's cost is per record written. \"Waiting for the server\" is the time the app had nothing to write."]
    sent = [app for _, _, app in rows if app.get("sent")]
    if sent:
        s = sent[0]
        lines += ["", f"Sending {s['sent']} queued submissions (120 answers, 2 hazards and one ~100 KB photo each) from the app's outbox:",
                  f"push {s['send_push_s']:.1f} s, photo uploads {s['send_upload_s']:.1f} s — **{s['send_per_s']:.1f} submissions/s** with their photos."]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("field_app", body)


if __name__ == "__main__":
    main()
