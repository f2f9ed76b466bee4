"""系统 pages (web/console/pages/system*.py): each does what its API does, for admins only, with
field errors beside the form and nothing changed on a refusal.

Users are created and changed through core's user service (a field error, then fixed); a revoked
tablet's token is refused by the API; a job runs once per period; the audit log is browsed and its
chain verified (and a tampered one caught); quarantined records are re-ingested or dismissed and
conflicts resolved — the same services as the sync API.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from typing import Any

from sqlalchemy import text
from sqlmodel import select

from core.access.users import User
from core.storage.audit_log import AuditEntry
from sync.review.quarantine_table import QuarantinedRecord
from tests.conftest import PASSWORD, Api
from tests.web.console.conftest import ConsoleUser, sign_in

FAR = "2099-01-01T00:00:00+08:00"


async def _admin(api: Api) -> ConsoleUser:
    await api.user("root", "admin")
    return await sign_in(api.client, "root")


async def _audit(api: Api, action: str) -> list[AuditEntry]:
    async with api.direct.db.read() as session:
        return list((await session.exec(select(AuditEntry).where(AuditEntry.action == action))).all())


async def _user(api: Api, username: str) -> User | None:
    async with api.direct.db.read() as session:
        return (await session.exec(select(User).where(User.username == username))).first()


def _figure(html: str, name: str) -> int:
    match = re.search(rf'data-figure="{name}">\s*<div class="value">(\d+)</div>', html)
    assert match, f"no figure {name}"
    return int(match.group(1))


# ---- overview and permissions -------------------------------------------------------------


async def test_overview_counts_users_devices_and_open_reviews(api: Api) -> None:
    admin = await _admin(api)
    await api.user("off_duty", "viewer")
    await api.client.patch(f"/api/v1/users/{(await _user(api, 'off_duty')).id}", json={"active": False}, headers=await api.login("root"))  # type: ignore[union-attr]
    await api.login("root", device_id=str(uuid.uuid4()))
    page = await admin.get("/system")
    assert page.status_code == 200
    assert _figure(page.text, "active_users") == 1 and "共 2 个账号" in page.text
    assert _figure(page.text, "active_devices") == 1
    assert _figure(page.text, "quarantined") == 0 and _figure(page.text, "conflicts") == 0 and _figure(page.text, "failed_runs") == 0
    for href in ("/system/users", "/system/devices", "/system/plugins", "/system/jobs", "/system/audit", "/system/sync"):
        assert f'href="{href}"' in page.text


async def test_other_roles_get_the_forbidden_page_and_no_system_link(api: Api) -> None:
    await api.user("root", "admin")
    await api.user("dept", "department_admin", region_code="510681", industries=["hazchem"])
    dept = await sign_in(api.client, "dept")
    for path in ("/system", "/system/users", "/system/users/new", "/system/devices", "/system/jobs", "/system/audit", "/system/audit/verify", "/system/sync"):
        response = await dept.get(path)
        assert response.status_code == 403 and "无权执行此操作" in response.text, path
    assert 'href="/system"' not in (await dept.get("/")).text
    created = await dept.post("/system/users", {"username": "sneaky", "password": PASSWORD, "role": "admin"})
    assert created.status_code == 403 and await _user(api, "sneaky") is None
    # plugins are readable by department admins, as GET /api/v1/plugins is (plugin.read)
    plugins = await dept.get("/system/plugins")
    assert plugins.status_code == 200 and 'data-plugin="coal"' in plugins.text and "system-subnav" not in plugins.text


async def test_a_form_without_its_csrf_token_changes_nothing(api: Api) -> None:
    admin = await _admin(api)
    response = await admin.post("/system/users", {"username": "forged", "password": PASSWORD, "role": "admin"}, token=None)
    assert response.status_code == 403 and "CSRF" in response.text
    assert await _user(api, "forged") is None
    job = await admin.post("/system/jobs/deadline_reminders/run", token="0" * 64)
    assert job.status_code == 403
    section = (await admin.get("/system/jobs")).text.split('data-job="deadline_reminders"')[1].split("</section>")[0]
    assert "尚未运行" in section and "data-run-status" not in section


# ---- users ------------------------------------------------------------------------------------


async def test_a_user_is_created_after_a_field_error_is_fixed(api: Api) -> None:
    admin = await _admin(api)
    form = {"username": "li.inspector", "display_name": "李检查", "role": "inspector", "region_code": "51068", "industries": ["hazchem", "fire"],
            "enforcement_card_no": " 川应急执字0001 ", "password": PASSWORD}
    refused = await admin.post("/system/users", form)
    assert refused.status_code == 400
    assert 'data-error-field="region_code"' in refused.text and "行政区划代码应为6位或9位数字" in refused.text
    assert 'value="李检查"' in refused.text and 'value="fire" checked' in refused.text  # what was typed stays
    assert await _user(api, "li.inspector") is None

    unknown = await admin.post("/system/users", {**form, "region_code": "999999"})
    assert unknown.status_code == 400 and "未知的行政区划代码 999999" in unknown.text and await _user(api, "li.inspector") is None
    weak = await admin.post("/system/users", {**form, "region_code": "510681", "password": "short"})
    assert weak.status_code == 400 and 'data-error-field="password"' in weak.text

    created = await admin.post("/system/users", {**form, "region_code": "510681"})
    assert created.status_code == 303
    user = await _user(api, "li.inspector")
    assert user is not None and created.headers["location"] == f"/system/users/{user.id}?done=created"
    assert user.role == "inspector" and user.industries == ["fire", "hazchem"] and user.enforcement_card_no == "川应急执字0001"
    assert [e.entity_id for e in await _audit(api, "user_created")][-1] == user.id
    shown = await admin.get(created.headers["location"])
    assert "已创建用户" in shown.text and "川应急执字0001" in shown.text
    assert (await api.login("li.inspector"))  # the initial password works
    taken = await admin.post("/system/users", {**form, "region_code": "510681"})
    assert taken.status_code == 409 and "用户名 li.inspector 已存在" in taken.text


async def test_an_enterprise_user_names_its_enterprise_by_credit_code(api: Api) -> None:
    admin = await _admin(api)
    enterprise = await api.enterprise(await api.login("root"))
    form = {"username": "ent1", "role": "enterprise_user", "password": PASSWORD, "enterprise": ""}
    missing = await admin.post("/system/users", form)
    assert missing.status_code == 400 and "企业用户必须关联一个企业" in missing.text and 'data-error-field="enterprise_id"' in missing.text
    wrong = await admin.post("/system/users", {**form, "enterprise": "91510681MA0000000X"})
    assert wrong.status_code == 400 and "未找到该企业" in wrong.text
    created = await admin.post("/system/users", {**form, "enterprise": enterprise["uscc"]})
    assert created.status_code == 303
    assert (await _user(api, "ent1")).enterprise_id == enterprise["id"]  # type: ignore[union-attr]


async def test_editing_a_user_changes_only_what_the_form_changed(api: Api) -> None:
    admin = await _admin(api)
    user_id = await api.user("wang", "viewer", region_code="510681", industries=["hazchem"])
    token = await api.login("wang")
    page = await admin.get(f"/system/users/{user_id}")
    assert page.status_code == 200 and 'value="510681"' in page.text
    before = len(await _audit(api, "user_updated"))
    same = {"form": "profile", "display_name": "", "role": "viewer", "region_code": "510681", "grid_code": "", "industries": ["hazchem"],
            "enterprise": "", "enforcement_card_no": "", "active": "1"}
    unchanged = await admin.post(f"/system/users/{user_id}", same)
    assert unchanged.status_code == 303 and unchanged.headers["location"].endswith("done=unchanged")
    assert len(await _audit(api, "user_updated")) == before

    bad = await admin.post(f"/system/users/{user_id}", {**same, "enforcement_card_no": "证" * 40})
    assert bad.status_code == 400 and 'data-error-field="enforcement_card_no"' in bad.text
    assert (await _user(api, "wang")).enforcement_card_no is None  # type: ignore[union-attr]

    changed = await admin.post(f"/system/users/{user_id}", {**same, "role": "evaluator", "industries": ["hazchem", "fire"], "enforcement_card_no": "E-1"})
    assert changed.status_code == 303
    entry = (await _audit(api, "user_updated"))[-1]
    assert entry.before["role"] == "viewer" and entry.after["role"] == "evaluator" and entry.after["enforcement_card_no"] == "E-1"
    assert (await api.client.get("/api/v1/auth/me", headers=token)).status_code == 200  # a scope change keeps the session

    deactivated = await admin.post(f"/system/users/{user_id}", {k: v for k, v in {**same, "role": "evaluator", "industries": ["hazchem", "fire"],
                                                                                    "enforcement_card_no": "E-1"}.items() if k != "active"})
    assert deactivated.status_code == 303 and (await _user(api, "wang")).active is False  # type: ignore[union-attr]
    assert (await api.client.get("/api/v1/auth/me", headers=token)).status_code == 401  # the service ended the session


async def test_a_password_reset_ends_the_users_sessions(api: Api) -> None:
    admin = await _admin(api)
    user_id = await api.user("zhao", "inspector")
    token = await api.login("zhao")
    weak = await admin.post(f"/system/users/{user_id}", {"form": "password", "password": "1234567"})
    assert weak.status_code == 400 and 'data-form="password"' in weak.text and 'data-error-field="password"' in weak.text
    assert (await api.client.get("/api/v1/auth/me", headers=token)).status_code == 200
    reset = await admin.post(f"/system/users/{user_id}", {"form": "password", "password": "a-new-long-passphrase"})
    assert reset.status_code == 303 and reset.headers["location"].endswith("done=password")
    assert (await api.client.get("/api/v1/auth/me", headers=token)).status_code == 401
    await api.login("zhao", password="a-new-long-passphrase")


async def test_users_are_searched_and_filtered(api: Api) -> None:
    admin = await _admin(api)
    await api.user("alpha_insp", "inspector")
    await api.user("beta_view", "viewer")
    page = await admin.get("/system/users?role=inspector")
    assert "alpha_insp" in page.text and "beta_view" not in page.text and "共 1 条" in page.text
    assert "beta_view" in (await admin.get("/system/users?q=BETA")).text
    assert (await admin.get(f"/system/users/{uuid.uuid4()}")).status_code == 404
    assert (await admin.get("/system/users/not-an-id")).status_code == 404


# ---- devices ----------------------------------------------------------------------------------


async def test_a_revoked_tablets_token_is_refused_by_the_api(api: Api) -> None:
    admin = await _admin(api)
    await api.user("tablet_user", "inspector")
    device_id = str(uuid.uuid4())
    login = await api.client.post("/api/v1/auth/login", json={"username": "tablet_user", "password": PASSWORD, "device_id": device_id, "device_name": "三号平板"})
    token = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert (await api.client.get("/api/v1/auth/me", headers=token)).status_code == 200
    listed = await admin.get("/system/devices?q=tablet_user")
    assert f'data-device-id="{device_id}"' in listed.text and "三号平板" in listed.text
    confirm = await admin.get(f"/system/devices/{device_id}/revoke")
    assert confirm.status_code == 200 and "确认吊销" in confirm.text and "tablet_user" in confirm.text

    blank = await admin.post(f"/system/devices/{device_id}/revoke", {"reason": "  "})
    assert blank.status_code == 400 and 'data-error-field="reason"' in blank.text
    assert (await api.client.get("/api/v1/auth/me", headers=token)).status_code == 200  # nothing changed

    revoked = await admin.post(f"/system/devices/{device_id}/revoke", {"reason": "平板遗失"})
    assert revoked.status_code == 303 and revoked.headers["location"] == f"/system/devices?revoked={device_id}"
    assert (await api.client.get("/api/v1/auth/me", headers=token)).status_code == 401
    assert [e.entity_id for e in await _audit(api, "device_revoked")] == [device_id]
    after = await admin.get(revoked.headers["location"])
    assert "已吊销设备" in after.text and "平板遗失" in after.text
    assert "确认吊销" not in (await admin.get(f"/system/devices/{device_id}/revoke")).text
    assert (await admin.get(f"/system/devices/{uuid.uuid4()}/revoke")).status_code == 404


# ---- plugins and jobs -------------------------------------------------------------------------


async def test_plugins_show_their_checklists_evaluators_and_document_types(api: Api) -> None:
    admin = await _admin(api)
    plugins = (await api.client.get("/api/v1/plugins", headers=await api.login("root"))).json()
    page = await admin.get("/system/plugins")
    assert page.status_code == 200
    for plugin in plugins:
        assert f'data-plugin="{plugin["name"]}"' in page.text
        for checklist in plugin["checklists"]:
            assert checklist in page.text
    assert "现场检查记录" in page.text  # a built-in document type


async def test_running_a_job_shows_its_run_and_runs_once_per_period(api: Api) -> None:
    admin = await _admin(api)
    ran = await admin.post("/system/jobs/deadline_reminders/run")
    assert ran.status_code == 303 and "outcome=done" in ran.headers["location"]
    page = await admin.get(ran.headers["location"])
    assert 'data-outcome="done"' in page.text
    section = page.text.split('data-job="deadline_reminders"')[1].split("</section>")[0]
    assert 'data-run-status="done"' in section and "秒" in section
    again = await admin.post("/system/jobs/deadline_reminders/run")
    assert "outcome=skipped" in again.headers["location"]
    forced = await admin.post("/system/jobs/deadline_reminders/run", {"force": "1"})
    assert "outcome=done" in forced.headers["location"]
    runs = (await api.client.get("/api/v1/jobs/runs", headers=await api.login("root"))).json()
    assert [r["attempts"] for r in runs if r["job"] == "deadline_reminders"] == [2]
    unknown = await admin.post("/system/jobs/no_such_job/run")
    assert unknown.status_code == 400 and "未知的定时任务" in unknown.text


# ---- audit ------------------------------------------------------------------------------------


async def test_the_audit_log_is_browsed_with_filters_and_pages(api: Api) -> None:
    admin = await _admin(api)
    headers = await api.login("root")
    for n in range(55):
        await api.user(f"bulk{n:02d}", "viewer")
    await api.enterprise(headers)
    created = await admin.get("/system/audit?action=user_created")
    assert created.status_code == 200 and created.text.count("data-seq=") == 50
    older = re.search(r'href="(/system/audit\?[^"]*before=\d+)" rel="next"', created.text)
    assert older, "no link to older entries"
    rest = await admin.get(older.group(1).replace("&amp;", "&"))
    assert rest.text.count("data-seq=") == 6  # 55 bulk users + root
    by_actor = await admin.get("/system/audit?actor=root&entity=enterprise")
    assert by_actor.text.count("data-seq=") == 1 and "enterprise_created" in by_actor.text
    entry = (await _audit(api, "enterprise_created"))[0]
    assert entry.hash[:16] in by_actor.text
    today = entry.at.date().isoformat()
    assert (await admin.get(f"/system/audit?since={today}&until={today}&entity=enterprise")).text.count("data-seq=") == 1
    assert (await admin.get("/system/audit?since=2001-01-01&until=2001-01-02")).text.count("data-seq=") == 0
    bad = await admin.get("/system/audit?since=2026-13-01")
    assert bad.status_code == 400 and "日期格式应为" in bad.text
    backwards = await admin.get("/system/audit?since=2026-03-02&until=2026-03-01")
    assert backwards.status_code == 400 and "结束日期早于开始日期" in backwards.text


async def test_verification_reports_the_chain_and_catches_tampering(api: Api) -> None:
    admin = await _admin(api)
    await api.enterprise(await api.login("root"))
    anchored = await admin.post("/system/audit/anchors")
    assert anchored.status_code == 303 and anchored.headers["location"].endswith("anchored=1")
    ok = await admin.get(anchored.headers["location"])
    assert 'data-chain="ok"' in ok.text and "审计链完整" in ok.text and "已签署审计链当前链头" in ok.text
    assert "#1" in ok.text  # the anchor is listed
    async with api.direct.db.write() as session:
        await session.execute(text("UPDATE audit_entry SET actor_name = 'mallory' WHERE seq = 2"))
    broken = await admin.get("/system/audit/verify")
    assert 'data-chain="broken"' in broken.text and "内容与其哈希不符" in broken.text and "第 2 条" in broken.text


# ---- sync review ------------------------------------------------------------------------------


async def _field_world(api: Api) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
    """Admin headers, an inspector's tablet headers, and an enterprise in the inspector's scope."""
    admin = await api.login("root")
    enterprise = await api.enterprise(admin)
    await api.user("field_insp", "inspector", region_code="510681", industries=["hazchem"])
    tablet = await api.login("field_insp", device_id=str(uuid.uuid4()))
    return admin, tablet, enterprise


async def _hazard(api: Api, admin: dict[str, str], enterprise: dict[str, Any]) -> dict[str, Any]:
    response = await api.client.post("/api/v1/hazards", json={"enterprise_id": enterprise["id"], "level": "general", "description": "配电箱未接地"}, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()


async def _push(api: Api, tablet: dict[str, str], record: dict[str, Any]) -> dict[str, Any]:
    response = await api.client.post("/api/v1/sync/push", json={"records": [record]}, headers=tablet)
    assert response.status_code == 200, response.text
    return response.json()["results"][0]


async def _quarantined(api: Api, admin: dict[str, str], tablet: dict[str, str], enterprise: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    hazard = await _hazard(api, admin, enterprise)
    record = {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": hazard["version"], "transition": {"to_status": "closed"}}
    result = await _push(api, tablet, record)
    assert result["status"] == "rejected", result
    return result["quarantine_id"], {**record, "transition": {"to_status": "rectifying", "deadline": FAR, "responsible_person": "张三"}}


async def _row(api: Api, row_id: str) -> QuarantinedRecord:
    async with api.direct.db.read() as session:
        row = await session.get(QuarantinedRecord, row_id)
    assert row is not None
    return row


async def test_a_quarantined_record_is_reingested_once_corrected(api: Api) -> None:
    admin = await _admin(api)
    headers, tablet, enterprise = await _field_world(api)
    row_id, corrected = await _quarantined(api, headers, tablet, enterprise)
    listing = await admin.get("/system/sync")
    assert f'data-quarantine-id="{row_id}"' in listing.text and "field_insp" in listing.text
    assert _figure((await admin.get("/system")).text, "quarantined") == 1
    detail = await admin.get(f"/system/sync/quarantine/{row_id}")
    assert detail.status_code == 200 and "确认重新入库" in detail.text and '"to_status": "closed"' in html.unescape(detail.text)

    not_json = await admin.post(f"/system/sync/quarantine/{row_id}/reingest", {"payload": "{broken"})
    assert not_json.status_code == 400 and "不是有效的 JSON" in not_json.text
    as_stored = await admin.post(f"/system/sync/quarantine/{row_id}/reingest", {"payload": ""})
    assert as_stored.status_code in (400, 409) and 'data-form="reingest"' in as_stored.text
    assert (await _row(api, row_id)).status == "open"  # still refused: the row stays open

    done = await admin.post(f"/system/sync/quarantine/{row_id}/reingest", {"payload": json.dumps(corrected), "note": "更正为限期整改"})
    assert done.status_code == 303 and done.headers["location"] == "/system/sync?done=reingested&result=accepted"
    row = await _row(api, row_id)
    assert row.status == "reingested" and row.resolution_note == "更正为限期整改"
    hazard = (await api.client.get(f"/api/v1/hazards/{corrected['hazard_id']}", headers=headers)).json()["hazard"]
    assert hazard["status"] == "rectifying"
    assert "已重新入库：已接受" in (await admin.get(done.headers["location"])).text
    again = await admin.post(f"/system/sync/quarantine/{row_id}/reingest", {"payload": ""})
    assert again.status_code == 409 and "该隔离记录已处理" in again.text


async def test_a_quarantined_record_is_dismissed_with_a_reason(api: Api) -> None:
    admin = await _admin(api)
    headers, tablet, enterprise = await _field_world(api)
    row_id, _ = await _quarantined(api, headers, tablet, enterprise)
    blank = await admin.post(f"/system/sync/quarantine/{row_id}/dismiss", {"reason": ""})
    assert blank.status_code == 400 and 'data-error-field="reason"' in blank.text and (await _row(api, row_id)).status == "open"
    dismissed = await admin.post(f"/system/sync/quarantine/{row_id}/dismiss", {"reason": "重复记录"})
    assert dismissed.status_code == 303
    assert (await _row(api, row_id)).status == "dismissed"
    assert [e.entity_id for e in await _audit(api, "sync_quarantine_dismissed")] == [row_id]
    assert f'data-quarantine-id="{row_id}"' not in (await admin.get("/system/sync")).text
    assert f'data-quarantine-id="{row_id}"' in (await admin.get("/system/sync?status=all")).text
    assert (await admin.get(f"/system/sync/quarantine/{uuid.uuid4()}")).status_code == 404


async def test_a_conflict_is_resolved_by_reapplying_the_tablets_step(api: Api) -> None:
    admin = await _admin(api)
    headers, tablet, enterprise = await _field_world(api)
    hazard = await _hazard(api, headers, enterprise)
    record = {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": hazard["version"] + 5,
              "transition": {"to_status": "rectifying", "deadline": FAR, "responsible_person": "张三"}}
    result = await _push(api, tablet, record)
    assert result["status"] == "conflict", result
    conflict_id = result["conflict_id"]
    assert f'data-conflict-id="{conflict_id}"' in (await admin.get("/system/sync")).text
    page = await admin.get(f"/system/sync/conflicts/{conflict_id}")
    assert page.status_code == 200 and "确认处理" in page.text
    blank = await admin.post(f"/system/sync/conflicts/{conflict_id}/resolve", {"note": "", "reapply": "1"})
    assert blank.status_code == 400 and 'data-error-field="note"' in blank.text
    assert (await api.client.get(f"/api/v1/hazards/{hazard['id']}", headers=headers)).json()["hazard"]["status"] == "reported"
    resolved = await admin.post(f"/system/sync/conflicts/{conflict_id}/resolve", {"note": "以现场复核为准", "reapply": "1"})
    assert resolved.status_code == 303 and resolved.headers["location"] == "/system/sync?done=reapplied"
    assert (await api.client.get(f"/api/v1/hazards/{hazard['id']}", headers=headers)).json()["hazard"]["status"] == "rectifying"
    conflicts = (await api.client.get("/api/v1/sync/conflicts", params={"status": "resolved"}, headers=headers)).json()
    assert [c["id"] for c in conflicts["items"]] == [conflict_id] and conflicts["items"][0]["resolution_note"] == "[reapplied] 以现场复核为准"
    twice = await admin.post(f"/system/sync/conflicts/{conflict_id}/resolve", {"note": "again"})
    assert twice.status_code == 409 and "该冲突已处理" in twice.text


async def test_the_pages_read_alike_on_each_database(any_api: Api) -> None:
    """The overview's counts, the audit filters (a time window) and the review lists on SQLite and PostgreSQL."""
    api = any_api
    admin = await _admin(api)
    await api.enterprise(await api.login("root"))
    overview = await admin.get("/system")
    assert overview.status_code == 200 and _figure(overview.text, "active_users") == 1 and _figure(overview.text, "audit_head") >= 3
    entry = (await _audit(api, "enterprise_created"))[0]
    day = entry.at.date().isoformat()
    found = await admin.get(f"/system/audit?since={day}&until={day}&action=enterprise_created&actor=root")
    assert found.status_code == 200 and found.text.count("data-seq=") == 1
    for path in ("/system/users", "/system/devices", "/system/jobs", "/system/plugins", "/system/audit/verify", "/system/sync?status=all"):
        assert (await admin.get(path)).status_code == 200, path


async def test_a_nul_character_in_any_form_is_a_400_beside_the_form(api: Api) -> None:
    admin = await _admin(api)
    headers, tablet, enterprise = await _field_world(api)
    row_id, _ = await _quarantined(api, headers, tablet, enterprise)
    hazard = await _hazard(api, headers, enterprise)
    conflict = await _push(api, tablet, {"kind": "hazard_update", "id": str(uuid.uuid4()), "hazard_id": hazard["id"], "base_version": 9,
                                         "transition": {"to_status": "rectifying", "deadline": FAR, "responsible_person": "张三"}})
    device_id = str(uuid.uuid4())
    await api.login("field_insp", device_id=device_id)
    user_id = (await _user(api, "field_insp")).id  # type: ignore[union-attr]
    posts = [
        ("/system/users", {"username": "nul\x00", "role": "viewer", "password": PASSWORD}),
        (f"/system/users/{user_id}", {"form": "profile", "role": "viewer", "display_name": "a\x00b"}),
        (f"/system/users/{user_id}", {"form": "password", "password": "a\x00bcdefghij"}),
        (f"/system/devices/{device_id}/revoke", {"reason": "丢\x00失"}),
        (f"/system/sync/quarantine/{row_id}/reingest", {"payload": "{\x00}"}),
        (f"/system/sync/quarantine/{row_id}/dismiss", {"reason": "\x00"}),
        (f"/system/sync/conflicts/{conflict['conflict_id']}/resolve", {"note": "\x00"}),
    ]
    for path, form in posts:
        response = await admin.post(path, form)
        assert response.status_code == 400 and "空字符" in response.text and "<form" in response.text, (path, response.status_code)
    assert (await _row(api, row_id)).status == "open"
    assert (await api.client.get("/api/v1/auth/me", headers=tablet)).status_code == 200


async def test_the_revocation_notice_names_only_a_revoked_device(api: Api) -> None:
    admin = await _admin(api)
    device_id = str(uuid.uuid4())
    await api.login("root", device_id=device_id)
    assert "已吊销设备" not in (await admin.get(f"/system/devices?revoked={device_id}")).text  # enrolled, not revoked
    assert "已吊销设备" not in (await admin.get("/system/devices?revoked=anything-at-all")).text
