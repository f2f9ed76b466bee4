"""Scenario 5: a record the server rejects is shown with its Chinese reason and kept; corrected
and sent again (same id), it is accepted.

The tablet's clock is ten days slow (it happens: a tablet off the network for weeks), so a
deadline "in five days" on the tablet lies in the past for the server, which refuses it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.web.conftest import new_context
from tests.web.field import Watch, go, login, wait_controlled, wait_entry_state

SLOW = timedelta(days=10)


def test_a_rejected_step_is_kept_with_its_reason_corrected_and_accepted(browser, field_server, shots) -> None:  # type: ignore[no-untyped-def]
    hazard_id = field_server.world.reported_hazard_id
    context = new_context(browser)
    context.clock.set_system_time(datetime.now() - SLOW)
    tablet_today = (datetime.now(ZoneInfo("Asia/Shanghai")) - SLOW).date()
    page = context.new_page()
    watch = Watch(page)
    login(page, field_server)
    page.wait_for_selector("[data-assignment]")
    wait_controlled(page)
    go(page, "sync")
    page.wait_for_function("document.querySelector('[data-skew]').textContent.includes('慢 10 天')")
    shots(page, "clock-skew")

    context.set_offline(True)
    go(page, f"hazard/{hazard_id}")
    page.click("[data-step='order_rectification']")
    page.fill("input[name=deadline]", (tablet_today + timedelta(days=5)).isoformat())
    page.fill("input[name=responsible_person]", "刘安全")
    page.click("[data-step-form] button[type=submit]")
    page.wait_for_function("document.querySelector('[data-status]')?.textContent.includes('整改中')")  # taken locally at once

    context.set_offline(False)
    go(page, "outbox")
    record_id = page.get_attribute("[data-entry]", "data-entry")  # the one record of this tablet
    wait_entry_state(page, record_id, "rejected")
    entry = page.locator(f"[data-entry='{record_id}']")
    assert "退回原因：整改期限必须晚于当前时间" in entry.inner_text()
    assert field_server.query("SELECT status FROM hazard WHERE id = ?", hazard_id) == [("reported",)]
    assert field_server.query("SELECT record_id, status FROM sync_quarantine") == [(record_id, "open")]
    shots(page, "rejected-with-reason")
    page.reload()  # kept: a rejected record never leaves the tablet by itself
    wait_entry_state(page, record_id, "rejected")

    page.click(f"[data-fix='{record_id}']")
    page.wait_for_selector("aj-hazard[data-ready='1'] [data-step-form]")
    assert "整改期限必须晚于当前时间" in page.inner_text("aj-hazard .problems")
    assert page.input_value("input[name=responsible_person]") == "刘安全"
    page.fill("input[name=deadline]", (tablet_today + timedelta(days=25)).isoformat())
    shots(page, "correcting")
    page.click("[data-step-form] button[type=submit]")
    page.wait_for_selector("[data-step-form]", state="detached")
    wait_entry_state(page, record_id, "accepted")
    shots(page, "accepted-after-correction")
    assert field_server.query("SELECT status, responsible_person FROM hazard WHERE id = ?", hazard_id) == [("rectifying", "刘安全")]
    assert field_server.query("SELECT status FROM sync_quarantine WHERE record_id = ?", record_id) == [("superseded",)]
    context.close()
    watch.check()
