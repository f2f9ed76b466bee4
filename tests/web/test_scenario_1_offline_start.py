"""Scenario 1: log in online, pull, go offline (network emulation), reload: the app opens from
its cache with everything pulled."""

from __future__ import annotations

from tests.web.conftest import new_context
from tests.web.field import Watch, go, login, offline_reload, wait_controlled


def test_app_opens_offline_from_its_cache_with_pulled_data(browser, field_server, shots) -> None:  # type: ignore[no-untyped-def]
    context = new_context(browser)
    page = context.new_page()
    watch = Watch(page)
    page.goto(field_server.app_url)
    page.wait_for_selector("aj-login")
    shots(page, "login")
    login(page, field_server)
    page.wait_for_selector(f"[data-assignment='{field_server.world.assignment_id}']")
    task = page.inner_text(f"[data-assignment='{field_server.world.assignment_id}']")
    assert "广汉市红星化工有限公司" in task and f"年度计划：{field_server.world.plan_title}" in task, task
    shots(page, "tasks")
    wait_controlled(page)

    offline_reload(page, context)
    page.wait_for_selector("aj-shell")
    assert page.inner_text("[data-net]") == "离线"
    page.wait_for_selector(f"[data-assignment='{field_server.world.assignment_id}']")
    shots(page, "tasks-offline")

    go(page, "enterprises")
    page.fill("[data-query]", "红星")
    page.wait_for_selector(f"[data-enterprise='{field_server.world.enterprise_id}']")
    assert page.locator("[data-enterprise]").count() == 1
    page.fill("[data-query]", "广汉市 化工")
    page.wait_for_function("document.querySelectorAll('[data-enterprise]').length === 2")
    shots(page, "enterprise-search-offline")
    go(page, f"enterprise/{field_server.world.enterprise_id}")
    card = page.inner_text("aj-enterprise")
    assert "较大风险（橙）" in card and "危险化学品企业安全检查表（通用）" in card and "消防通道堆放杂物" in card
    past = page.inner_text(f"[data-inspection='{field_server.world.past_inspection_id}']")
    assert "张检查" in past and "现场登记（无检查表）" in past, past  # the paper visit, pulled as a past inspection
    assert "广汉市万达购物广场" not in page.content(), "another scope's enterprise is never on this tablet"
    shots(page, "enterprise-card-offline", full_page=True)
    context.close()
    watch.check()
