"""执法文书 in a real browser (Chromium): an inspector opens an inspection pushed from his tablet, starts
a 责令限期整改指令书 while the major hazard has no 整改期限 yet — the refusal names the missing fact in
Chinese and burns no number — orders that hazard's rectification on its page, issues the order, sees
its number, opens its PDF, voids it with a reason, then files a 行政处罚 case from the same panel. Screenshots at 1280×800 and 800×1280
(tests/web/screenshots/console/, copied to docs/console/documents-*.png)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import PASSWORD
from tests.plugins.documents.conftest import AUTHORITY
from tests.sync.conftest import CHECKLIST
from tests.web.conftest import new_context
from tests.web.console.conftest import DESKTOP, ConsoleServer, ConsoleShots
from tests.web.console.test_console_browser import _errors, _sign_in

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'").expect


def _inspected(server: ConsoleServer) -> dict[str, Any]:
    """Through the API: 广汉市's issuing authority, the checklist, two inspectors holding 执法证, and
    张三's tablet pushing an inspection of 红星化工 with 李四 — two failed items, one a 重大事故隐患."""
    with server.api("root") as api:
        assert api.put("/api/v1/document-authorities/510681", json=AUTHORITY).status_code == 201
        published = api.post("/api/v1/checklists", json=CHECKLIST)
        assert published.status_code == 201, published.text
        ids = {}
        for username, name, card in (("zhang", "张三", "51068100001"), ("li", "李四", "51068100002")):
            made = api.post("/api/v1/users", json={"username": username, "password": PASSWORD, "role": "inspector", "display_name": name,
                                                   "enforcement_card_no": card, "region_code": "510681", "industries": ["hazchem"]})
            assert made.status_code == 201, made.text
            ids[username] = made.json()["id"]
    login = httpx.post(f"{server.base}/api/v1/auth/login", json={"username": "zhang", "password": PASSWORD, "device_id": str(uuid.uuid4())}, timeout=30)
    assert login.status_code == 200, login.text
    started = datetime.now(UTC) - timedelta(hours=1)
    record = {
        "kind": "submission", "id": str(uuid.uuid4()), "enterprise_id": server.world.enterprise_id, "checklist_id": CHECKLIST["id"],
        "checklist_version": CHECKLIST["version"], "checklist_hash": published.json()["content_hash"],
        "started_at": started.isoformat(), "finished_at": (started + timedelta(minutes=40)).isoformat(), "co_inspectors": [ids["li"]],
        "answers": {"CC-1": {"result": "fail", "note": "仓库未设置防爆照明"}, "CC-2": {"value": 21.5}, "CC-3": {"result": "fail", "note": "液氨储罐区未辨识登记"}},
        "hazards": [{"id": str(uuid.uuid4()), "item_code": "CC-1", "description": "危险化学品仓库未设置防爆照明", "location": "1号仓库", "responsible_person": "刘安全"}],
    }
    pushed = httpx.post(f"{server.base}/api/v1/sync/push", json={"records": [record]}, timeout=30,
                        headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    assert pushed.status_code == 200, pushed.text
    result = pushed.json()["results"][0]
    assert result["status"] == "accepted" and len(result["hazard_ids"]) == 2, result
    return result


def _top(page: Any) -> None:
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header is drawn where the page was scrolled


def test_an_inspector_issues_a_rectification_order_once_its_facts_are_complete_then_voids_it(  # type: ignore[no-untyped-def]
    browser, console_server: ConsoleServer, console_shots: ConsoleShots,
) -> None:
    inspection_id = _inspected(console_server)["inspection_id"]
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    errors = _errors(page)
    _sign_in(page, console_server, "zhang")

    # the inspection page carries its 执法文书 panel: nothing issued yet, a button per type
    page.goto(f"{console_server.base}/inspections/{inspection_id}")
    panel = page.locator("#inspection-documents")
    expect(panel).to_contain_text("本次检查尚未出具执法文书")
    console_shots(page, "documents-inspection", full_page=True)
    panel.locator("a[data-type=rectification_order]").click()
    page.wait_for_url(f"**/inspections/{inspection_id}/documents/new?type=rectification_order")
    assert page.locator(".doc-hazards input[name=hazard_ids]:checked").count() == 2  # both open hazards, by default
    expect(page.locator("#pending-facts")).to_contain_text("缺少整改期限")  # warned before posting
    _top(page)
    console_shots(page, "documents-form", full_page=True)

    # posted anyway: refused, the missing fact named in Chinese with the hazard it is about, no number burned
    page.click("form.doc-form button[type=submit]")
    refusal = page.locator("#missing-facts")
    expect(refusal).to_contain_text("缺少以下 1 项必要信息")
    missing = refusal.locator("li[data-missing='hazards[1].deadline']")
    expect(missing).to_contain_text("缺少整改期限")
    expect(missing).to_contain_text("第2项：重大危险源未进行辨识和登记建档")
    assert console_server.query("SELECT count(*) FROM enforcement_document") == [(0,)]
    assert errors == ["Failed to load resource: the server responded with a status of 409 (Conflict)"], errors  # the refusal, and nothing else
    errors.clear()
    _top(page)
    console_shots(page, "documents-refused", full_page=True)

    # the fix where the hint says: 下达限期整改 on the major hazard's page
    major_id = page.locator(".doc-hazards input[name=hazard_ids]").nth(1).get_attribute("value")
    page.goto(f"{console_server.base}/hazards/{major_id}")
    step = page.locator("form[data-step=order_rectification]")
    if not step.is_visible():
        page.click("#step-order_rectification > summary")
    step.locator("input[name=deadline]").fill((date.today() + timedelta(days=20)).isoformat())
    step.locator("input[name=responsible_person]").fill("王建国")
    step.locator("textarea[name=rectification_plan]").fill("委托有资质单位完成重大危险源辨识、登记建档并备案")
    step.locator("button[type=submit]").click()
    page.wait_for_url(f"**/hazards/{major_id}?done=order_rectification")

    page.goto(f"{console_server.base}/inspections/{inspection_id}/documents/new?type=rectification_order")
    assert page.locator("#pending-facts").count() == 0
    page.click("form.doc-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/documents/[0-9a-f-]{36}\?done=issued$"))
    number = f"广应急责改〔{date.today().year}〕1号"
    expect(page.locator("h1")).to_contain_text(number)
    main = page.inner_text("main")
    assert "文书已出具" in main and "危险化学品仓库未设置防爆照明" in main and "重大危险源未进行辨识和登记建档" in main
    console_shots(page, "documents-issued", full_page=True)

    # its PDF: the link opens it in a tab (served inline, named by its number)
    link = page.locator("a[data-pdf]")
    with context.expect_event("response", lambda r: r.url.endswith(f"{link.get_attribute('href')}") and "content-type" in r.headers) as answered, \
            page.expect_popup() as opened:
        link.click()
    pdf = answered.value
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert quote(f"{number}.pdf") in pdf.headers["content-disposition"]
    assert "/pdf" in opened.value.url
    opened.value.close()
    content = page.request.get(f"{console_server.base}{link.get_attribute('href')}")  # the bytes (the tab shows Chromium's viewer)
    assert content.ok and content.headers["content-type"] == "application/pdf" and content.body().startswith(b"%PDF")

    # voided with a reason: kept with its number, marked 已作废, no more forms
    page.click("#void > summary")
    page.fill("#void-reason", "整改期限填写错误，重新出具")
    page.check("#void input[name=confirm]")
    _top(page)
    console_shots(page, "documents-void", full_page=True)
    page.click("#void button[type=submit]")
    page.wait_for_url("**?done=voided")
    expect(page.locator(".aj-alert.danger[role=status]")).to_contain_text("已作废：整改期限填写错误，重新出具（")
    assert page.locator("#void").count() == 0 and "已作废" in page.inner_text("p.aj-actions")
    console_shots(page, "documents-voided")
    page.goto(f"{console_server.base}/inspections/{inspection_id}")
    row = page.locator("#inspection-documents tr[data-document-id]")
    assert row.count() == 1 and number in row.inner_text() and "已作废" in row.inner_text()
    assert console_server.query("SELECT status, voided_reason FROM enforcement_document") == [("voided", "整改期限填写错误，重新出具")]

    # the same panel files a 行政处罚 case (both officers as 承办人); its page shows the stages, 立案 current
    page.click("#file-case > summary")
    page.fill("#case-cause", "未按规定对重大危险源进行辨识、登记建档")
    page.click("#file-case button[type=submit]")
    page.wait_for_url("**?done=filed")
    expect(page.locator("ol.penalty-stages li.current")).to_have_text("立案")
    assert page.locator("ol.penalty-stages li.done").count() == 1
    console_shots(page, "documents-case")
    page.click("nav.aj-nav >> text=文书")
    page.wait_for_url("**/documents")
    expect(page.locator("tr.voided[data-document-id]")).to_contain_text(number)
    console_shots(page, "documents-list")
    assert not errors, errors
    context.close()
