"""报表 pages (web/console/pages/reports.py) and the workbench's breakdown charts: each page's figures
are the report API's for the same query and scope, its downloads are the API's CSV / XLSX with a
Chinese file name, bad input is shown beside the form with a 400, enterprise users get the 403
page, and every bar of the workbench counts what ``GET /api/v1/hazards`` counts for its filters."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from core.access.scope import Principal
from core.errors import InvalidInput
from core.reports.narrowed import check_narrowing, narrowed_period_report
from core.reports.periodic import period_report
from core.reports.periods import parse_period
from tests.conftest import Api
from tests.reliability.world import IN_INDUSTRY, IN_REGION, OUT_REGION, ROLES, World, build_world
from tests.web.console.conftest import ConsoleUser, sign_in
from web.console.chart import Bar, bars_svg

PERIOD = "2026-03"  # the test clock's month (tests/conftest.py): the world's hazards and inspections are in it
STAFF = [role for role in ROLES if role != "enterprise_user"]


class _Cells(HTMLParser):
    """The report table's numeric cells: {row id: {column: raw value}}."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self._row = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "tr" and "data-row" in values:
            self._row = values["data-row"] or ""
            self.rows[self._row] = {}
        if tag == "td" and "data-value" in values:
            self.rows[self._row][values["data-col"] or ""] = values["data-value"] or ""


def cells_of(html: str) -> dict[str, dict[str, str]]:
    parser = _Cells()
    parser.feed(html)
    return parser.rows


def numeric_rows(table: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The API JSON's rows as the page writes their numbers (ids in hidden columns left out)."""
    first = table["columns"][0]["key"]
    shown = {c["key"] for c in table["columns"]} - {"key", "plan_id", "inspector_id", "hazard_id"}
    return {
        str(row[first]): {k: str(v) for k, v in row.items() if k in shown and isinstance(v, (int, float)) and not isinstance(v, bool)}
        for row in table["rows"]
    }


async def _world_and_users(api: Api) -> tuple[World, dict[str, ConsoleUser]]:
    world = await build_world(api)
    return world, {role: await sign_in(api.client, world.usernames[role]) for role in ROLES}


async def _api(world: World, role: str, path: str, **params: Any) -> Any:
    response = await world.api.client.get(path, params=params, headers=world.headers[role])
    assert response.status_code == 200, response.text
    return response


# ---- figures equal the API's -----------------------------------------------------------------------

REPORTS = [
    ("/reports/period", "/api/v1/reports/period", {"period": PERIOD}),
    ("/reports/period", "/api/v1/reports/period", {"period": "2026-Q1"}),
    ("/reports/period", "/api/v1/reports/period", {"from": "2026-02-15", "to": "2026-03-31"}),
    ("/reports/hazards", "/api/v1/reports/hazards", {"by": "region"}),
    ("/reports/hazards", "/api/v1/reports/hazards", {"by": "industry", "year": "2026"}),
    ("/reports/hazards", "/api/v1/reports/hazards", {"by": "level"}),
    ("/reports/hazards", "/api/v1/reports/hazards", {"by": "status"}),
    ("/reports/inspections", "/api/v1/reports/inspections/by-month", {"by": "month", "year": "2026"}),
    ("/reports/inspections", "/api/v1/reports/inspections/by-inspector", {"by": "inspector", "year": "2026"}),
    ("/reports/plan-coverage", "/api/v1/reports/plan-coverage", {"year": "2026"}),
    ("/reports/listed", "/api/v1/reports/listed-supervision", {}),
]


def _api_params(api_path: str, query: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in query.items() if not (k == "by" and "inspections" in api_path)}


async def test_every_report_page_shows_the_apis_figures_for_every_staff_role(api: Api) -> None:
    world, users = await _world_and_users(api)
    for role in STAFF:
        for page_path, api_path, query in REPORTS:
            page = await users[role].get(page_path, params=query)
            assert page.status_code == 200, (role, page_path, query, page.text[:300])
            expected = numeric_rows((await _api(world, role, api_path, **_api_params(api_path, query))).json())
            assert cells_of(page.text) == expected, (role, page_path, query)
    # the figures are not vacuous: the inside hazards and inspection are counted for an inside viewer
    period = (await _api(world, "viewer", "/api/v1/reports/period", period=PERIOD)).json()
    total = period["rows"][-1]
    assert total["region"] == "合计" and total["found"] >= 2 and total["inspections"] >= 1
    page = await users["viewer"].get("/reports/period", params={"period": PERIOD})
    assert cells_of(page.text)["total"]["found"] == str(total["found"])
    assert OUT_REGION not in page.text and "锦江区" not in page.text


async def test_reports_opens_last_months_dispatch_with_its_form_and_chart(api: Api) -> None:
    world, users = await _world_and_users(api)
    page = await users["admin"].get("/reports")
    assert page.status_code == 200
    assert "月调度 2026-02" in page.text and "2026-02-01 至 2026-02-28" in page.text
    assert 'value="2026-02"' in page.text and 'name="shape" value="month" checked' in page.text
    march = await users["admin"].get("/reports/period", params={"shape": "month", "month": PERIOD})
    assert "月调度 2026-03" in march.text
    svg = re.search(r'<svg class="aj-chart bars" id="report-chart".*?</svg>', march.text, re.S)
    assert svg, "the report has its chart"
    regions = [key for key in cells_of(march.text) if key != "total"]
    assert len(re.findall(r"<rect ", svg.group(0))) == 4 * len(regions) >= 8  # found, closed, open and overdue at the end, per region
    assert 'href="/reports/period?period=2026-03&amp;format=xlsx"' in march.text
    quarter = await users["admin"].get("/reports/period", params={"shape": "quarter", "quarter": "2026-Q1"})
    assert "季通报 2026-Q1" in quarter.text and "2026-01-01 至 2026-03-31" in quarter.text


async def test_a_stored_dispatch_shows_the_apis_cells_of_the_readers_scope(api: Api) -> None:
    world, users = await _world_and_users(api)
    path = f"/reports/snapshots/{world.snapshot_id}"
    for role in STAFF:
        page = await users[role].get(path)
        assert page.status_code == 200 and "已存档" in page.text, role
        expected = (await _api(world, role, f"/api/v1/reports/snapshots/{world.snapshot_id}")).json()
        assert cells_of(page.text) == numeric_rows(expected), role
        csv = await users[role].get(path, params={"format": "csv"})
        assert csv.content == (await _api(world, role, f"/api/v1/reports/snapshots/{world.snapshot_id}", format="csv")).content
    listing = await users["viewer"].get("/reports")
    assert f'href="{path}"' in listing.text
    for missing in ("/reports/snapshots/00000000-0000-4000-8000-000000000000", "/reports/snapshots/not-an-id"):
        page = await users["admin"].get(missing)
        assert page.status_code == 404 and "页面不存在或无权访问" in page.text
    assert (await users["enterprise_user"].get(path)).status_code == 403


# ---- downloads ----------------------------------------------------------------------------------------

def _xlsx_rows(content: bytes) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("page_path, api_path, query", REPORTS[:1] + REPORTS[3:4] + REPORTS[7:])
async def test_downloads_are_the_apis_csv_and_xlsx_with_a_chinese_file_name(api: Api, page_path: str, api_path: str, query: dict[str, str]) -> None:
    world, users = await _world_and_users(api)
    for role in ("admin", "department_admin"):
        csv_page = await users[role].get(page_path, params={**query, "format": "csv"})
        csv_api = await _api(world, role, api_path, **_api_params(api_path, query), format="csv")
        assert csv_page.status_code == 200 and csv_page.headers["content-type"].startswith("text/csv")
        assert csv_page.content == csv_api.content and csv_page.content.startswith("\ufeff".encode())
        xlsx_page = await users[role].get(page_path, params={**query, "format": "xlsx"})
        xlsx_api = await _api(world, role, api_path, **_api_params(api_path, query), format="xlsx")
        assert xlsx_page.headers["content-type"] == xlsx_api.headers["content-type"]
        assert _xlsx_rows(xlsx_page.content) == _xlsx_rows(xlsx_api.content)
        title = _xlsx_rows(xlsx_page.content)[0][0]
        disposition = xlsx_page.headers["content-disposition"]
        ascii_name = re.search(r'filename="([^"]+)"', disposition)
        utf8_name = re.search(r"filename\*=UTF-8''(\S+)", disposition)
        assert ascii_name and ascii_name.group(1).isascii() and ascii_name.group(1).endswith(".xlsx")
        assert utf8_name and unquote(utf8_name.group(1)) == f"{title}.xlsx"


async def test_a_narrowed_dispatch_keeps_to_the_chosen_region_and_industry(api: Api) -> None:
    world, users = await _world_and_users(api)
    page = await users["admin"].get("/reports/period", params={"period": PERIOD, "region_code": IN_REGION})
    rows = cells_of(page.text)
    assert set(rows) == {IN_REGION, "total"}, rows
    whole = numeric_rows((await _api(world, "admin", "/api/v1/reports/period", period=PERIOD)).json())
    assert rows[IN_REGION] == whole[IN_REGION] and rows["total"] == {k: v for k, v in whole[IN_REGION].items()}
    by_industry = cells_of((await users["admin"].get("/reports/period", params={"period": PERIOD, "industry": IN_INDUSTRY})).text)
    assert set(by_industry) == {IN_REGION, "total"}
    download = await users["admin"].get("/reports/period", params={"period": PERIOD, "region_code": IN_REGION, "format": "csv"})
    lines = download.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[1].startswith(IN_REGION) and lines[2].startswith("total")
    assert "%E5%B9%BF%E6%B1%89" in download.headers["content-disposition"] or IN_REGION in unquote(download.headers["content-disposition"])


# ---- refused input ---------------------------------------------------------------------------------------

BAD = [
    ("/reports/period", {"shape": "month", "month": "2026-13"}, "month", "不是有效的统计周期"),
    ("/reports/period", {"shape": "month", "month": ""}, "month", "请选择月份"),
    ("/reports/period", {"shape": "quarter", "quarter": "2026-Q5"}, "quarter", "不是有效的统计周期"),
    ("/reports/period", {"shape": "quarter", "quarter": "2026-11"}, "quarter", "季度写作"),
    ("/reports/period", {"shape": "range", "from": "2026-03-10", "to": "2026-03-01"}, "to", "不能早于开始日期"),
    ("/reports/period", {"shape": "range", "from": "2026-02-30", "to": "2026-03-01"}, "from", "不是有效日期"),
    ("/reports/period", {"shape": "week"}, "shape", "统计周期只能"),
    ("/reports/period", {"period": "2026-11", "from": "2026-01-01"}, "period", "请只给出"),
    ("/reports/period", {"period": PERIOD, "region_code": "51x"}, "region_code", "6位或9位"),
    ("/reports/period", {"period": PERIOD, "industry": "bakery"}, "industry", "未知的行业"),
    ("/reports/period", {"period": PERIOD, "format": "pdf"}, "format", "csv 或 xlsx"),
    ("/reports/hazards", {"by": "colour"}, "by", "分组方式"),
    ("/reports/hazards", {"year": "1999"}, "year", "年份"),
    ("/reports/inspections", {"by": "day"}, "by", "统计方式"),
    ("/reports/inspections", {"year": "二〇二六"}, "year", "年份"),
    ("/reports/plan-coverage", {"year": "20261"}, "year", "年份"),
    ("/reports/listed", {"format": "docx"}, "format", "csv 或 xlsx"),
]


@pytest.mark.parametrize("path, query, field, message", BAD)
async def test_bad_input_is_shown_beside_the_form_with_400(api: Api, path: str, query: dict[str, str], field: str, message: str) -> None:
    await api.user("root", "admin")
    user = await sign_in(api.client, "root")
    page = await user.get(path, params=query)
    assert page.status_code == 400, page.text[:300]
    assert f'data-field="{field}"' in page.text and message in page.text
    assert "<form" in page.text or path == "/reports/listed"
    if path != "/reports/listed":
        assert re.search(rf'name="{re.escape(field)}"[^>]*aria-invalid="true"', page.text) or field in ("period", "format", "shape"), field


async def test_a_region_or_industry_outside_the_scope_is_refused_not_counted(api: Api) -> None:
    world, users = await _world_and_users(api)
    for query, field in (({"region_code": OUT_REGION}, "region_code"), ({"region_code": "510000"}, "region_code"), ({"industry": "construction"}, "industry")):
        page = await users["department_admin"].get("/reports/period", params={"period": PERIOD, **query})
        assert page.status_code == 400 and f'data-field="{field}"' in page.text and "不在您的管辖范围内" in page.text
        assert 'data-row=' not in page.text
    inside = await users["department_admin"].get("/reports/period", params={"period": PERIOD, "region_code": IN_REGION})
    assert inside.status_code == 200 and set(cells_of(inside.text)) == {IN_REGION, "total"}


async def test_enterprise_users_get_the_403_page_and_no_download(api: Api) -> None:
    world, users = await _world_and_users(api)
    for path in ("/reports", "/reports/period?period=2026-03&format=xlsx", "/reports/hazards", "/reports/inspections", "/reports/plan-coverage", "/reports/listed?format=csv"):
        page = await users["enterprise_user"].get(path)
        assert page.status_code == 403 and "无权执行此操作" in page.text, path
    workbench = await users["enterprise_user"].get("/")
    assert 'href="/reports"' not in workbench.text


async def test_reports_are_read_only_a_post_is_refused(api: Api) -> None:
    await api.user("root", "admin")
    user = await sign_in(api.client, "root")
    for path in ("/reports", "/reports/period", "/reports/listed"):  # no form changes anything here: no POST route at all
        assert (await user.post(path, {})).status_code == 405
        assert (await user.post(path, {}, token=None)).status_code == 405


# ---- the services under the pages ------------------------------------------------------------------------

async def test_narrowed_period_report_is_the_period_report_without_a_narrowing(api: Api) -> None:
    world = await build_world(api)
    ctx = api.ctx
    admin = Principal(user_id=world.user_ids["admin"], username="matrix_admin", role="admin")
    period = parse_period(PERIOD)
    assert (await narrowed_period_report(ctx, admin, period)).rows == (await period_report(ctx, admin, period)).rows
    narrowed = await narrowed_period_report(ctx, admin, period, region_code=IN_REGION, industry=IN_INDUSTRY)
    assert [r["region_code"] for r in narrowed.rows] == [IN_REGION, "total"] and "广汉市" in narrowed.title or IN_REGION in narrowed.title
    viewer = Principal(user_id="v", username="v", role="viewer", region_code=IN_REGION, industries=(IN_INDUSTRY,))
    for region, industry in ((OUT_REGION, None), ("510600", None), (None, "construction"), ("5106811", None), (None, "nothing")):
        with pytest.raises(InvalidInput):
            check_narrowing(viewer, region, industry)
    check_narrowing(viewer, IN_REGION + "001", IN_INDUSTRY)  # a township below the scope is inside it


def test_bars_are_scaled_titled_and_linked() -> None:
    svg = str(bars_svg([Bar("广汉市", (8.0, 2.0), "/hazards?open=1&region_code=510681"), Bar("<b>", (0.0, 1.0))],
                       chart_id="c", title="测试", series=("登记", "销号")))
    assert svg.count("<rect ") == 4 and "<title>广汉市 登记 8</title>" in svg and "&lt;b&gt;" in svg and "<b>" not in svg
    assert 'href="/hazards?open=1&amp;region_code=510681"' in svg
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(4 * widths[1]) and widths[2] == 0.0  # 8 vs 2 on one axis
    rates = str(bars_svg([Bar("计划", (0.5,))], chart_id="r", title="覆盖率", percent=True))
    assert "50.0%" in rates and "100.0%" in rates


# ---- the workbench's breakdowns -------------------------------------------------------------------------

_SLICE = re.compile(r'data-slice="(\w+):([\w]+)">(\d+)<')
OPEN = ("reported", "rectifying", "awaiting_recheck")


async def _total(world: World, role: str, **query: str) -> int:
    return int((await _api(world, role, "/api/v1/hazards", page_size=1, **query)).json()["total"])


async def test_workbench_breakdowns_equal_the_apis_scoped_counts(api: Api) -> None:
    world, users = await _world_and_users(api)
    for role in STAFF:
        page = await users[role].get("/")
        slices: dict[str, dict[str, int]] = {}
        for chart, key, count in _SLICE.findall(page.text):
            slices.setdefault(chart, {})[key] = int(count)
        assert set(slices) == {"by_status", "by_level", "by_region", "by_industry"}, (role, slices)
        for status, count in slices["by_status"].items():
            assert count == await _total(world, role, status=status), (role, status)
        for level, count in slices["by_level"].items():
            assert count == sum([await _total(world, role, level=level, status=s) for s in OPEN]), (role, level)
        for code, count in slices["by_region"].items():
            assert count == sum([await _total(world, role, region_code=code, status=s) for s in OPEN]), (role, code)
        for industry, count in slices["by_industry"].items():
            assert count == sum([await _total(world, role, industry=industry, status=s) for s in OPEN]), (role, industry)
        open_total = sum([await _total(world, role, status=s) for s in OPEN])
        assert sum(slices["by_level"].values()) == sum(slices["by_region"].values()) == open_total >= 1, role
        assert sum(slices["by_status"].values()) == await _total(world, role)
        if role != "admin":
            assert set(slices["by_industry"]) == {IN_INDUSTRY} and OUT_REGION not in slices["by_region"], role
    admin = await users["admin"].get("/")
    regions = {key for chart, key, _ in _SLICE.findall(admin.text) if chart == "by_region"}
    assert regions == {"510600", "510100"}  # both sides lie in 四川: the admin sees its cities, not one bar for the province
    department = {key for chart, key, _ in _SLICE.findall((await users["department_admin"].get("/")).text) if chart == "by_region"}
    assert department == {IN_REGION}  # a city's children are its counties
    assert admin.text.count('<svg class="aj-chart bars"') == 4
