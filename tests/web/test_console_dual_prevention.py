"""双重预防 in the console, in a real browser (Debian's Chromium): an enterprise user of a 工贸 firm with a
register generates its 隐患排查清单 from the register page, reads its 自查任务, runs the 小微型
self-assessment, submits it as its 评估报告; its 联络员 (an inspector named on the enterprise by the
admin) finds it under 我联系的企业, returns it with a reason (refused first without one, at the
field), the enterprise resubmits, the 联络员 accepts; the progress page shows the report accepted and
downloads the same table as CSV; a viewer of another county sees no row and gets 404 on the report.
Screenshots at tablet (1280×800) and phone (412×915) sizes under tests/web/screenshots/console/<test>/.

The in-process tests first pin what the browser does not walk through: an enterprise user is offered
only its own scale's standard (any other evaluator 403), a decision by an inspector who is not the
联络员 is 403, a bad filter or month is named beside its field, and the CSV starts with a BOM.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.web.conftest import TABLET, new_context
from tests.web.console import conftest as console_fixtures
from tests.web.console.conftest import ConsoleServer
from tests.web.console.test_console_browser import _errors, _sign_in
from tests.web.test_console_risk_register import Shots

# the console's browser fixtures (tests/web/console/conftest.py): a server on a copy of the seeded database
console_template = console_fixtures.console_template
console_server = console_fixtures.console_server

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'").expect

REFUSED = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"
STANDARD = "dual_prevention.small_micro"
POINT: dict[str, Any] = {
    "name": "1号抛光车间", "kind": "place", "location": "厂区西侧", "posts": ["抛光工"], "hazard_factors": ["21"], "accident_types": ["other_explosion"],
    "assessment": {"method": "lec", "inputs": {"l": 3, "e": 6, "c": 7}},  # D = 126: 一般风险 (yellow) → needs a 班组级 control
    "controls": [
        {"kind": "engineering", "text": "湿式除尘器运行正常，风管无积尘", "level": "team", "responsible_post": "抛光班长", "responsible_person": "王班长"},
        {"kind": "management", "text": "每班清扫作业台面和地面积尘", "level": "post", "responsible_post": "抛光工", "responsible_person": "李师傅"},
    ],
}


@pytest.fixture
def shots(request) -> Shots:  # type: ignore[no-untyped-def]
    return Shots(request.node.name)


# ---- in process first (an asyncio test must not run while the module's playwright loop is alive) ----


async def test_refusals_are_named_and_roles_that_may_not_act_are_refused_first(api, admin) -> None:  # type: ignore[no-untyped-def]
    from tests.web.console.conftest import sign_in

    liaison_id = await api.user("lianluo_a", "inspector", region_code="510681", industries=["industrial_trade"])
    await api.user("jiancha_b", "inspector", region_code="510681", industries=["industrial_trade"])
    firm = await api.enterprise(admin, name="德阳抛光制品有限公司", industries=["industrial_trade"], scale="small_micro", production_kind="production")
    assert (await api.client.patch(f"/api/v1/enterprises/{firm['id']}", json={"liaison_user_id": liaison_id}, headers=admin)).status_code == 200
    await api.user("qiye_a", "enterprise_user", enterprise_id=firm["id"])
    owner = await sign_in(api.client, "qiye_a")

    # self-assessment: only the standard of its own scale is offered; another evaluator is 403, the other scale refused beside the form
    form = await owner.get("/evaluations/new")
    assert form.status_code == 200 and f'value="{STANDARD}"' in form.text and 'value="risk.matrix"' not in form.text
    assert 'value="dual_prevention.large_medium"' not in form.text and 'id="evaluation-form"' in form.text  # its one standard, opened at once
    assert (await owner.get(f"/evaluations/new?enterprise_id={firm['id']}&evaluator_id=risk.matrix")).status_code == 403
    assert (await owner.post("/evaluations", {"enterprise_id": firm["id"], "evaluator_id": "risk.lec", "f:l": "3", "f:e": "6", "f:c": "7"})).status_code == 403
    other_scale = await owner.get(f"/evaluations/new?enterprise_id={firm['id']}&evaluator_id=dual_prevention.large_medium")
    assert other_scale.status_code == 200 and "不能使用该评估标准" in other_scale.text
    ran = await owner.post("/evaluations", {"enterprise_id": firm["id"], "evaluator_id": STANDARD})
    assert ran.status_code == 303, ran.text[:400]
    evaluation_id = ran.headers["location"].split("/")[2].split("?")[0]

    # submitting: nothing chosen is named at the field; then the report waits for its liaison
    nothing = await owner.post("/dual-prevention/reports", {"note": "未选择"})
    assert nothing.status_code == 400 and 'data-error-field="evaluation_id"' in nothing.text and "请选择要提交的自评估" in nothing.text
    sent = await owner.post("/dual-prevention/reports", {"evaluation_id": evaluation_id, "note": "年度自评估"})
    assert sent.status_code == 303
    report_path = sent.headers["location"].split("?")[0]
    again = await owner.post("/dual-prevention/reports", {"evaluation_id": evaluation_id})
    assert again.status_code == 409 and "待联络员审核" in again.text
    assert (await owner.post(f"{report_path}/decision", {"decision": "accept", "expected_version": "1"})).status_code == 403

    # deciding: another inspector in scope is 403; the liaison without a reason is refused at the field, a stale page is 409
    other = await sign_in(api.client, "jiancha_b")
    page = await other.get(report_path)
    assert page.status_code == 200 and 'data-action="accept"' not in page.text
    assert (await other.post(f"{report_path}/decision", {"decision": "accept", "expected_version": "1"})).status_code == 403
    liaison = await sign_in(api.client, "lianluo_a")
    no_reason = await liaison.post(f"{report_path}/decision", {"decision": "return", "reason": "", "expected_version": "1"})
    assert no_reason.status_code == 400 and 'data-error-field="reason"' in no_reason.text and "退回评估报告必须说明理由" in no_reason.text
    stale = await liaison.post(f"{report_path}/decision", {"decision": "accept", "expected_version": "7"})
    assert stale.status_code == 409 and "请刷新后重试" in stale.text
    assert (await liaison.post(f"{report_path}/decision", {"decision": "accept", "expected_version": "1"})).status_code == 303
    pdf = await liaison.get(f"{report_path}/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"

    # the progress view: a bad filter beside the form; the CSV with a BOM and the page's rows
    bad = await liaison.get("/dual-prevention?region_code=51x")
    assert bad.status_code == 400 and 'data-error-field="region_code"' in bad.text
    listed = await liaison.get("/dual-prevention?liaison=me")
    assert listed.status_code == 200 and f'data-enterprise-id="{firm["id"]}"' in listed.text and 'data-report-status="accepted"' in listed.text
    download = await liaison.get("/dual-prevention/progress.csv?liaison=me")
    assert download.status_code == 200 and download.content[:3] == b"\xef\xbb\xbf" and "attachment" in download.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][0] == "企业名称" and [r[0] for r in rows[1:]] == ["德阳抛光制品有限公司"] and rows[1][-2:] == ["联络员已接收", "逾期未完成"]

    # self-check tasks: a month that does not parse is named beside the switcher
    month = await owner.get(f"/enterprises/{firm['id']}/self-checks?month=2026-13")
    assert month.status_code == 400 and 'data-error-field="month"' in month.text
    # generating without a register is refused on the lists page, at the register
    refused = await owner.post(f"/enterprises/{firm['id']}/check-lists/generate", {})
    assert refused.status_code == 400 and 'data-error-field="risk_register"' in refused.text


def _sign_in_new(browser: Any, server: ConsoleServer, username: str) -> tuple[Any, Any, list[str]]:
    context = new_context(browser, viewport=TABLET)
    page = context.new_page()
    errors = _errors(page)
    _sign_in(page, server, username)
    return context, page, errors


def test_an_enterprise_builds_and_reports_and_its_liaison_returns_then_accepts(browser, console_server: ConsoleServer, shots: Shots) -> None:  # type: ignore[no-untyped-def]
    server = console_server
    base = server.base
    with server.api("root") as api:
        def made(response: Any) -> dict[str, Any]:
            assert response.status_code in (200, 201), response.text
            return dict(response.json())

        liaison = made(api.post("/api/v1/users", json={"username": "lianluo1", "password": PASSWORD, "role": "inspector", "display_name": "赵联络",
                                                       "region_code": "510681", "industries": ["industrial_trade"]}))
        made(api.post("/api/v1/users", json={"username": "chakan_jj", "password": PASSWORD, "role": "viewer", "display_name": "锦江查看",
                                             "region_code": "510104", "industries": ["industrial_trade"]}))
        from tests.conftest import valid_uscc

        firm = made(api.post("/api/v1/enterprises", json={"name": "广汉市精工机械有限公司", "uscc": valid_uscc(), "region_code": "510681",
                                                          "industries": ["industrial_trade"], "scale": "small_micro", "production_kind": "production",
                                                          "address": "广汉市向阳镇工业路20号"}))
        made(api.patch(f"/api/v1/enterprises/{firm['id']}", json={"liaison_user_id": liaison["id"]}))
        made(api.post("/api/v1/users", json={"username": "qiye_jg", "password": PASSWORD, "role": "enterprise_user", "display_name": "钱安全",
                                             "enterprise_id": firm["id"]}))
        made(api.post(f"/api/v1/enterprises/{firm['id']}/risk-register/points", json=POINT))
    firm_id = firm["id"]

    # ---- the enterprise: 隐患排查清单 from the register page ----
    context, page, errors = _sign_in_new(browser, server, "qiye_jg")
    nav = page.locator("nav.aj-nav")
    nav.locator("a", has_text="风险清单").click()
    page.wait_for_url(f"{base}/enterprises/{firm_id}/risk-register")
    card = page.locator("#check-lists")
    expect(card.locator(".aj-empty")).to_contain_text("尚未生成隐患排查清单")  # loaded in place by htmx
    card.locator("[data-action=generate-check-lists]").click()
    page.wait_for_url(f"{base}/enterprises/{firm_id}/check-lists/generate")
    outcome = page.locator("[data-outcome]")
    assert outcome.locator("[data-count=published]").inner_text() == "2" and outcome.locator("[data-count=unchanged]").inner_text() == "0"
    rows = page.locator(".dp-list-table tbody tr")
    assert rows.count() == 2
    assert {rows.nth(i).get_attribute("data-frequency") for i in range(2)} == {"per_shift", "daily"}
    shots(page, "check-lists-generated")
    page.locator("[data-action=generate-check-lists]").click()  # again, nothing changed: nothing published
    expect(page.locator("[data-outcome] [data-count=unchanged]")).to_have_text("2")
    assert page.locator("[data-outcome] [data-count=published]").inner_text() == "0" and "未发布新版本" in page.inner_text("[data-outcome]")
    page.goto(f"{base}/enterprises/{firm_id}/risk-register")
    expect(page.locator("#check-lists .dp-list-table tbody tr")).to_have_count(2)
    assert "v1.0.0" in page.inner_text("#check-lists")
    shots(page, "register-card", full_page=True)

    # ---- 自查任务: the month's tasks of the new lists ----
    nav.locator("a", has_text="自查任务").click()
    page.wait_for_url(f"{base}/enterprises/{firm_id}/self-checks")
    tasks = page.locator("tr[data-task-status]")
    assert tasks.count() >= 1
    assert page.locator("[data-figure=due] .value").inner_text() != "" and "按期完成率" in page.inner_text(".dp-stats")
    shots(page, "self-checks")
    page.click("[data-action=previous-month]")
    page.wait_for_url("**/self-checks?month=*")
    assert "本月没有自查任务" in page.inner_text("main")

    # ---- 自评估 against the 小微型 standard, then the report ----
    nav.locator("a", has_text="评估报告").click()
    page.wait_for_url(f"{base}/dual-prevention/reports")
    assert "还没有按双重预防评估标准做过自评估" in page.inner_text(".dp-submit")
    page.click("[data-action=self-assess]")
    page.wait_for_selector("#evaluation-form")
    assert page.locator("#evaluator_id option").all_inner_texts() == [page.locator("#evaluator_id option").first.inner_text()]  # only its standard
    assert STANDARD in page.inner_text("#evaluation-form h2")
    shots(page, "self-assessment-form")
    page.fill("input[name='i:E1.2:r:a']", "1")
    page.fill("input[name='i:E1.2:finding']", "抽查一个岗位未明确排查职责")
    page.click("button:has-text('计算并保存评估结果')")
    page.wait_for_url("**/evaluations/*?done=run")
    assert "评估已完成" in page.inner_text("main")
    nav.locator("a", has_text="评估报告").click()
    page.fill("#note", "2026年度双重预防自评估")
    shots(page, "report-submit")
    page.click("[data-action=submit-report]")
    page.wait_for_url("**/dual-prevention/reports/*?saved=submitted")
    report_url = page.url.split("?")[0]
    assert page.locator("h1 [data-report-status]").get_attribute("data-report-status") == "submitted"
    assert "赵联络" in page.inner_text(".aj-facts") or "lianluo1" in page.inner_text(".aj-facts")
    assert page.locator("[data-action=accept]").count() == 0
    shots(page, "report-submitted", full_page=True)
    assert not errors, errors
    context.close()

    # ---- the 联络员: 我联系的企业, the report returned with a reason (refused without one) ----
    context, page, errors = _sign_in_new(browser, server, "lianluo1")
    page.locator("nav.aj-nav a", has_text="双重预防").click()
    page.wait_for_url(f"{base}/dual-prevention")
    page.check("[data-action=liaison-me]")
    page.click("form.dp-filters button[type=submit]")
    page.wait_for_url("**/dual-prevention?*liaison=me*")
    row = page.locator(f"tr[data-enterprise-id='{firm_id}']")
    expect(row).to_have_count(1)
    assert page.locator("tr[data-enterprise-id]").count() == 1
    assert row.locator("[data-report-status]").get_attribute("data-report-status") == "submitted"
    assert row.locator("[data-built]").get_attribute("data-built") == "true"
    shots(page, "progress-liaison")
    page.click("[data-action=reports]")
    page.wait_for_url(f"{base}/dual-prevention/reports")
    expect(page.locator("tr[data-report-id]")).to_have_count(1)
    page.locator("tr[data-report-id] a").first.click()
    page.wait_for_url(report_url)
    assert page.locator("[data-explanation] li").count() >= 1 and page.locator(".dp-deductions tr[data-item='E1.2']").count() == 1
    pdf = page.request.get(f"{report_url}/report.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    page.click("[data-action=return]")
    expect(page.locator("[data-error-field=reason]")).to_contain_text("退回评估报告必须说明理由")
    shots(page, "report-return-refused")
    page.fill("#reason", "风险清单未覆盖除尘系统的泄爆装置，请补充后重新评估")
    page.click("[data-action=return]")
    page.wait_for_url("**?saved=returned")
    assert "退回理由：风险清单未覆盖除尘系统" in page.inner_text("[data-decision]")
    shots(page, "report-returned")
    assert set(errors) <= {REFUSED}, errors
    context.close()

    # ---- the enterprise resubmits ----
    context, page, errors = _sign_in_new(browser, server, "qiye_jg")
    page.goto(f"{base}/dual-prevention/reports")
    assert "风险清单未覆盖除尘系统" in page.inner_text("tr[data-status=returned]")
    page.fill("#note", "已补充除尘系统泄爆装置的管控措施")
    page.click("[data-action=submit-report]")
    page.wait_for_url("**/dual-prevention/reports/*?saved=submitted")
    second_url = page.url.split("?")[0]
    assert second_url != report_url and page.locator("tr[data-report-id]").count() == 1  # the returned one, listed under 其他评估报告
    assert not errors, errors
    context.close()

    # ---- the 联络员 accepts; the progress page shows the report accepted, and its CSV ----
    context, page, errors = _sign_in_new(browser, server, "lianluo1")
    page.goto(second_url)
    page.click("[data-action=accept]")
    page.wait_for_url("**?saved=accepted")
    assert page.locator("h1 [data-report-status]").get_attribute("data-report-status") == "accepted"
    page.goto(f"{base}/dual-prevention")
    row = page.locator(f"tr[data-enterprise-id='{firm_id}']")
    assert row.locator("[data-report-status]").get_attribute("data-report-status") == "accepted"
    assert "联络员已接收" in row.inner_text()
    shots(page, "progress-accepted", full_page=True)
    with page.expect_download() as download:
        page.click("[data-action=download-csv]")
    assert download.value.suggested_filename.endswith(".csv")
    with open(download.value.path(), "rb") as handle:
        body = handle.read()
    assert body[:3] == b"\xef\xbb\xbf"
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert ["广汉市精工机械有限公司", "联络员已接收"] == [next(r for r in table if r[0] == "广汉市精工机械有限公司")[i] for i in (0, -2)]
    assert not errors, errors
    context.close()

    # ---- a viewer of another county: no row, and the report is the same 404 as what does not exist ----
    context, page, errors = _sign_in_new(browser, server, "chakan_jj")
    page.goto(f"{base}/dual-prevention")
    assert page.locator("tr[data-enterprise-id]").count() == 0 and "没有符合条件的企业" in page.inner_text("main")
    assert page.locator("[data-figure=enterprises] .value").inner_text() == "0"
    response = page.goto(second_url)
    assert response.status == 404 and "页面不存在或无权访问" in page.inner_text("body")
    page.goto(f"{base}/dual-prevention/reports")
    assert page.locator("tr[data-report-id]").count() == 0
    shots(page, "out-of-scope-reports")
    assert set(errors) <= {NOT_FOUND}, errors
    context.close()
