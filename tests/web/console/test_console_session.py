"""The console's session cookie and CSRF protection (web/console/session.py, protection.py):
signing in goes through core's login, the cookie's flags, logout and deactivation end the session
on the next request, sessions expire, the cookie opens no API route, and a changing request without
its CSRF token is refused with a Chinese page and changes nothing."""

from __future__ import annotations

import hashlib
import struct
import zlib

from litestar.testing import AsyncTestClient
from sqlmodel import select

from core.storage.audit_log import AuditEntry
from server import create_app
from tests.conftest import PASSWORD, Api, make_settings, serving
from tests.web.console.conftest import ConsoleUser, cookie_from, login_response, sign_in
from web.console.session import SESSION_COOKIE

FAR = "2099-01-01"


def png(seed: int = 1) -> bytes:
    """A tiny valid PNG whose bytes differ by ``seed``."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes((seed % 256, x * 20 % 256, 90)) * 1 for x in range(4))
    header = struct.pack(">IIBBBBB", 1, 4, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


async def _rectifying_hazard(api: Api, admin: dict[str, str], enterprise_id: str) -> dict:
    hazard = (await api.client.post("/api/v1/hazards", json={"enterprise_id": enterprise_id, "level": "general", "description": "消防通道堵塞"}, headers=admin)).json()
    step = await api.client.post(f"/api/v1/hazards/{hazard['id']}/transitions", headers=admin,
                                 json={"to_status": "rectifying", "deadline": "2099-01-01T00:00:00+08:00", "responsible_person": "刘安全"})
    assert step.status_code == 200, step.text
    return step.json()


async def test_sign_in_sets_a_session_cookie_httponly_lax_for_the_refresh_lifetime(api: Api) -> None:
    await api.user("root", "admin")
    response = await login_response(api.client, "root", next_path="/hazards?open=1")
    assert response.status_code == 303 and response.headers["location"] == "/hazards?open=1"
    header = next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{SESSION_COOKIE}="))
    flags = [part.strip().lower() for part in header.split(";")[1:]]
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert f"max-age={api.app.state.settings.refresh_token_ttl}" in flags
    assert "secure" not in flags  # plain HTTP here; HTTPS below


async def test_over_https_the_cookie_is_secure(app) -> None:  # type: ignore[no-untyped-def]
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as client:
        helper = Api(client, app)
        try:
            await helper.user("root", "admin")
            response = await login_response(client, "root")
        finally:
            await helper.direct.db.dispose()
    header = next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{SESSION_COOKIE}="))
    assert "secure" in [part.strip().lower() for part in header.split(";")]


async def test_sign_in_is_core_login_wrong_password_is_refused_and_audited(api: Api) -> None:
    await api.user("root", "admin")
    wrong = await login_response(api.client, "root", password="not-the-password")
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
    assert cookie_from(wrong, SESSION_COOKIE) is None
    for _ in range(5):
        await login_response(api.client, "root", password="still-wrong")
    locked = await login_response(api.client, "root")  # the right password, but the name is locked for this client
    assert locked.status_code == 429 and "锁定" in locked.text
    async with api.direct.db.read() as session:
        actions = [row.action for row in (await session.exec(select(AuditEntry))).all()]
    assert "login_failed" in actions and "account_locked" in actions
    assert "login" not in actions  # no session was opened


async def test_logout_revokes_the_session_every_copy_of_the_cookie_is_out(api: Api) -> None:
    await api.user("root", "admin")
    user = await sign_in(api.client, "root")
    copy = ConsoleUser(api.client, user.cookie)
    assert (await user.get("/")).status_code == 200
    out = await user.post("/logout")
    assert out.status_code == 303 and out.headers["location"] == "/login?m=logged_out"
    again = await copy.get("/enterprises")
    assert again.status_code == 303 and again.headers["location"].startswith("/login?m=ended")


async def test_a_deactivated_user_is_out_on_the_next_request(api: Api) -> None:
    await api.user("root", "admin")
    staff_id = await api.user("clerk", "viewer", region_code="510681")
    clerk = await sign_in(api.client, "clerk")
    assert (await clerk.get("/")).status_code == 200
    admin = await api.login("root")
    assert (await api.client.patch(f"/api/v1/users/{staff_id}", json={"active": False}, headers=admin)).status_code == 200
    answer = await clerk.get("/hazards")
    assert answer.status_code == 303 and "m=ended" in answer.headers["location"]
    assert "next=%2Fhazards" in answer.headers["location"]


async def test_a_session_expires_after_the_refresh_lifetime(api: Api) -> None:
    await api.user("root", "admin")
    user = await sign_in(api.client, "root")
    api.ctx.clock.advance(seconds=api.app.state.settings.refresh_token_ttl + 1)
    answer = await user.get("/")
    assert answer.status_code == 303 and "m=expired" in answer.headers["location"]


async def test_the_cookie_is_not_an_api_credential_and_cookies_open_no_api_route(api: Api) -> None:
    await api.user("root", "admin")
    user = await sign_in(api.client, "root")
    as_bearer = await api.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {user.cookie}"})
    assert as_bearer.status_code == 401
    with_cookie = await user.get("/api/v1/auth/me")
    assert with_cookie.status_code == 401


async def test_a_forged_or_tampered_cookie_goes_to_the_login_page(api: Api) -> None:
    await api.user("root", "admin")
    user = await sign_in(api.client, "root")
    user_id, session_id, expires, mac = user.cookie.split(".")
    for forged in (f"{user_id}.{session_id}.{int(expires) + 999}.{mac}", f"{user_id}.{session_id}.{expires}.{'0' * 64}", "garbage"):
        answer = await ConsoleUser(api.client, forged).get("/")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), forged


async def test_a_post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing(api: Api) -> None:
    await api.user("root", "admin")
    admin = await api.login("root")
    enterprise = await api.enterprise(admin)
    hazard = (await api.client.post("/api/v1/hazards", json={"enterprise_id": enterprise["id"], "level": "general", "description": "配电箱无漏保"}, headers=admin)).json()
    user = await sign_in(api.client, "root")
    other = await sign_in(api.client, "root")  # another session of the same user: its token is not this one's
    form = {"action": "order_rectification", "base_version": str(hazard["version"]), "deadline": FAR, "responsible_person": "王五"}
    for token in (None, "", "0" * 64, await other.csrf()):
        refused = await user.post(f"/hazards/{hazard['id']}/steps", form, token=token)
        assert refused.status_code == 403, token
        assert "CSRF" in refused.text and "操作未执行" in refused.text
    logout = await user.post("/logout", token=None)
    assert logout.status_code == 403
    assert (await user.get("/")).status_code == 200  # still signed in
    unchanged = (await api.client.get(f"/api/v1/hazards/{hazard['id']}", headers=admin)).json()["hazard"]
    assert unchanged["version"] == hazard["version"] and unchanged["status"] == "reported"
    # the right token, as a form field and as htmx's header, is accepted
    accepted = await user.post(f"/hazards/{hazard['id']}/steps", form)
    assert accepted.status_code == 303, accepted.text[:500]
    assert (await api.client.get(f"/api/v1/hazards/{hazard['id']}", headers=admin)).json()["hazard"]["status"] == "rectifying"


async def test_the_login_form_needs_its_own_token(api: Api) -> None:
    await api.user("root", "admin")
    api.client.cookies.clear()
    forged = await api.client.post("/login", data={"username": "root", "password": PASSWORD}, follow_redirects=False)
    assert forged.status_code == 403 and cookie_from(forged, SESSION_COOKIE) is None


async def test_htmx_requests_carry_the_token_in_a_header(api: Api) -> None:
    await api.user("root", "admin")
    user = await sign_in(api.client, "root")
    token = await user.csrf()
    answer = await user.client.post("/logout", headers={"cookie": f"{SESSION_COOKIE}={user.cookie}", "X-CSRF-Token": token, "HX-Request": "true"},
                                    follow_redirects=False)
    assert answer.status_code == 303
    assert (await user.get("/")).status_code == 303


async def test_pages_forbid_framing_and_storing(api: Api) -> None:
    await api.user("root", "admin")
    user = await sign_in(api.client, "root")
    page = await user.get("/")
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


async def test_an_enterprise_user_reports_rectification_with_photos_stored_as_attachments(api: Api) -> None:
    await api.user("root", "admin")
    admin = await api.login("root")
    enterprise = await api.enterprise(admin)
    hazard = await _rectifying_hazard(api, admin, enterprise["id"])
    await api.user("boss", "enterprise_user", enterprise_id=enterprise["id"])
    boss = await sign_in(api.client, "boss")
    page = await boss.get(f"/hazards/{hazard['id']}")
    assert page.status_code == 200 and 'data-step="report_rectified"' in page.text
    assert 'data-step="recheck_passed"' not in page.text and 'data-step="extend_deadline"' not in page.text
    photo = png(7)
    files = [("evidence", ("fix.png", photo, "image/png"))]
    answer = await boss.post(f"/hazards/{hazard['id']}/steps", {"action": "report_rectified", "base_version": str(hazard["version"]), "reason": "已清理"}, files=files)
    assert answer.status_code == 303, answer.text[:800]
    after = (await api.client.get(f"/api/v1/hazards/{hazard['id']}", headers=admin)).json()["hazard"]
    digest = hashlib.sha256(photo).hexdigest()
    assert after["status"] == "awaiting_recheck" and after["rectification_evidence"] == [digest]
    shown = await boss.get(f"/files/{digest}")
    assert shown.status_code == 200 and shown.headers["content-type"].startswith("image/png") and shown.content == photo
    # the admin sees the photo too (a hazard in scope references it), and may now close the hazard
    root = await sign_in(api.client, "root")
    assert (await root.get(f"/files/{digest}")).status_code == 200
    closed = await root.post(f"/hazards/{hazard['id']}/steps", {"action": "recheck_passed", "base_version": str(after["version"])})
    assert closed.status_code == 303


async def test_a_refused_step_shows_the_reason_beside_its_form_and_stores_nothing(api: Api) -> None:
    await api.user("root", "admin")
    admin = await api.login("root")
    enterprise = await api.enterprise(admin)
    hazard = await _rectifying_hazard(api, admin, enterprise["id"])
    await api.user("boss", "enterprise_user", enterprise_id=enterprise["id"])
    boss = await sign_in(api.client, "boss")
    not_a_photo = await boss.post(f"/hazards/{hazard['id']}/steps", {"action": "report_rectified", "base_version": str(hazard["version"])},
                                  files=[("evidence", ("notes.txt", b"just text", "text/plain"))])
    assert not_a_photo.status_code == 400 and "不是照片" in not_a_photo.text
    no_photo = await boss.post(f"/hazards/{hazard['id']}/steps", {"action": "report_rectified", "base_version": str(hazard["version"])})
    assert no_photo.status_code == 400 and "必须上传整改完成的照片" in no_photo.text
    stale = await boss.post(f"/hazards/{hazard['id']}/steps", {"action": "report_rectified", "base_version": "1"}, files=[("evidence", ("a.png", png(3), "image/png"))])
    assert stale.status_code == 409 and "请刷新后重试" in stale.text
    nul = await boss.post(f"/hazards/{hazard['id']}/steps", {"action": "report_rectified", "base_version": str(hazard["version"]), "reason": "a\x00b"},
                          files=[("evidence", ("a.png", png(4), "image/png"))])
    assert nul.status_code == 400
    not_allowed = await boss.post(f"/hazards/{hazard['id']}/steps", {"action": "extend_deadline", "base_version": str(hazard["version"]), "deadline": FAR, "reason": "想延期"})
    assert not_allowed.status_code == 409 and "当前不可执行" in not_allowed.text
    after = (await api.client.get(f"/api/v1/hazards/{hazard['id']}", headers=admin)).json()["hazard"]
    assert after["version"] == hazard["version"] and after["status"] == "rectifying"


async def test_the_pages_and_a_step_work_on_postgresql(pg_url, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    app = create_app(make_settings(pg_url, str(tmp_path / "data"), migrate_on_start=True), clock=clock)
    async with serving(app) as api:
        await api.user("root", "admin")
        admin = await api.login("root")
        enterprise = await api.enterprise(admin, name="测试一号化工")
        hazard = (await api.client.post("/api/v1/hazards", json={"enterprise_id": enterprise["id"], "level": "major", "description": "储罐区无防火堤"}, headers=admin)).json()
        root = await sign_in(api.client, "root")
        for path in ("/", "/enterprises?q=测试", f"/enterprises/{enterprise['id']}", "/hazards?overdue=true", "/hazards?listed=true&open=1", f"/hazards/{hazard['id']}"):
            assert (await root.get(path)).status_code == 200, path
        form = {"action": "order_rectification", "base_version": str(hazard["version"]), "deadline": FAR, "responsible_person": "张三", "rectification_plan": "加装防火堤"}
        assert (await root.post(f"/hazards/{hazard['id']}/steps", form)).status_code == 303
        nul = await root.post(f"/hazards/{hazard['id']}/steps", {"action": "extend_deadline", "base_version": "3", "deadline": FAR, "reason": "a\x00b"})
        assert nul.status_code == 400  # PostgreSQL cannot store U+0000: refused before, never a 500
