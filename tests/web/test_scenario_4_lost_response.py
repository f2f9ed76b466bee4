"""Scenario 4: the push response is lost (the server stored the record, the tablet never heard):
the app keeps the record, sends it again by itself, the server answers ``duplicate``; it is
stored once and the app shows it as sent."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import new_context
from tests.web.field import Watch, go, queue_offline_inspection, wait_entry_state


def test_a_lost_push_response_is_retried_and_stored_once(browser, field_server, shots, photo_file) -> None:  # type: ignore[no-untyped-def]
    context = new_context(browser)
    page = context.new_page()
    watch = Watch(page)
    record_id = queue_offline_inspection(page, context, field_server, photo_file)

    delivered: list[int] = []
    state = {"network_back": False}

    def lose_answer(route: Any) -> None:
        if not delivered:
            delivered.append(route.fetch().status)  # the server stores the batch and answers…
            route.abort("connectionreset")  # …and the answer never reaches the tablet
        elif not state["network_back"]:
            route.abort("internetdisconnected")  # the network is still poor: not even sent
        else:
            route.continue_()

    page.route("**/api/v1/sync/push", lose_answer)
    context.set_offline(False)
    page.wait_for_function(f"document.querySelector(\"[data-entry='{record_id}'] .warn-text\")", timeout=30000)
    assert delivered == [200]
    assert field_server.query("SELECT count(*) FROM submission WHERE id = ?", record_id) == [(1,)], "the lost answer's batch was stored"
    assert page.get_attribute(f"[data-entry='{record_id}']", "data-state") in ("waiting", "sending"), "no answer: the record stays in the outbox"
    shots(page, "answer-lost")

    state["network_back"] = True
    wait_entry_state(page, record_id, "duplicate", timeout=60000)
    text = page.inner_text(f"[data-entry='{record_id}']")
    assert "已上传（重复提交）" in text and "首次结果：已接收" in text
    shots(page, "duplicate")
    assert field_server.query("SELECT count(*) FROM submission") == [(1,)]
    assert field_server.query("SELECT count(*) FROM sync_record WHERE id = ?", record_id) == [(1,)]
    assert field_server.query("SELECT count(*) FROM hazard WHERE submission_id = ?", record_id) == [(3,)]
    go(page, "sync")
    context.close()
    watch.check()
