"""The office console in a real browser (Debian's Chromium, headless): each role signs in and does
its main job end to end, with screenshots at 1280×800 and 800×1280 (tests/web/screenshots/console/,
used by docs/console.md).

1. The 安委办 signs in, finds the overdue hazard from the workbench, opens it; once the hourly
   overdue job has escalated it (listing is not a user action: core lists a hazard overdue beyond
   ``overdue_escalation_days``), it is in the 挂牌督办 list; searches enterprises (htmx), signs out.
2. An enterprise user reports rectification with a photo; the photo is stored and shown, the
   hazard waits for its recheck; signs out, and the pages are closed to the browser again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.web.conftest import new_context
from tests.web.console.conftest import DESKTOP, ConsoleServer, ConsoleShots

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'").expect


def _errors(page: Any) -> list[str]:
    """Console errors of the page (a blocked script or style under the CSP shows up here)."""
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def _sign_in(page: Any, server: ConsoleServer, username: str) -> None:
    page.goto(f"{server.base}/")
    page.wait_for_url("**/login**")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.base}/")


def test_the_safety_office_finds_an_overdue_hazard_and_sees_it_listed(browser, console_server: ConsoleServer, console_shots: ConsoleShots) -> None:  # type: ignore[no-untyped-def]
    world = console_server.world
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    errors = _errors(page)
    page.goto(f"{console_server.base}/")
    page.wait_for_url("**/login**")
    assert "请先登录" in page.inner_text("main")
    console_shots(page, "login")
    _sign_in(page, console_server, "root")
    overdue = page.locator("[data-figure=overdue] .value")
    assert overdue.inner_text() == "1"
    console_shots(page, "workbench", full_page=True)

    page.click("[data-figure=overdue]")
    page.wait_for_url("**/hazards?overdue=true")
    row = page.locator(f"tr[data-hazard-id='{world.overdue_hazard_id}']")
    assert row.count() == 1 and "逾期 30 天" in row.inner_text()
    console_shots(page, "overdue-list")
    row.locator("a").first.click()
    page.wait_for_url(f"**/hazards/{world.overdue_hazard_id}")
    assert "已逾期 30 天" in page.inner_text("main") and "挂牌督办" not in page.inner_text(".aj-actions")
    steps = page.locator("details.step > summary").all_inner_texts()
    assert steps == ["报告整改完成", "延长整改期限"], steps  # the admin's steps from 整改中: exactly core's allowed list
    console_shots(page, "overdue-hazard", full_page=True)

    # the hourly job escalates hazards overdue beyond 7 days to 挂牌督办
    with console_server.api() as api:
        run = api.post("/api/v1/jobs/hazard_overdue/run")
        assert run.status_code in (200, 201), run.text
    page.click("nav.aj-nav >> text=挂牌督办")
    page.wait_for_url("**/hazards?listed=true&open=1")
    listed = page.locator(f"tr[data-hazard-id='{world.overdue_hazard_id}']")
    assert listed.count() == 1 and "挂牌督办" in listed.inner_text()
    assert page.locator(f"tr[data-hazard-id='{world.major_hazard_id}']").count() == 1  # a major hazard is listed at registration
    console_shots(page, "listed-list")
    page.goto(f"{console_server.base}/hazards/{world.overdue_hazard_id}")
    history = page.inner_text(".aj-timeline")
    assert "挂牌督办" in history and "逾期超过7天" in history

    # enterprises: the search box narrows the list in place (htmx), the URL follows
    page.click("nav.aj-nav >> text=企业")
    page.wait_for_url("**/enterprises")
    assert page.locator("tr[data-enterprise-id]").count() == 5
    page.fill("#q", "金鑫")
    expect(page.locator("tr[data-enterprise-id]")).to_have_count(1)  # (no wait_for_function: the CSP forbids eval, rightly)
    assert "q=%E9%87%91%E9%91%AB" in page.url
    console_shots(page, "enterprise-search")
    page.fill("#q", "")
    expect(page.locator("tr[data-enterprise-id]")).to_have_count(5)
    page.click(f"tr[data-enterprise-id='{world.enterprise_id}'] a")
    page.wait_for_url(f"**/enterprises/{world.enterprise_id}")
    assert "广汉市红星化工有限公司" in page.inner_text("h1") and "较大风险" in page.inner_text("main")
    console_shots(page, "enterprise-file", full_page=True)

    page.click("text=退出")
    page.wait_for_url("**/login?m=logged_out")
    assert "您已安全退出" in page.inner_text("main")
    page.goto(f"{console_server.base}/hazards")
    page.wait_for_url("**/login**")
    assert not errors, errors
    context.close()


def test_an_enterprise_reports_rectification_with_a_photo(browser, console_server: ConsoleServer, console_shots: ConsoleShots, photo_file: str) -> None:  # type: ignore[no-untyped-def]
    world = console_server.world
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    errors = _errors(page)
    _sign_in(page, console_server, "qiye1")
    assert "广汉市红星化工有限公司" in page.inner_text("h1")
    rows = page.locator("tr[data-hazard-id]")
    assert rows.count() == 2  # its own two open hazards; the other enterprise's major hazard is not shown
    console_shots(page, "enterprise-workbench")
    page.locator(f"tr[data-hazard-id='{world.rectifying_hazard_id}'] >> text=报告整改完成").click()
    page.wait_for_url(f"**/hazards/{world.rectifying_hazard_id}#step-report_rectified")
    assert page.locator("details.step > summary").all_inner_texts() == ["报告整改完成"]
    form = page.locator("form[data-step=report_rectified]")
    form.locator("input[type=file]").set_input_files(photo_file)
    form.locator("textarea[name=reason]").fill("已加装漏电保护器并测试合格")
    console_shots(page, "report-rectified-form")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/hazards/{world.rectifying_hazard_id}?done=report_rectified")
    assert "已完成：报告整改完成" in page.inner_text("main")
    assert "待复查" in page.inner_text(".aj-actions")
    digest = hashlib.sha256(Path(photo_file).read_bytes()).hexdigest()
    image = page.locator(f"img[src='/files/{digest}']").first
    image.wait_for()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0
    console_shots(page, "rectification-reported", full_page=True)
    (status, evidence), = console_server.query("SELECT status, rectification_evidence FROM hazard WHERE id = ?", world.rectifying_hazard_id)
    assert status == "awaiting_recheck" and digest in evidence
    assert console_server.query("SELECT user_id FROM attachment_uploader WHERE sha256 = ?", digest)
    # out of scope: the other enterprise's hazard is the same "not found" page as a hazard that does not exist
    page.goto(f"{console_server.base}/hazards/{world.major_hazard_id}")
    assert "页面不存在或无权访问" in page.inner_text("main")
    page.goto(f"{console_server.base}/")
    page.click("text=退出")
    page.wait_for_url("**/login?m=logged_out")
    page.goto(f"{console_server.base}/hazards/{world.rectifying_hazard_id}")
    page.wait_for_url("**/login**")
    assert [e for e in errors if "404" not in e] == [], errors
    context.close()
