"""Ways an inspector could lose or double work without noticing: the same draft open in two tabs
(the later save never overwrites the other tab's silently), and a double tap on a button that
queues a record (one record, not two)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.web.conftest import new_context
from tests.web.field import Watch, go, login, saved, wait_controlled

APP = "(await import('./js/session.js')).app"


def test_a_draft_open_in_two_tabs_is_never_overwritten_silently(browser, field_server, shots) -> None:  # type: ignore[no-untyped-def]
    context = new_context(browser)
    first = context.new_page()
    watch = Watch(first)
    login(first, field_server)
    first.wait_for_selector("[data-assignment]")
    wait_controlled(first)
    go(first, f"enterprise/{field_server.world.enterprise_id}")
    first.click("[data-checklist^='hazchem.enterprise_general@']")
    first.wait_for_selector("aj-inspection[data-ready='1']")
    draft_id = first.evaluate("location.hash.split('/')[2]")
    saved(first)

    second = context.new_page()
    watch2 = Watch(second)
    second.goto(f"{field_server.app_url}#/inspect/{draft_id}")
    second.wait_for_selector("aj-inspection[data-ready='1']")

    first.click("[data-pass-rest='A']")  # the first tab saves over what both read
    saved(first)
    second.click("[data-pass-rest='B']")  # the second tab's view is now out of date: refused, said
    second.wait_for_selector("aj-inspection[data-stale='1'] .banner.stale")
    assert "已在另一个窗口中修改" in second.inner_text(".banner.stale")
    assert "未保存" in second.inner_text("[data-saved]")
    shots(second, "stale-draft-in-second-tab", focus=".banner.stale")
    answers = first.evaluate(f"async (id) => Object.keys((await ({APP}).store.getDraft(id)).answers)", draft_id)
    assert answers and all(code.startswith("A") for code in answers), answers

    second.click("[data-reopen]")  # reopened: it shows the first tab's answers and saves again
    second.wait_for_selector("aj-inspection[data-ready='1']")
    assert second.locator("#item-A01.answered").count() == 1
    second.click("[data-pass-rest='B']")
    saved(second)
    assert second.locator("aj-inspection[data-stale='1']").count() == 0
    answers = second.evaluate(f"async (id) => Object.keys((await ({APP}).store.getDraft(id)).answers)", draft_id)
    assert any(code.startswith("A") for code in answers) and any(code.startswith("B") for code in answers)
    context.close()
    watch.check()
    watch2.check()


def test_a_double_tap_on_a_step_queues_it_once(browser, field_server) -> None:  # type: ignore[no-untyped-def]
    context = new_context(browser)
    page = context.new_page()
    watch = Watch(page)
    login(page, field_server)
    page.wait_for_selector("[data-assignment]")
    wait_controlled(page)
    context.set_offline(True)
    go(page, f"hazard/{field_server.world.reported_hazard_id}")
    page.click("[data-step='order_rectification']")
    page.fill("input[name=deadline]", (date.today() + timedelta(days=7)).isoformat())
    page.fill("input[name=responsible_person]", "刘安全")
    page.evaluate("() => { const form = document.querySelector('[data-step-form]'); form.requestSubmit(); form.requestSubmit(); }")
    page.wait_for_selector("[data-step-form]", state="detached")
    page.wait_for_timeout(500)
    entries = page.evaluate(f"async () => (await ({APP}).store.listOutbox()).map(e => e.state)")
    assert entries == ["waiting"], entries
    context.close()
    watch.check()
