"""风险清单 in a real browser (Debian's Chromium): an enterprise user adds a risk point with LEC values
and two controls and sees it yellow, uploads the plant plan (a bad file first), edits the point with
a reason — a third control without a person is refused at its row, a click on the plan places the
point — opens the 四色分布图 and the enterprise's 安全码 and renews it; an inspector in scope reads the
register without any button that changes it and gets 403 on a POST; an inspector of another county
gets 404. Screenshots at tablet (1280×800) and phone (412×915) sizes under
tests/web/screenshots/console/<test>/."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from PIL import Image, ImageDraw

from tests.conftest import PASSWORD
from tests.web.conftest import PHONE, TABLET, new_context
from tests.web.console import conftest as console_fixtures
from tests.web.console.conftest import ConsoleServer, ConsoleShots
from tests.web.console.test_console_browser import _errors, _sign_in

# the console's browser fixtures (tests/web/console/conftest.py): a server on a copy of the seeded database
console_template = console_fixtures.console_template
console_server = console_fixtures.console_server

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'").expect

REFUSED = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
FORBIDDEN = "Failed to load resource: the server responded with a status of 403 (Forbidden)"
NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"


class Shots(ConsoleShots):
    """Screenshots at 1280×800 and 412×915: ``NN-name-tablet.png``, ``NN-name-phone.png``."""

    SIZES = (("tablet", TABLET), ("phone", PHONE))


@pytest.fixture
def shots(request) -> Shots:  # type: ignore[no-untyped-def]
    return Shots(request.node.name)


def _plan_png() -> bytes:
    """A small plant plan: a fence, a workshop, a tank farm and a road."""
    image = Image.new("RGB", (960, 600), (246, 247, 249))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 940, 580), outline=(90, 90, 90), width=4)
    draw.rectangle((80, 80, 420, 300), fill=(214, 224, 236), outline=(60, 80, 110), width=3)
    for x in (600, 700, 800):
        draw.ellipse((x, 120, x + 80, 200), fill=(225, 228, 232), outline=(80, 80, 80), width=3)
    draw.rectangle((20, 420, 940, 470), fill=(205, 205, 205))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# ---- in process first (an asyncio test must not run while the module's playwright loop is alive) ----


async def test_the_form_names_each_refusal_at_its_field_and_a_stale_page_is_refused(api, admin) -> None:  # type: ignore[no-untyped-def]
    from tests.web.console.conftest import sign_in

    firm = await api.enterprise(admin, name="德阳抛光制品有限公司", industries=["industrial_trade"])
    await api.user("qiye_form", "enterprise_user", enterprise_id=firm["id"])
    user = await sign_in(api.client, "qiye_form")
    form = {
        "name": "1号抛光车间", "kind": "place", "posts": "抛光工、打磨工", "hazard_factors": ["21"], "accident_types": ["other_explosion"],
        "assessment_method": "ls", "ls_l": "4", "ls_s": "5", "dj_legal_breach": "1", "dj_legal_breach_note": "",
        "controls[0].kind": "engineering", "controls[0].text": "湿式除尘", "controls[0].level": "company",
        "controls[0].responsible_post": "设备科", "controls[0].responsible_person": "王五",
    }
    half_row = {"controls[4].text": "每班清扫积尘", "controls[4].responsible_post": "抛光工"}  # a later row, half filled
    refused = await user.post(f"/enterprises/{firm['id']}/risk-register/points", {**form, **half_row})
    assert refused.status_code == 400
    page = refused.text
    for key in ("direct.legal_breach", "controls[1].kind", "controls[1].level", "controls[1].responsible_person"):
        assert f'data-error-field="{key}"' in page, key
    assert 'data-error-field="controls[0].' not in page and 'value="每班清扫积尘"' in page  # renumbered, kept
    assert "管控措施第 2 行 · 责任人：必填" in page
    bad_value = await user.post(f"/enterprises/{firm['id']}/risk-register/points", {**form, "ls_l": "7", "dj_legal_breach": ""})
    assert bad_value.status_code == 400 and 'data-error-field="assessment.inputs.l"' in bad_value.text
    more = await user.post(f"/enterprises/{firm['id']}/risk-register/points", {**form, **half_row, "add_control": "1"})
    assert more.status_code == 200 and 'data-control-row="2"' in more.text and "data-error-field" not in more.text  # one more row, nothing saved

    saved = await user.post(f"/enterprises/{firm['id']}/risk-register/points", {**form, "dj_legal_breach_note": "除尘器未设泄爆装置"})
    assert saved.status_code == 303, saved.text[:500]
    point_id = saved.headers["location"].split("/")[2].split("?")[0]
    point = (await api.client.get(f"/api/v1/risk-points/{point_id}", headers=admin)).json()
    assert (point["risk_level"], point["assessment"]["score"], point["posts"]) == ("major", 20, ["抛光工", "打磨工"])
    edit = {**form, "dj_legal_breach_note": "除尘器未设泄爆装置", "controls[0].code": "C01", "expected_version": "1"}
    no_reason = await user.post(f"/risk-points/{point_id}/edit", edit)
    assert no_reason.status_code == 400 and 'data-error-field="reason"' in no_reason.text
    assert (await user.post(f"/risk-points/{point_id}/edit", {**edit, "reason": "泄爆片已安装"})).status_code == 303
    stale = await user.post(f"/risk-points/{point_id}/edit", {**edit, "reason": "另一页面的修改"})
    assert stale.status_code == 409 and "请刷新后重试" in stale.text and "重新打开修改页" in stale.text
    no_retire_reason = await user.post(f"/risk-points/{point_id}/retire", {"expected_version": "2"})
    assert no_retire_reason.status_code == 400 and "撤销风险点须说明原因" in no_retire_reason.text
    assert (await user.post(f"/risk-points/{point_id}/retire", {"expected_version": "2", "reason": "抛光线已拆除"})).status_code == 303
    retired = await user.get(f"/risk-points/{point_id}?saved=retired")
    assert retired.status_code == 200 and "已撤销" in retired.text and 'data-action="edit"' not in retired.text
    history = (await api.client.get(f"/api/v1/risk-points/{point_id}/history", headers=admin)).json()
    assert [(h["action"], h["reason"]) for h in history] == [("created", "初次辨识"), ("updated", "泄爆片已安装"), ("retired", "抛光线已拆除")]


def _sign_in_new(browser: Any, server: ConsoleServer, username: str) -> tuple[Any, Any, list[str]]:
    context = new_context(browser, viewport=TABLET)
    page = context.new_page()
    errors = _errors(page)
    _sign_in(page, server, username)
    return context, page, errors


def test_an_enterprise_user_keeps_its_risk_register_and_others_see_it_only_within_their_scope(browser, console_server: ConsoleServer, shots: Shots, tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = console_server
    enterprise_id = server.world.enterprise_id
    with server.api("root") as api:
        for username, region in (("jiancha_gh", "510681"), ("jiancha_jj", "510104")):
            created = api.post("/api/v1/users", json={"username": username, "password": PASSWORD, "role": "inspector", "display_name": username,
                                                      "region_code": region, "industries": ["hazchem"]})
            assert created.status_code == 201, created.text
    base = server.base

    # ---- the enterprise user: an empty register, then a point ----
    context, page, errors = _sign_in_new(browser, server, "qiye1")
    nav = page.locator("nav.aj-nav")
    expect(nav.locator("a", has_text="风险清单")).to_be_visible()
    expect(nav.locator("a", has_text="安全码")).to_be_visible()
    nav.locator("a", has_text="风险清单").click()
    page.wait_for_url(f"{base}/enterprises/{enterprise_id}/risk-register")
    assert "尚未辨识任何风险点" in page.inner_text("[data-summary=gaps]")
    shots(page, "register-empty")

    page.click("[data-action=new-point]")
    page.wait_for_url("**/risk-register/new")
    page.fill("#f-name", "液氨储罐区")
    page.select_option("#f-kind", "place")
    page.fill("#f-location", "厂区东北角")
    page.fill("#f-posts", "储罐操作工、巡检工")
    page.fill("#f-contact", "安全科 0838-5123456")
    page.check("input[name=hazard_factors][value='21']")
    page.check("input[name=hazard_factors][value='22']")
    page.check("input[name=accident_types][value=poisoning_asphyxiation]")
    page.check("input[name=accident_types][value=other_explosion]")
    page.select_option("#lec-l", "3")  # 可能，但不经常
    page.select_option("#lec-e", "6")  # 每天工作时间内暴露
    page.select_option("#lec-c", "7")  # 严重，重伤 → D = 126: 一般风险（黄）
    page.select_option("#c0-kind", "engineering")
    page.select_option("#c0-level", "team")
    page.fill("#c0-text", "储罐区设置可燃及有毒气体报警器并与喷淋联锁")
    page.fill("#c0-post", "储罐班长")
    page.fill("#c0-person", "刘安全")
    page.select_option("#c1-kind", "management")
    page.select_option("#c1-level", "post")
    page.fill("#c1-text", "每班巡检储罐液位、压力和阀门泄漏情况并记录")
    page.fill("#c1-post", "储罐操作工")
    page.fill("#c1-person", "张操作")
    page.locator("#c1-person").scroll_into_view_if_needed()
    shots(page, "point-new")
    page.click("[data-action=save]")
    page.wait_for_url("**/risk-points/*?saved=created")
    point_url = page.url.split("?")[0]
    point_id = point_url.rsplit("/", 1)[1]
    expect(page.locator("h1 [data-risk]")).to_have_attribute("data-risk", "moderate")
    assert "黄 · 一般风险" in page.inner_text("h1")
    assert "D = 3 × 6 × 7 = 126" in page.inner_text("[data-explanation]")
    assert page.locator("tr[data-control-code]").count() == 2
    assert page.evaluate("document.querySelector('img.rr-qr').naturalWidth") > 0  # the point's QR code
    shots(page, "point-page", full_page=True)

    # ---- the plant plan: a file that is not an image is refused beside the form, then a PNG ----
    page.goto(f"{base}/enterprises/{enterprise_id}/risk-register/map")
    assert "未上传厂区平面图" in page.inner_text("figcaption")
    bad = tmp_path / "plan.png"
    bad.write_bytes(b"not an image at all")
    page.set_input_files("#plan-file", str(bad))
    page.click("[data-action=upload-plan]")
    expect(page.locator("[data-error=file]")).to_contain_text("PNG 或 JPEG")
    good = tmp_path / "厂区平面图.png"
    good.write_bytes(_plan_png())
    page.set_input_files("#plan-file", str(good))
    page.click("[data-action=upload-plan]")
    page.wait_for_url("**/risk-register/map?saved=plan")
    assert "960×600" in page.inner_text("figcaption")

    # ---- an edit: a third control without a person is refused at its row; the plan places the point ----
    page.goto(f"{point_url}/edit")
    page.click("[data-add-control]")  # a row without a round trip (risk_point_form.js)
    expect(page.locator("[data-control-row='2']")).to_be_visible()
    page.select_option("#c2-kind", "ppe")
    page.select_option("#c2-level", "post")
    page.fill("#c2-text", "进入储罐区佩戴便携式氨气检测仪和防毒面具")
    page.fill("#c2-post", "巡检工")
    page.fill("#f-reason", "增设个体防护措施")
    page.click("[data-action=save]")
    row = page.locator("[data-control-row='2']")
    expect(row.locator("[data-error-field='controls[2].responsible_person']")).to_have_text("必填")
    assert "invalid" in (row.get_attribute("class") or "")
    assert "管控措施第 3 行 · 责任人：必填" in page.inner_text("[role=alert][data-error]")
    assert page.input_value("#c2-text") == "进入储罐区佩戴便携式氨气检测仪和防毒面具"  # values kept
    assert page.input_value("#f-reason") == "增设个体防护措施"
    row.scroll_into_view_if_needed()
    shots(page, "point-edit-refused")
    page.fill("#c2-person", "李巡检")
    plan = page.locator("[data-plan-pick] img")
    plan.scroll_into_view_if_needed()
    box = plan.bounding_box()
    plan.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.25})
    assert abs(float(page.input_value("#f-plan-x")) - 0.5) < 0.02 and abs(float(page.input_value("#f-plan-y")) - 0.25) < 0.02
    shots(page, "point-edit-placed")
    page.click("[data-action=save]")
    page.wait_for_url("**/risk-points/*?saved=updated")
    assert page.locator("tr[data-control-code]").count() == 3
    assert page.locator("tr[data-control-code=C03]").inner_text().count("李巡检") == 1
    history = page.locator(".rr-history tbody tr")
    assert history.count() == 2 and "增设个体防护措施" in history.first.inner_text() and "qiye1" in history.first.inner_text()

    # ---- 四色分布图: the point in yellow at its place, the PNG download ----
    page.goto(f"{base}/enterprises/{enterprise_id}/risk-register/map")
    assert page.evaluate("document.querySelector('img[data-map]').naturalWidth") == 960
    svg = page.request.get(f"{base}/enterprises/{enterprise_id}/four-colour-map.svg")
    dot = re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+" fill="#fbc02d"', svg.text())  # yellow, where it was clicked
    assert svg.ok and dot and abs(float(dot.group(1)) - 480) < 15 and abs(float(dot.group(2)) - 150) < 15, svg.text()[-600:]
    with page.expect_download() as download:
        page.click("[data-action=download-png]")
    assert "安全风险四色分布图" in download.value.suggested_filename and download.value.suggested_filename.endswith(".png")
    assert Image.open(download.value.path()).format == "PNG"
    shots(page, "four-colour-map", full_page=True)

    # ---- the register: summary, the point, the 告知卡, the history ----
    page.goto(f"{base}/enterprises/{enterprise_id}/risk-register")
    assert page.locator("[data-level=moderate] .rr-count").inner_text() == "1"
    assert page.locator("tr[data-point-code='RP-001']").get_attribute("data-level") == "moderate"
    assert "LEC D = 126" in page.locator("tr[data-point-code='RP-001']").inner_text()
    cards = page.request.get(f"{base}/enterprises/{enterprise_id}/risk-notice-cards.pdf?post=巡检工&size=A5")
    assert cards.ok and cards.headers["content-type"] == "application/pdf" and cards.body()[:5] == b"%PDF-"
    shots(page, "register", full_page=True)

    # ---- 安全码: colour and why, QR, the public page; renewing stops the old code ----
    nav.locator("a", has_text="安全码").click()
    page.wait_for_url(f"{base}/enterprises/{enterprise_id}/safety-code")
    assert "逾期未整改隐患" in page.inner_text("[data-reasons]")  # the seeded overdue hazard
    assert page.evaluate("document.querySelector('img.sc-qr').naturalWidth") > 0
    old = page.get_attribute("[data-action=public-page]", "href")
    assert page.request.get(f"{base}{old}").status == 200
    shots(page, "safety-code")
    page.click("summary[data-action=renew]")
    page.click("[data-action=renew-confirm]")
    page.wait_for_url("**/safety-code?saved=renewed")
    assert page.get_attribute("[data-action=public-page]", "href") != old
    assert page.request.get(f"{base}{old}").status == 404
    assert not errors or set(errors) <= {REFUSED}, errors  # the refused plan and form (400, by design); nothing blocked by the CSP
    context.close()

    # ---- an inspector in scope reads, with no button that changes anything, and is refused a POST ----
    context, page, errors = _sign_in_new(browser, server, "jiancha_gh")
    page.goto(f"{base}/enterprises/{enterprise_id}")
    page.click("[data-action=risk-register]")
    page.wait_for_url("**/risk-register")
    assert page.locator("tr[data-point-code='RP-001']").count() == 1
    assert page.locator("[data-action=new-point]").count() == 0
    page.goto(point_url)
    assert page.locator("[data-action=edit], [data-action=retire]").count() == 0
    page.goto(f"{base}/enterprises/{enterprise_id}/safety-code")
    assert page.locator("[data-action=renew]").count() == 0
    page.goto(f"{base}/enterprises/{enterprise_id}/risk-register/map")
    assert page.locator("#plan-file").count() == 0
    shots(page, "inspector-map")
    token = page.get_attribute("form[action='/logout'] input[name=_csrf]", "value")
    refused = page.request.post(f"{point_url}/retire", form={"_csrf": token, "reason": "检查人员不应能撤销", "expected_version": "2"})
    assert refused.status == 403 and "无权执行此操作" in refused.text()
    assert page.request.get(f"{point_url}/edit").status == 403
    assert page.request.post(f"{base}/enterprises/{enterprise_id}/safety-code/renew", form={"_csrf": token}).status == 403
    assert server.query("SELECT active, version FROM risk_point WHERE id = ?", point_id) == [(1, 2)]
    assert not errors, errors
    context.close()

    # ---- an inspector of another county: the same 404 as for what does not exist ----
    context, page, errors = _sign_in_new(browser, server, "jiancha_jj")
    for path in (f"/enterprises/{enterprise_id}/risk-register", point_url.replace(base, ""), f"/enterprises/{enterprise_id}/safety-code",
                 f"/enterprises/{enterprise_id}/four-colour-map.svg"):
        response = page.goto(f"{base}{path}")
        assert response.status == 404 and "页面不存在或无权访问" in page.inner_text("body"), path
    shots(page, "out-of-scope")
    assert set(errors) <= {NOT_FOUND}, errors
    context.close()
