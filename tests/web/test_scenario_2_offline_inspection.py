"""Scenario 2: offline, fill the real built-in hazchem checklist with three failed items (one
major), photos and two signatures; close the page mid-way and reopen it: the draft is intact;
finish it. Nothing reaches the server while offline."""

from __future__ import annotations

from tests.web.conftest import new_context
from tests.web.field import Watch, fill_first_half, fill_second_half, finish, go, item, login, open_app, wait_controlled


def test_offline_inspection_survives_closing_the_page_and_is_queued(browser, field_server, shots, photo_file) -> None:  # type: ignore[no-untyped-def]
    world = field_server.world
    context = new_context(browser)
    page = context.new_page()
    watch = Watch(page)
    login(page, field_server)
    page.wait_for_selector(f"[data-assignment='{world.assignment_id}']")
    wait_controlled(page)
    context.set_offline(True)

    page.click(f"[data-assignment='{world.assignment_id}'] [data-start]")  # one checklist fits: straight in
    page.wait_for_selector("aj-inspection[data-ready='1']")
    draft_id = page.evaluate("location.hash.split('/')[2]")
    assert "危险化学品企业安全检查表（通用）" in page.inner_text(".inspect-head")
    page.wait_for_function("document.querySelector('[data-gps]').textContent.includes('30.99123')")
    fill_first_half(page, photo_file)
    shots(page, "failed-major-item", focus=f"{item('A12')} [data-hazard-form]")

    page.close()  # mid-way: the tab is gone (a crash, a flat battery)
    page = context.new_page()
    watch = Watch(page)
    open_app(page, field_server)  # still offline: from the service worker's cache
    go(page, "inspections")
    page.wait_for_selector(f"[data-draft='{draft_id}']")
    shots(page, "draft-listed")
    page.click(f"[data-draft='{draft_id}'] a")
    page.wait_for_selector("aj-inspection[data-ready='1']")
    assert page.locator(f"{item('A12')}.failed").count() == 1
    assert page.input_value(f"{item('A12')} [data-hz='description']").startswith("罐区可燃气体检测报警器")
    assert page.input_value(f"{item('A12')} [data-hz='rectification_plan']").startswith("停用罐区动火作业")
    assert page.get_attribute(f"{item('A12')} aj-photos[data-target='evidence']", "data-count") == "1"
    assert page.locator(f"{item('B03')}.failed").count() == 1
    assert page.locator(f"{item('B01')}.answered").count() == 1
    assert "已答 29 / 60" in page.inner_text("[data-progress]")

    page.click("[data-finish]")  # not yet: the problems are listed, nothing is queued
    page.wait_for_selector(".problems")
    assert "C01：必答项尚未作答" in page.inner_text(".problems")
    shots(page, "finish-refused")

    fill_second_half(page, photo_file)
    assert "3 项不合格" in page.inner_text("[data-progress]")
    shots(page, "signatures", focus="[data-signature='enterprise']")
    finish(page)
    entry = page.locator(f"[data-entry='{draft_id}']")
    assert entry.get_attribute("data-state") == "waiting"
    assert "等待上传" in entry.inner_text()
    shots(page, "queued-offline")
    assert field_server.query("SELECT count(*) FROM submission") == [(0,)]
    go(page, "inspections")
    assert page.locator("[data-draft]").count() == 0, "the finished draft left the list"
    context.close()
    watch.check()
