"""Scenario 6: a hazard step taken offline meets a newer server state (the department extended
the deadline meanwhile): the app shows the conflict, the server's state beside mine, and the
inspector re-applies the step on the current version, which the server accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.web.conftest import new_context
from tests.web.field import Watch, attach, go, login, wait_controlled, wait_entry_state


def test_an_offline_step_meeting_a_newer_state_is_shown_and_reapplied(browser, field_server, shots, photo_file) -> None:  # type: ignore[no-untyped-def]
    hazard_id = field_server.world.rectifying_hazard_id
    context = new_context(browser)
    page = context.new_page()
    watch = Watch(page)
    login(page, field_server)
    page.wait_for_selector("[data-assignment]")
    wait_controlled(page)

    context.set_offline(True)
    go(page, f"hazard/{hazard_id}")
    page.click("[data-step='report_rectified']")
    attach(page, "[data-step-form] aj-photos", photo_file)
    page.fill("textarea[name=reason]", "已加装漏电保护器并测试动作正常")
    page.click("[data-step-form] button[type=submit]")
    page.wait_for_function("document.querySelector('[data-status]')?.textContent.includes('待复查')")

    with field_server.api("root") as admin:  # meanwhile, in the office: the deadline is extended (version 2 → 3)
        answer = admin.post(f"/api/v1/hazards/{hazard_id}/transitions", json={
            "to_status": "rectifying", "reason": "企业申请延期：漏电保护器到货延迟", "deadline": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        })
        assert answer.status_code == 200, answer.text

    context.set_offline(False)
    go(page, "outbox")
    first = page.get_attribute("[data-entry]", "data-entry")
    wait_entry_state(page, first, "conflict")
    assert "需要您决定是否重新应用" in page.inner_text(f"[data-entry='{first}']")
    shots(page, "conflict-in-outbox")
    page.click(f"[data-entry='{first}'] a.button")
    page.wait_for_selector(f"[data-conflict='{first}']")
    conflict = page.inner_text(f"[data-conflict='{first}']")
    assert "服务器当前状态" in conflict and "整改中" in conflict and "版本 3" in conflict
    assert "我的操作（报告整改完成，基于版本 2）" in conflict and "已加装漏电保护器" in conflict
    shots(page, "conflict-side-by-side", focus=f"[data-conflict='{first}']")

    page.click(f"[data-conflict='{first}'] [data-resolve='reapply']")
    page.wait_for_function(f"!document.querySelector(\"[data-conflict='{first}']\")")
    go(page, "outbox")
    page.wait_for_function("document.querySelectorAll('[data-entry]').length === 2")
    second = page.evaluate(f"[...document.querySelectorAll('[data-entry]')].map(e => e.dataset.entry).find(id => id !== '{first}')")
    wait_entry_state(page, second, "accepted")
    assert page.get_attribute(f"[data-entry='{first}']", "data-state") == "resolved"
    shots(page, "reapplied-accepted")
    assert field_server.query("SELECT status, version FROM hazard WHERE id = ?", hazard_id) == [("awaiting_recheck", 4)]
    assert field_server.query("SELECT record_id, base_version, server_version FROM sync_conflict") == [(first, 2, 3)]
    go(page, f"hazard/{hazard_id}")
    page.wait_for_function("document.querySelector('[data-status]').textContent.includes('待复查')")
    context.close()
    watch.check()
