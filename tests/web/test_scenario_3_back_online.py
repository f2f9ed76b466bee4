"""Scenario 3: back online, the app syncs by itself; the server holds exactly one submission with
its hazards and photos; the app shows it as accepted."""

from __future__ import annotations

import json

from tests.web.conftest import new_context
from tests.web.field import Watch, go, queue_offline_inspection, wait_entry_state


def test_back_online_the_inspection_is_sent_once_with_hazards_and_photos(browser, field_server, shots, photo_file) -> None:  # type: ignore[no-untyped-def]
    world = field_server.world
    context = new_context(browser)
    page = context.new_page()
    watch = Watch(page)
    record_id = queue_offline_inspection(page, context, field_server, photo_file)

    context.set_offline(False)  # nobody taps anything: the app notices the network and sends
    wait_entry_state(page, record_id, "accepted")
    page.wait_for_function(f"document.querySelector(\"[data-entry='{record_id}'] [data-photos]\").textContent.includes('3/3 已上传')", timeout=30000)
    shots(page, "accepted")

    assert field_server.query("SELECT count(*) FROM submission WHERE id = ?", record_id) == [(1,)]
    assert field_server.query("SELECT count(*) FROM submission") == [(1,)]
    (answers, signatures, assignment_id, latitude) = field_server.query("SELECT answers, signatures, assignment_id, latitude FROM submission")[0]
    answers, signatures = json.loads(answers), json.loads(signatures)
    assert answers["A12"]["result"] == "fail" and answers["D05"]["value"] == 18
    assert assignment_id == world.assignment_id and abs(latitude - 30.99123) < 1e-6
    hazards = dict(field_server.query("SELECT item_code, level FROM hazard WHERE submission_id = ?", record_id))
    assert hazards == {"A12": "major", "B03": "general", "D05": "general"}
    assert field_server.query("SELECT count(*) FROM sync_quarantine") == [(0,)]
    shas = {answers["A12"]["photos"][0], *(s["sha256"] for s in signatures)}
    assert len(shas) == 3 and all(field_server.stored_attachment(sha) for sha in shas), "the photo and both signatures are on the server"

    go(page, "hazards")  # the pull brought the server's hazards of this inspection
    page.wait_for_function("document.querySelector('aj-hazards').textContent.includes('罐区可燃气体检测报警器')")
    shots(page, "hazards-after-sync")
    go(page, "tasks")
    page.wait_for_function(f"!document.querySelector(\"[data-assignment='{world.assignment_id}']\")")  # done on the server

    # The 一企一档 card: the inspection came back from the server as a past inspection (once: the
    # tablet's own record is not listed beside it), with its checklist and what it found.
    [(inspection_id,)] = field_server.query("SELECT id FROM inspection WHERE submission_id = ?", record_id)
    go(page, f"enterprise/{world.enterprise_id}")
    page.wait_for_selector(f"[data-inspection='{inspection_id}']")
    past = page.inner_text(f"[data-inspection='{inspection_id}']")
    assert "张检查" in past and "危险化学品企业安全检查表（通用）" in past and "不合格 3 项" in past and "隐患 3 项" in past, past
    assert page.locator("[data-past] [data-inspection]").count() == 2 and page.locator("[data-local]").count() == 0
    page.wait_for_function("!document.querySelector('#toasts .toast')", timeout=15000)  # the finishing toast has gone
    shots(page, "enterprise-card-past-inspections", focus=f"[data-inspection='{inspection_id}']")
    context.close()
    watch.check()
