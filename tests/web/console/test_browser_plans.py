"""计划 / 双随机 in a real browser (Chromium): a department admin of 广汉市 creates the year plan (after
a refused region code), generates its assignments and reads its coverage with the enterprises not
yet covered; runs a 双随机 draw with its own seed, sees the seed, pool and the 回避 exclusion, and
verifies it; the office's inspections list opens an inspection. Screenshots for docs/console.md."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.web.conftest import new_context
from tests.web.console.conftest import DESKTOP, ConsoleServer, ConsoleShots
from tests.web.console.test_console_browser import _errors

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'").expect


def _staff(server: ConsoleServer) -> dict[str, str]:
    """The department and three inspectors of 广汉市 × 危化, and a 回避 tie: through the API."""
    ids: dict[str, str] = {}
    with server.api("root") as api:
        for username, role, name in (("dept", "department_admin", "广汉市应急管理局"), ("insp1", "inspector", "张明"), ("insp2", "inspector", "李华"), ("insp3", "inspector", "王强")):
            made = api.post("/api/v1/users", json={"username": username, "password": PASSWORD, "role": role, "display_name": name,
                                                   "region_code": "510681", "industries": ["hazchem"]})
            assert made.status_code == 201, made.text
            ids[username] = made.json()["id"]
        tie = api.post("/api/v1/inspector-ties", json={"inspector_id": ids["insp1"], "enterprise_id": server.world.enterprise_id, "reason": "配偶在该企业任安全主管"})
        assert tie.status_code == 201, tie.text
    return ids


def _inspect(server: ConsoleServer, plan_id: str) -> str:
    """The inspector of 红星化工's assignment inspects it (as the tablet would record it): its id."""
    with server.api("root") as api:
        assignments = api.get("/api/v1/assignments", params={"plan_id": plan_id}).json()
    mine = next(a for a in assignments if a["enterprise_id"] == server.world.enterprise_id)
    username = server.query("SELECT username FROM app_user WHERE id = ?", mine["inspector_id"])[0][0]
    with server.api(username) as inspector:
        seen = inspector.post("/api/v1/inspections", json={"enterprise_id": mine["enterprise_id"], "assignment_id": mine["id"],
                                                           "inspected_at": datetime.now(UTC).isoformat()})
        assert seen.status_code == 201, seen.text
    return str(seen.json()["id"])


def _top(page: Any) -> None:
    """Back to the top before a full-page screenshot (the sticky header is drawn where the page was scrolled)."""
    page.evaluate("window.scrollTo(0, 0)")


def test_a_department_plans_the_year_and_runs_a_verified_random_draw(browser, console_server: ConsoleServer, console_shots: ConsoleShots) -> None:  # type: ignore[no-untyped-def]
    ids = _staff(console_server)
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    errors = _errors(page)
    page.goto(f"{console_server.base}/login")
    page.fill("#username", "dept")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{console_server.base}/")

    page.click("nav.aj-nav >> text=计划")
    page.wait_for_url("**/plans")
    assert "没有您管辖范围内的检查计划" in page.inner_text("main")
    page.click("text=新建计划")
    page.wait_for_url("**/plans/new")
    page.fill("#title", f"{date.today().year}年度广汉市危险化学品执法检查计划")
    page.fill("#region_code", "5106")
    page.click("form.plan-form button[type=submit]")
    error = page.locator(".aj-field-error[data-error-field=region_code]")
    expect(error).to_contain_text("行政区划代码")
    _top(page)
    console_shots(page, "plan-refused", full_page=True)
    assert errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"], errors  # the refused form, and nothing else
    errors.clear()
    page.fill("#region_code", "510681")
    page.click("form.plan-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/plans/[0-9a-f-]{36}\?created=1$"))
    assert "尚未生成检查任务" in page.inner_text("main")

    page.click("button:has-text('生成检查任务')")
    page.wait_for_url(re.compile(r".*generated=1.*"))
    generated = page.locator("[data-generated]")
    expect(generated).to_contain_text("新建")
    assert int(generated.get_attribute("data-generated") or "0") >= 4  # four 广汉 hazchem firms, at least one window each
    assert page.locator("tr[data-assignment-id]").count() >= 4
    assert page.locator("tr[data-uncovered-id]").count() == 4
    plan_id = page.url.split("/plans/")[1].split("?")[0]
    ids["inspection"] = _inspect(console_server, plan_id)
    page.goto(f"{console_server.base}/plans/{plan_id}")
    assert page.locator("tr[data-uncovered-id]").count() == 3  # 红星化工 is inspected now; the other three are not yet
    assert page.locator(f"tr[data-uncovered-id='{console_server.world.enterprise_id}']").count() == 0
    assert "25.0%" in page.inner_text("[data-figure=coverage]")
    assert page.locator(f"a.aj-badge[href='/inspections/{ids['inspection']}']").count() == 1  # its assignment done, opening the inspection
    console_shots(page, "plan-coverage", full_page=True)

    page.goto(f"{console_server.base}/plans")
    row = page.locator("tr[data-plan-id]")
    assert row.count() == 1 and "25.0%" in row.inner_text()
    console_shots(page, "plans")

    page.click("text=双随机抽查")
    page.wait_for_url("**/random-draws")
    page.click("text=发起抽查")
    page.wait_for_url("**/random-draws/new")
    assert "配偶在该企业任安全主管" in page.inner_text("main")  # the tie it will exclude
    page.fill("#title", "危化企业双随机抽查（第四季度）")
    page.fill("#enterprise_count", "3")
    page.fill("#seed", "guanghan-2026-12")
    _top(page)
    console_shots(page, "draw-form", full_page=True)
    page.click("button:has-text('抽取')")
    page.wait_for_url(re.compile(r".*/random-draws/[0-9a-f-]{36}\?done=1$"))
    assert page.inner_text("[data-seed]") == "guanghan-2026-12"
    assert page.locator("tr[data-picked-id]").count() == 3
    assert page.locator(f"tr[data-excluded='{ids['insp1']}']").count() == 1 and "配偶在该企业任安全主管" in page.inner_text("main")
    console_shots(page, "draw", full_page=True)

    page.click("a.verify")
    page.wait_for_url("**/verify")
    expect(page.locator("[data-reproduced=true]")).to_contain_text("验证通过")
    assert page.locator(".aj-badge.ok:has-text('一致')").count() == 3
    console_shots(page, "draw-verified")

    page.click("nav.aj-nav >> text=检查")
    page.wait_for_url("**/inspections")
    row = page.locator(f"tr[data-inspection-id='{ids['inspection']}']")
    assert row.count() == 1 and "广汉市红星化工有限公司" in row.inner_text() and "年度广汉市危险化学品执法检查计划" in row.inner_text()
    console_shots(page, "inspections")
    row.locator("a").first.click()
    page.wait_for_url(f"**/inspections/{ids['inspection']}")
    assert not errors, errors
    context.close()
