"""报表 in a real browser (Debian's Chromium): the 安委办 reads the workbench's charts, opens 报表 —
last month's 月调度 — reads its chart against its table, downloads the XLSX (the API's figures,
named in Chinese), then narrows the report to one county. Screenshots at 1280×800 and 800×1280."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tests.conftest import valid_uscc
from tests.web.conftest import new_context
from tests.web.console.conftest import DESKTOP, ConsoleServer, ConsoleShots
from tests.web.console.test_console_browser import _errors, _sign_in

pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")


def _last_month() -> str:
    first = datetime.now(ZoneInfo("Asia/Shanghai")).date().replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def _seed_last_month(server: ConsoleServer, month: str) -> None:
    """A second county (旌阳区) with a hazard, and one inspection in each county last month."""
    with server.api() as api:
        other = api.post("/api/v1/enterprises", json={"name": "德阳市旌湖化工有限公司", "uscc": valid_uscc("510603"), "region_code": "510603",
                                                       "industries": ["hazchem"], "scale": "small_micro"})
        assert other.status_code == 201, other.text
        hazard = api.post("/api/v1/hazards", json={"enterprise_id": other.json()["id"], "level": "general", "description": "甲类仓库防爆灯具损坏"})
        assert hazard.status_code == 201, hazard.text
        for enterprise_id in (server.world.enterprise_id, other.json()["id"]):
            made = api.post("/api/v1/inspections", json={"enterprise_id": enterprise_id, "inspected_at": f"{month}-15T10:00:00+08:00"})
            assert made.status_code in (200, 201), made.text


def _xlsx(content: bytes) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def test_the_safety_office_reads_last_months_dispatch_and_downloads_it(browser, console_server: ConsoleServer, console_shots: ConsoleShots, tmp_path) -> None:  # type: ignore[no-untyped-def]
    month = _last_month()
    _seed_last_month(console_server, month)
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    errors = _errors(page)
    _sign_in(page, console_server, "root")

    # the workbench's charts: open hazards by county (广汉市 and 旌阳区), each bar a link to its list
    region_chart = page.locator("[data-breakdown=by_region] svg")
    assert region_chart.locator("rect").count() == 2
    assert page.locator("[data-breakdown=by_status] svg rect").count() == 4
    console_shots(page, "workbench-charts", full_page=True)
    page.locator("[data-breakdown=by_region] svg a").first.click()
    page.wait_for_url("**/hazards?open=1&region_code=510681")
    assert "共 3 条" in page.inner_text("main")  # the three open hazards of 广汉市, as its bar counts

    # 报表: last month's 月调度 by default
    page.click("nav.aj-nav >> text=报表")
    page.wait_for_url("**/reports")
    assert page.inner_text("#report-title") == f"月调度 {month}"
    with console_server.api() as api:
        expected = api.get("/api/v1/reports/period", params={"period": month}).json()
        api_xlsx = api.get("/api/v1/reports/period", params={"period": month, "format": "xlsx"}).content
    rows = {r["region_code"]: r for r in expected["rows"]}
    assert set(rows) == {"510681", "510603", "total"} and rows["total"]["inspections"] == 2
    # the chart reads as the table: each bar's title names its region, series and figure
    titles = page.locator("#report-chart rect title").all_text_contents()
    for code in ("510681", "510603"):
        name = rows[code]["region"]
        for key, label in (("found", "新发现隐患"), ("closed", "销号隐患"), ("open_at_end", "期末未销号"), ("overdue_at_end", "期末逾期")):
            assert f"{name} {label} {rows[code][key]}" in titles, (name, label, titles)
        cell = page.locator(f"tr[data-row='{code}'] td[data-col=inspections]")
        assert cell.inner_text() == str(rows[code]["inspections"]) == "1"
    assert page.locator("tr.total td[data-col=open_at_end]").inner_text() == str(rows["total"]["open_at_end"])
    console_shots(page, "dispatch", full_page=True)

    # the XLSX download: the API's workbook, named 月调度 YYYY-MM.xlsx
    with page.expect_download() as download:
        page.click("[data-download=xlsx]")
    saved = tmp_path / "dispatch.xlsx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"月调度 {month}.xlsx"
    assert _xlsx(saved.read_bytes()) == _xlsx(api_xlsx)
    assert _xlsx(saved.read_bytes())[0][0] == f"月调度 {month}"

    # narrowed to one county, through the form (no script needed)
    page.fill("input[name=region_code]", "510603")
    page.click("button:has-text('生成报表')")
    page.wait_for_url(re.compile(r"/reports/period\?.*region_code=510603"))
    assert "旌阳区" in page.inner_text("#report-title") or "510603" in page.inner_text("#report-title")
    assert page.locator("tr[data-row]").count() == 2  # 旌阳区 and 合计
    # a month that does not exist: told beside the form, nothing else shown
    page.fill("input[name=region_code]", "51060")
    page.click("button:has-text('生成报表')")
    assert "行政区划代码应为6位或9位数字" in page.inner_text("#report-error")
    console_shots(page, "dispatch-refused")
    page.goto(f"{console_server.base}/reports/plan-coverage")
    page.goto(f"{console_server.base}/reports/hazards?by=region")
    assert page.locator("#report-chart rect").count() == 4  # 隐患总数 and 未销号 for two counties
    console_shots(page, "hazards-by-region", full_page=True)
    assert [e for e in errors if "status of 400" not in e] == [], errors  # the refused form is a 400 page on purpose
    context.close()
