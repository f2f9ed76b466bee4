"""Login, token expiry, refresh rotation and reuse detection, logout, device revocation, lockout."""

import uuid

import pytest

from tests.conftest import PASSWORD


async def _login(api, username, **extra):
    return await api.client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD, **extra})


async def test_every_api_endpoint_requires_a_token(api):
    for path in ["/api/v1/enterprises", "/api/v1/users", "/api/v1/audit", "/api/v1/devices", "/api/v1/auth/me"]:
        response = await api.client.get(path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "missing_token"


async def test_forged_token_is_refused(api):
    await api.user("u1", "viewer")
    response = await api.client.get("/api/v1/auth/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert response.status_code == 401


async def test_access_token_expires_with_the_clock(api, clock):
    await api.user("u1", "viewer")
    headers = await api.login("u1")
    assert (await api.client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    clock.advance(seconds=api.ctx.settings.access_token_ttl - 1)
    assert (await api.client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    clock.advance(seconds=2)
    expired = await api.client.get("/api/v1/auth/me", headers=headers)
    assert expired.status_code == 401 and expired.json()["code"] == "invalid_token"


async def test_refresh_rotates_and_a_reused_token_revokes_the_family(api):
    await api.user("u1", "inspector")
    first = (await _login(api, "u1")).json()
    second = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    new_headers = {"Authorization": f"Bearer {second['access_token']}"}
    assert (await api.client.get("/api/v1/auth/me", headers=new_headers)).status_code == 200
    # The old refresh token is presented again: theft. The whole login is revoked.
    reused = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401 and reused.json()["code"] == "refresh_token_reused"
    assert (await api.client.get("/api/v1/auth/me", headers=new_headers)).status_code == 401
    after = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401


async def test_refresh_token_expires(api, clock):
    await api.user("u1", "inspector")
    tokens = (await _login(api, "u1")).json()
    clock.advance(seconds=api.ctx.settings.refresh_token_ttl + 1)
    response = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 401


async def test_logout_ends_the_session_at_once(api):
    await api.user("u1", "viewer")
    tokens = (await _login(api, "u1")).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await api.client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    assert (await api.client.get("/api/v1/auth/me", headers=headers)).status_code == 401
    assert (await api.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).status_code == 401


async def test_revoked_device_is_cut_off_at_once(api, admin):
    await api.user("tablet_user", "inspector")
    device_id = str(uuid.uuid4())
    tokens = (await _login(api, "tablet_user", device_id=device_id, device_name="平板一号")).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await api.client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    devices = (await api.client.get("/api/v1/devices", headers=admin)).json()
    assert [d["id"] for d in devices] == [device_id]
    revoke = await api.client.post(f"/api/v1/devices/{device_id}/revoke", json={"reason": "平板丢失"}, headers=admin)
    assert revoke.status_code == 200 and revoke.json()["revoked_at"]
    assert (await api.client.get("/api/v1/auth/me", headers=headers)).status_code == 401
    assert (await api.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).status_code in (401, 403)
    again = await _login(api, "tablet_user", device_id=device_id)
    assert again.status_code == 403 and again.json()["code"] == "device_revoked"
    # Without the revoked tablet the user can still work from another device.
    assert (await _login(api, "tablet_user", device_id=str(uuid.uuid4()))).status_code == 200


async def test_device_enrolled_to_another_user_is_refused(api):
    await api.user("a", "inspector")
    await api.user("b", "inspector")
    device_id = str(uuid.uuid4())
    assert (await _login(api, "a", device_id=device_id)).status_code == 200
    response = await _login(api, "b", device_id=device_id)
    assert response.status_code == 403 and response.json()["field"] == "device_id"


async def test_repeated_failures_lock_the_account_for_a_while(api, clock):
    await api.user("u1", "viewer")
    limit = api.ctx.settings.login_max_failures
    for _ in range(limit):
        bad = await api.client.post("/api/v1/auth/login", json={"username": "u1", "password": "wrong-password"})
        assert bad.status_code == 401
    locked = await _login(api, "u1")
    assert locked.status_code == 429 and locked.json()["code"] == "account_locked"
    assert int(locked.headers["retry-after"]) > 0
    clock.advance(seconds=api.ctx.settings.login_lockout_seconds + 1)
    assert (await _login(api, "u1")).status_code == 200


async def test_success_resets_the_failure_count(api):
    await api.user("u1", "viewer")
    limit = api.ctx.settings.login_max_failures
    for _ in range(limit - 1):
        await api.client.post("/api/v1/auth/login", json={"username": "u1", "password": "wrong-password"})
    assert (await _login(api, "u1")).status_code == 200
    for _ in range(limit - 1):
        await api.client.post("/api/v1/auth/login", json={"username": "u1", "password": "wrong-password"})
    assert (await _login(api, "u1")).status_code == 200


async def test_unknown_user_and_wrong_password_look_the_same(api):
    await api.user("u1", "viewer")
    unknown = await api.client.post("/api/v1/auth/login", json={"username": "nobody", "password": "whatever1"})
    wrong = await api.client.post("/api/v1/auth/login", json={"username": "u1", "password": "whatever1"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


async def test_deactivated_user_loses_access_at_once(api, admin):
    user_id = await api.user("u1", "viewer")
    headers = await api.login("u1")
    response = await api.client.patch(f"/api/v1/users/{user_id}", json={"active": False}, headers=admin)
    assert response.status_code == 200
    assert (await api.client.get("/api/v1/auth/me", headers=headers)).status_code == 401
    assert (await _login(api, "u1")).status_code == 401


@pytest.mark.parametrize("role", ["department_admin", "inspector", "evaluator", "enterprise_user", "viewer"])
async def test_only_admins_manage_users_devices_and_audit(api, admin, role):
    scope = {"enterprise_id": (await api.enterprise(admin))["id"]} if role == "enterprise_user" else {}
    headers = await api.as_new(role, **scope)
    assert (await api.client.get("/api/v1/users", headers=headers)).status_code == 403
    assert (await api.client.get("/api/v1/audit", headers=headers)).status_code == 403
    created = await api.client.post("/api/v1/users", json={"username": "x1", "password": "password123", "role": "admin"}, headers=headers)
    assert created.status_code == 403
