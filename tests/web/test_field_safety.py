"""What the field app does when the browser or the server takes something away: no IndexedDB
(private mode) is said plainly at start; a revoked device is told so, keeps its unsent records
and can still export them; persistent storage is asked for and the answer shown."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import PASSWORD
from tests.web.conftest import new_context
from tests.web.field import Watch, go, login, wait_controlled, wait_entry_state


def test_without_indexeddb_the_app_says_so_instead_of_failing_later(browser, field_server, shots) -> None:  # type: ignore[no-untyped-def]
    context = new_context(browser)
    context.add_init_script("Object.defineProperty(window, 'indexedDB', { get() { return undefined; } })")
    page = context.new_page()
    page.goto(field_server.app_url)
    page.wait_for_selector("[data-fatal='storage']")
    assert "本机数据库（IndexedDB）不可用" in page.inner_text("[data-fatal='storage']")
    assert page.locator("aj-login").count() == 0
    shots(page, "no-indexeddb")
    context.close()


def test_a_revoked_device_is_told_so_and_keeps_its_unsent_records(browser, field_server, shots) -> None:  # type: ignore[no-untyped-def]
    world = field_server.world
    context = new_context(browser)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    watch = Watch(page)
    login(page, field_server)
    page.wait_for_selector("[data-assignment]")
    wait_controlled(page)
    go(page, "sync")
    device_id = page.inner_text("[data-device]")
    assert "持久存储" in page.inner_text("aj-sync") and page.inner_text("[data-persisted]").startswith(("已获准", "未获准"))

    context.set_offline(True)
    go(page, f"hazard/{world.reported_hazard_id}")
    page.click("[data-step='order_rectification']")
    page.fill("input[name=deadline]", (date.today() + timedelta(days=7)).isoformat())
    page.fill("input[name=responsible_person]", "刘安全")
    page.click("[data-step-form] button[type=submit]")
    page.wait_for_selector("[data-step-form]", state="detached")
    go(page, "outbox")
    record_id = page.get_attribute("[data-entry]", "data-entry")

    with field_server.api("root") as admin:
        assert admin.post(f"/api/v1/devices/{device_id}/revoke", json={"reason": "平板丢失"}).status_code == 200
    context.set_offline(False)
    page.wait_for_selector("[data-banner='device-revoked']", timeout=30000)
    assert "本机 1 条未上传记录仍然保留" in page.inner_text("[data-banner='device-revoked']")
    wait_entry_state(page, record_id, "waiting")
    shots(page, "device-revoked")
    go(page, "sync")
    with page.expect_download():
        page.click("[data-export]")  # the records can still leave the tablet
    assert field_server.query("SELECT status FROM hazard WHERE id = ?", world.reported_hazard_id) == [("reported",)]

    page.click("[data-logout]")
    page.wait_for_selector("aj-login")
    page.fill("input[name=username]", "insp1")
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-submit]")
    page.wait_for_function("document.querySelector('[data-error]').textContent.includes('吊销')")
    assert "本机保存的未上传记录不会删除" in page.inner_text("[data-error]")
    shots(page, "login-refused-revoked")
    context.close()
    watch.check()


def test_an_expired_access_token_is_refreshed_and_the_sync_goes_on(browser, seeded_template, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A day offline outlives the access token (ANJIAN_ACCESS_TOKEN_TTL, here the minimum, 30 s):
    the next sync uses the refresh token once and carries on; no login asked for."""
    import shutil

    from tests.web.conftest import APP_SOURCE, FieldServer

    shutil.copyfile(seeded_template[0], tmp_path / "anjian.db")
    shutil.copytree(APP_SOURCE, tmp_path / "app")
    server = FieldServer(tmp_path, tmp_path / "app", seeded_template[1], extra_env={"ANJIAN_ACCESS_TOKEN_TTL": "30"})
    server.start()
    try:
        context = new_context(browser)
        page = context.new_page()
        watch = Watch(page)
        calls: list[tuple[str, int]] = []
        page.on("response", lambda r: calls.append((r.url.split("/api/v1/", 1)[-1].split("?", 1)[0], r.status)) if "/api/v1/" in r.url else None)
        login(page, server)
        page.wait_for_selector("[data-assignment]")
        page.wait_for_timeout(31_000)
        calls.clear()
        go(page, "sync")
        page.click("[data-sync-now]")
        for _ in range(200):  # until the pull after the refresh was answered
            if ("sync/pull", 200) in calls:
                break
            page.wait_for_timeout(100)
        assert ("sync/pull", 401) in calls and calls.count(("auth/refresh", 200)) == 1 and ("sync/pull", 200) in calls
        assert page.locator("[data-banner]").count() == 0
        context.close()
        watch.check()
    finally:
        server.stop()


def test_an_enterprise_that_leaves_the_scope_leaves_the_tablet_with_its_hazards(browser, field_server) -> None:  # type: ignore[no-untyped-def]
    """Pull tombstones: an enterprise deactivated in the office disappears from the tablet at the
    next sync, and its hazards and assignments with it (docs/sync.md, Pull)."""
    world = field_server.world
    context = new_context(browser)
    page = context.new_page()
    watch = Watch(page)
    login(page, field_server)
    page.wait_for_selector(f"[data-assignment='{world.assignment_id}']")
    go(page, "hazards")
    assert page.locator("[data-hazard]").count() == 2
    with field_server.api("root") as admin:
        answer = admin.patch(f"/api/v1/enterprises/{world.enterprise_id}", json={"active": False})
        assert answer.status_code == 200, answer.text
    go(page, "sync")
    page.click("[data-sync-now]")
    go(page, "hazards")
    page.wait_for_function("document.querySelectorAll('[data-hazard]').length === 0")
    go(page, "tasks")
    assert page.locator("[data-assignment]").count() == 0
    go(page, "enterprises")
    page.fill("[data-query]", "红星")
    page.wait_for_function("document.querySelector('[data-count]').textContent.includes('匹配 0 家')")
    context.close()
    watch.check()
