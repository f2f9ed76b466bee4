"""A revoked tablet hears that its device was revoked (``device_revoked``), not only that its
login ended: revoking a device also ends its sessions, and the field app must tell the inspector
why sync stopped (and keep the unsent records) instead of asking for a login that will be refused."""

from __future__ import annotations

import uuid

from tests.conftest import PASSWORD


async def test_a_revoked_devices_requests_and_refresh_answer_device_revoked(api, admin) -> None:  # type: ignore[no-untyped-def]
    await api.user("field_user", "inspector", region_code="510681", industries=["hazchem"])
    device_id = str(uuid.uuid4())
    login = await api.client.post("/api/v1/auth/login", json={"username": "field_user", "password": PASSWORD, "device_id": device_id})
    tokens = login.json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    revoke = await api.client.post(f"/api/v1/devices/{device_id}/revoke", json={"reason": "平板丢失"}, headers=admin)
    assert revoke.status_code == 200

    pull = await api.client.get("/api/v1/sync/pull", headers=headers)
    assert pull.status_code == 401
    assert pull.json()["code"] == "device_revoked" and "吊销" in pull.json()["message_zh"]
    refresh = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 403 and refresh.json()["code"] == "device_revoked"


async def test_a_logged_out_session_on_a_live_device_still_answers_session_ended(api) -> None:  # type: ignore[no-untyped-def]
    await api.user("field_user2", "inspector", region_code="510681", industries=["hazchem"])
    login = await api.client.post("/api/v1/auth/login", json={"username": "field_user2", "password": PASSWORD, "device_id": str(uuid.uuid4())})
    tokens = login.json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await api.client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    me = await api.client.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 401 and me.json()["code"] == "session_ended"
    refresh = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401 and refresh.json()["code"] == "session_ended"
