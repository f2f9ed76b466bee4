"""Scenario 7: a new app version published while the tablet is offline (it stays usable and takes
over at the next online start, the data kept); logout with unsent records (kept); a second user on
the same tablet (sees none of them); export of the unsent records and import into a fresh browser
profile (sent there; sent again from the first tablet: a duplicate, stored once)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.web.conftest import new_context
from tests.web.field import Watch, go, login, offline_reload, wait_controlled, wait_entry_state

NEW_VERSION = "1.0.1-test"


def _version(app_dir) -> str:  # type: ignore[no-untyped-def]
    return str((app_dir / "sw.js").read_text(encoding="utf-8").split("const VERSION = '", 1)[1].split("'", 1)[0])


def _publish_new_version(app_dir) -> None:  # type: ignore[no-untyped-def]
    sw = app_dir / "sw.js"
    text = sw.read_text(encoding="utf-8")
    sw.write_text(text.replace(f"const VERSION = '{_version(app_dir)}'", f"const VERSION = '{NEW_VERSION}'"), encoding="utf-8")


def test_update_logout_second_user_and_export_import(browser, field_server, shots, tmp_path) -> None:  # type: ignore[no-untyped-def]
    world = field_server.world
    old_version = _version(field_server.app_dir)
    tablet = new_context(browser)
    page = tablet.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    watch = Watch(page)
    login(page, field_server)
    page.wait_for_selector(f"[data-assignment='{world.assignment_id}']")
    wait_controlled(page)
    page.wait_for_function("v => document.body.dataset.version === v", arg=old_version)

    # Offline work: a hazard step in the outbox and an inspection begun.
    tablet.set_offline(True)
    go(page, f"hazard/{world.reported_hazard_id}")
    page.click("[data-step='order_rectification']")
    page.fill("input[name=deadline]", (date.today() + timedelta(days=7)).isoformat())
    page.fill("input[name=responsible_person]", "刘安全")
    page.click("[data-step-form] button[type=submit]")
    page.wait_for_function("document.querySelector('[data-status]')?.textContent.includes('整改中')")
    go(page, f"enterprise/{world.enterprise_id}")
    page.click("[data-checklist^='hazchem.enterprise_general@']")
    page.wait_for_selector("aj-inspection[data-ready='1']")
    page.click("[data-pass-rest='A']")
    page.wait_for_function("document.querySelector('aj-inspection').dataset.dirty === '0'")
    go(page, "outbox")
    record_id = page.get_attribute("[data-entry]", "data-entry")

    # A new version is published while the tablet is offline: it keeps working on the old one.
    _publish_new_version(field_server.app_dir)
    offline_reload(page, tablet)
    page.wait_for_selector("aj-shell")
    page.wait_for_function("v => document.body.dataset.version === v", arg=old_version)
    wait_entry_state(page, record_id, "waiting")
    go(page, "inspections")
    assert page.locator("[data-draft]").count() == 1
    shots(page, "offline-old-version-keeps-working")

    # Export the unsent data (offline), then log out: nothing is deleted.
    go(page, "sync")
    assert "导出未上传数据（1 条）" in page.inner_text("[data-export]")
    with page.expect_download() as download:
        page.click("[data-export]")
    export = tmp_path / "export.json"
    download.value.save_as(export)
    shots(page, "sync-screen-export")
    page.click("[data-logout]")
    page.wait_for_selector("aj-login")

    # Next online start: the new version takes over (downloaded, then active at the next start).
    tablet.set_offline(False)
    page.reload()
    page.wait_for_selector("body[data-ready]")
    page.wait_for_function(f"document.body.dataset.version === '{NEW_VERSION}' || !!document.querySelector('[data-notice=update]')", timeout=30000)
    if page.evaluate(f"document.body.dataset.version !== '{NEW_VERSION}'"):
        shots(page, "new-version-downloaded")
        page.reload()
    page.wait_for_function(f"document.body.dataset.version === '{NEW_VERSION}'", timeout=30000)

    # A second user on the same tablet sees nothing of the first one's work.
    login(page, field_server, "insp2")
    go(page, "outbox")
    assert page.locator("[data-entry]").count() == 0
    go(page, "inspections")
    assert page.locator("[data-draft]").count() == 0
    go(page, "hazards")
    assert page.locator("[data-hazard]").count() == 0
    go(page, "enterprises")
    page.wait_for_function("document.querySelector('[data-count]').textContent.includes('本机共 1 家企业')")
    assert "红星" not in page.content()
    shots(page, "second-user")
    go(page, "sync")
    page.click("[data-logout]")
    page.wait_for_selector("aj-login")

    # A fresh browser profile: the same inspector imports the export; it is sent from there.
    other = new_context(browser)
    page2 = other.new_page()
    watch2 = Watch(page2)
    login(page2, field_server)
    go(page2, "sync")
    page2.locator("[data-import]").set_input_files(str(export))
    page2.wait_for_selector("aj-sync[data-imported='1']")
    wait_entry_state(page2, record_id, "accepted")
    go(page2, "inspections")
    assert page2.locator("[data-draft]").count() == 1, "the unfinished inspection came along"
    shots(page2, "imported-and-sent")
    assert field_server.query("SELECT status, responsible_person FROM hazard WHERE id = ?", world.reported_hazard_id) == [("rectifying", "刘安全")]

    # The first inspector back on the first tablet: their kept record goes out by itself, once.
    login(page, field_server)
    wait_entry_state(page, record_id, "duplicate")
    go(page, "inspections")
    assert page.locator("[data-draft]").count() == 1
    shots(page, "first-user-back-duplicate")
    assert field_server.query("SELECT count(*) FROM sync_record WHERE id = ?", record_id) == [(1,)]
    assert field_server.query("SELECT count(*) FROM hazard_transition WHERE hazard_id = ?", world.reported_hazard_id)[0][0] >= 1
    other.close()
    tablet.close()
    watch.check()
    watch2.check()
