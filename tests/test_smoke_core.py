"""The newcomer's path: health, login, list enterprises."""


async def test_health_answers_without_a_token(api):
    response = await api.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_admin_logs_in_and_lists_enterprises(api, admin):
    created = await api.enterprise(admin, name="广汉市测试化工有限公司")
    response = await api.client.get("/api/v1/enterprises", headers=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert body["items"][0]["id"] == created["id"]
