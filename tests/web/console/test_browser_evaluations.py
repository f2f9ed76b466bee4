"""评估 in a real browser (Debian's Chromium): an evaluator signs in, runs the 小微型 standard for an
enterprise of 广汉市, answers its items — two findings against one rule, one item not applicable —
and reads the explanation; then re-runs the standard for the whole scope (htmx, by cursor).
Screenshots at 1280×800 and 800×1280 (tests/web/screenshots/console/)."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.web.conftest import new_context
from tests.web.console.conftest import DESKTOP, ConsoleServer, ConsoleShots
from tests.web.console.test_console_browser import _errors

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'").expect


def test_an_evaluator_runs_the_small_micro_standard_and_reads_the_explanation(browser, console_server: ConsoleServer, console_shots: ConsoleShots) -> None:  # type: ignore[no-untyped-def]
    with console_server.api("root") as api:
        created = api.post("/api/v1/users", json={"username": "pinggu1", "password": PASSWORD, "role": "evaluator", "display_name": "张评估",
                                                  "region_code": "510681", "industries": ["hazchem"]})
        assert created.status_code == 201, created.text
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    errors = _errors(page)
    base = console_server.base
    page.goto(f"{base}/login")
    page.fill("#username", "pinggu1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.click("nav.aj-nav >> text=评估")
    page.wait_for_url(f"{base}/evaluations")
    assert "没有符合条件的评估记录" in page.inner_text("#results")
    page.click("text=开展评估")
    page.wait_for_url("**/evaluations/new")
    page.fill("#q", "金鑫")
    page.click("text=搜索")
    page.click("a:has-text('广汉市金鑫化工有限公司')")
    page.select_option("#evaluator_id", "dual_prevention.small_micro")
    page.click("button:has-text('选择')")
    page.wait_for_selector("#evaluation-form")
    assert page.locator("fieldset.ev-item[data-item]").count() == 14  # every item of the 小微型 standard

    page.fill("input[name='i:E1.2:r:a']", "2")
    page.fill("input[name='i:E1.2:finding']", "抽查两个岗位未明确排查职责")
    page.check("input[name='i:E6.3:r:c']")
    page.fill("input[name='i:E6.3:finding']", "隐患台账未建立")
    page.check("input[name='i:E5.4:na']")
    page.locator("#item-E1\\.2").scroll_into_view_if_needed()
    console_shots(page, "evaluation-form")
    page.click("button:has-text('计算并保存评估结果')")
    page.wait_for_url("**/evaluations/*?done=run")

    main = page.inner_text("main")
    # 500 − 30 (E5.4 not applicable) = 470 applicable; −10 (E1.2) −20 (E6.3), and the rules the
    # records decide for a firm without a register (E5.1 60, E5.2 40, E6.1 30, E6.2 20) → 290 / 470 × 100 = 61.7 → 合格
    assert "评估已完成，结果已保存" in main and "61.7" in main and "合格" in main
    assert "实际得分 = 290 / 470 × 100 = 61.7" in main
    row = page.locator("tr[data-item='E1.2']").inner_text()
    assert "−10" in row and "×2" in row and "抽查两个岗位未明确排查职责" in row
    assert "不适用" in page.locator("tr[data-item='E5.4']").inner_text()
    assert "本次结论" in page.locator("tr.ev-applied").inner_text()
    console_shots(page, "evaluation-explanation", full_page=True)

    page.click("nav.aj-nav >> text=评估")
    assert page.locator("tr[data-evaluation-id]").count() == 1 and "张评估" in page.inner_text("#results")
    console_shots(page, "evaluations-list")

    page.click("text=批量重新评估")
    page.select_option("#batch-evaluator", "dual_prevention.small_micro")
    page.click("text=开始重新评估")
    expect(page.locator("[data-figure=progress]")).to_have_text("4 / 4")  # the evaluator's scope: 4 hazchem firms of 广汉市
    assert page.locator("[data-figure=unchanged]").inner_text() == "1" and page.locator("[data-figure=without_data]").inner_text() == "3"
    console_shots(page, "evaluation-batch")
    assert not errors, errors
    context.close()
