"""企业 in a real browser (Debian's Chromium): a department admin imports an XLSX with two bad rows,
sees both listed (row, column, reason) with nothing written, fixes the file, imports it with the
progress bar reaching 100 % (htmx asks for each chunk), opens an imported enterprise and edits it.
Screenshots at 1280×800 and 800×1280 (tests/web/screenshots/console/, used by docs/console.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.conftest import PASSWORD, valid_uscc
from tests.web.conftest import new_context
from tests.web.console.conftest import DESKTOP, ConsoleServer, ConsoleShots
from tests.web.console.test_console_browser import _errors

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'").expect

ROWS = 1200  # three chunks of 500


def _workbook(path: Path, *, broken: bool) -> list[list[Any]]:
    book = Workbook()
    sheet = book.active
    sheet.append(["企业名称", "统一社会信用代码", "行政区划代码", "行业", "规模", "风险等级", "法定代表人", "地址"])
    rows = [[f"广汉市导入{i:04d}号工贸有限公司", valid_uscc(), "510681", "工贸", "小微型", "", "王强", f"广汉市金鱼镇工业园{i}号"] for i in range(ROWS)]
    rows[0][0] = "广汉市蓝天五金制品有限公司"
    if broken:
        rows[2][1] = rows[2][1][:-1] + ("1" if rows[2][1][-1] != "1" else "2")  # row 4: a wrong check character
        rows[7][3] = "养殖业"  # row 9: no such industry
    for row in rows:
        sheet.append(row)
    book.save(path)
    return rows


def test_a_department_imports_a_file_fixes_its_bad_rows_and_edits_an_imported_enterprise(  # type: ignore[no-untyped-def]
    browser, console_server: ConsoleServer, console_shots: ConsoleShots, tmp_path: Path,
) -> None:
    with console_server.api("root") as api:
        made = api.post("/api/v1/users", json={"username": "deyang", "password": PASSWORD, "role": "department_admin", "display_name": "德阳市应急管理局",
                                               "region_code": "510600", "industries": ["hazchem", "fire", "industrial_trade"]})
        assert made.status_code == 201, made.text
    before = console_server.query("SELECT count(*) FROM enterprise")[0][0]
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    errors = _errors(page)
    page.goto(f"{console_server.base}/login")
    page.fill("#username", "deyang")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{console_server.base}/")

    page.goto(f"{console_server.base}/enterprises")
    page.click("text=批量导入")
    page.wait_for_url("**/enterprises/import")
    broken = tmp_path / "企业名单.xlsx"
    _workbook(broken, broken=True)
    page.set_input_files("#f-file", str(broken))
    expect(page.locator(".chosen")).to_have_text("已选择：企业名单.xlsx")
    console_shots(page, "enterprise-import-upload")
    page.click("text=上传并检查")
    page.wait_for_load_state()
    problems = page.locator("table.import-errors tbody tr")
    expect(problems).to_have_count(2)
    assert problems.nth(0).get_attribute("data-row") == "4" and problems.nth(0).get_attribute("data-column") == "统一社会信用代码"
    assert "校验码错误" in problems.nth(0).inner_text()
    assert problems.nth(1).get_attribute("data-row") == "9" and problems.nth(1).get_attribute("data-column") == "行业"
    assert "未导入任何数据" in page.inner_text("main")
    assert console_server.query("SELECT count(*) FROM enterprise")[0][0] == before
    console_shots(page, "enterprise-import-errors", full_page=True)

    fixed = tmp_path / "企业名单-已更正.xlsx"
    rows = _workbook(fixed, broken=False)
    page.set_input_files("#f-file", str(fixed))
    page.click("text=上传并检查")
    page.wait_for_url("**/enterprises/import/*")
    assert f"检查通过：共 {ROWS} 行" in page.inner_text("main")
    console_shots(page, "enterprise-import-confirm")
    page.click("text=确认导入")
    page.wait_for_selector("#import-progress[data-done='500'], #import-progress[data-done='1000']")
    console_shots(page, "enterprise-import-progress")
    expect(page.locator("#import-progress")).to_have_attribute("data-done", str(ROWS), timeout=60_000)
    expect(page.locator("[data-figure=progress]")).to_contain_text(f"{ROWS} / {ROWS} 行（100%）")
    expect(page.locator("[data-figure=created]")).to_have_text(str(ROWS))
    assert console_server.query("SELECT count(*) FROM enterprise")[0][0] == before + ROWS
    console_shots(page, "enterprise-import-done")

    page.click("text=查看企业列表")
    page.fill("#q", "蓝天五金")
    page.locator("#q").press("Enter")
    page.wait_for_selector("tr[data-enterprise-id] >> text=广汉市蓝天五金制品有限公司")
    page.click("text=广汉市蓝天五金制品有限公司")
    page.wait_for_url("**/enterprises/*")
    assert rows[0][1] in page.inner_text("main")
    page.click("text=编辑档案")
    page.wait_for_url("**/edit")
    page.fill("#f-address", "广汉市金鱼镇工业园蓝天路8号")
    page.select_option("#f-risk", "high")
    page.check("input[name=high_risk_flags][value=dust_explosion]")
    page.fill("#f-manager", "赵安全")
    page.select_option("#f-office", "1")
    page.fill("#f-full", "1")
    page.fill("#f-part", "3")
    page.fill("#f-lng", "东经104度")
    page.click("text=保存修改")
    expect(page.locator("[data-error-field=longitude]")).to_have_text("应为数字")
    expect(page.locator("[data-error]")).to_contain_text("请更正标出的字段（经度）")
    assert console_server.query("SELECT version FROM enterprise WHERE uscc = ?", rows[0][1]) == [(1,)]
    page.evaluate("window.scrollTo(0, 0)")
    console_shots(page, "enterprise-edit-refused")
    page.fill("#f-lng", "104.27")
    page.click("text=保存修改")
    page.wait_for_url("**saved=updated")
    main = page.inner_text("main")
    assert "已保存修改（现为第 2 版）" in main and "广汉市金鱼镇工业园蓝天路8号" in main and "赵安全" in main and "专职 1 人 · 兼职 3 人" in main
    console_shots(page, "enterprise-edited")
    assert console_server.query("SELECT risk_level, version FROM enterprise WHERE uscc = ?", rows[0][1]) == [("high", 2)]
    refused = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert errors == [refused, refused], errors  # the refused file's and form's pages (400, by design); nothing blocked by the CSP
    context.close()
