"""Logout while offline: the login ends on the server at the next online moment. Until then the
tokens are kept in the browser's device database (not the user's); once the network is back the
app revokes them by itself, and the refresh token of that login no longer works."""

from __future__ import annotations

import httpx

from tests.web.conftest import new_context
from tests.web.field import Watch, go, login, wait_controlled

PENDING = "async () => { const d = await import('./js/store/device.js'); return (await d.pendingRevocations()).length; }"


def test_a_logout_offline_is_revoked_at_the_server_when_the_network_returns(browser, field_server, shots) -> None:  # type: ignore[no-untyped-def]
    context = new_context(browser)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    watch = Watch(page)
    login(page, field_server)
    page.wait_for_selector(f"[data-assignment='{field_server.world.assignment_id}']")
    wait_controlled(page)
    tokens = page.evaluate("async () => (await import('./js/session.js')).app.store.get('auth')")
    device_id = page.evaluate("async () => (await import('./js/session.js')).app.deviceId")
    session = "SELECT revoked_at, revoke_reason FROM auth_session WHERE device_id = ?"

    context.set_offline(True)
    go(page, "sync")
    page.click("[data-logout]")
    page.wait_for_selector("aj-login")
    assert page.evaluate(PENDING) == 1
    page.wait_for_selector("[data-revocations]:not([hidden])")
    assert "联网后将自动在服务器上注销" in page.inner_text("[data-revocations]")
    shots(page, "logged-out-offline")
    assert field_server.query(session, device_id) == [(None, None)], "the server cannot know yet"
    assert page.evaluate("async () => (await import('./js/session.js')).app.store") is None
    assert page.evaluate("async () => { const d = await import('./js/store/device.js'); return d.currentUser(); }") is None

    context.set_offline(False)  # nobody taps anything: the app notices the network and revokes
    for _ in range(100):
        if page.evaluate(PENDING) == 0:
            break
        page.wait_for_timeout(200)
    assert page.evaluate(PENDING) == 0
    [(revoked_at, reason)] = field_server.query(session, device_id)
    assert revoked_at is not None and reason == "logout"
    base = f"http://127.0.0.1:{field_server.port}"
    refreshed = httpx.post(f"{base}/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}, timeout=30)
    assert refreshed.status_code == 401, refreshed.text
    me = httpx.get(f"{base}/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=30)
    assert me.status_code == 401, me.text

    login(page, field_server)  # the same inspector again: a new login, which works
    page.wait_for_selector(f"[data-assignment='{field_server.world.assignment_id}']")
    context.close()
    watch.check()


def test_a_logout_offline_after_the_access_token_expired_still_ends_the_login(browser, seeded_template, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A day offline outlives the access token (here 30 s): the queued logout refreshes once,
    then logs out; the refresh tokens (the queued and the new one) stop working."""
    import shutil

    from tests.web.conftest import APP_SOURCE, FieldServer

    shutil.copyfile(seeded_template[0], tmp_path / "anjian.db")
    shutil.copytree(APP_SOURCE, tmp_path / "app")
    server = FieldServer(tmp_path, tmp_path / "app", seeded_template[1], extra_env={"ANJIAN_ACCESS_TOKEN_TTL": "30"})
    server.start()
    try:
        context = new_context(browser)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        watch = Watch(page)
        login(page, server)
        page.wait_for_selector("[data-assignment]")
        wait_controlled(page)
        tokens = page.evaluate("async () => (await import('./js/session.js')).app.store.get('auth')")
        device_id = page.evaluate("async () => (await import('./js/session.js')).app.deviceId")
        context.set_offline(True)
        go(page, "sync")
        page.click("[data-logout]")
        page.wait_for_selector("aj-login")
        page.wait_for_timeout(31_000)
        context.set_offline(False)
        for _ in range(100):
            if page.evaluate(PENDING) == 0:
                break
            page.wait_for_timeout(200)
        assert page.evaluate(PENDING) == 0
        assert server.query("SELECT revoke_reason FROM auth_session WHERE device_id = ?", device_id) == [("logout",)]
        refreshed = httpx.post(f"http://127.0.0.1:{server.port}/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}, timeout=30)
        assert refreshed.status_code == 401, refreshed.text
        context.close()
        watch.check()
    finally:
        server.stop()
