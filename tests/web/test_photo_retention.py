"""Photos the server holds for good leave the tablet after the retention period (7 days), their
metadata kept; photos of unsent, rejected or conflicting records and of drafts never do. The
tablet's clock is moved with playwright's clock (the sweep runs at every start and after every
sync, by the tablet's clock)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from tests.web.conftest import _png, new_context
from tests.web.field import Watch, attach, go, login, saved, wait_controlled, wait_entry_state

APP = "(await import('./js/session.js')).app"  # the app's own module instance


def _photo(page: Any, sha: str) -> dict[str, Any]:
    return page.evaluate(  # type: ignore[no-any-return]
        f"""async (sha) => {{
          const p = await ({APP}).store.getPhoto(sha);
          return p && {{ blob: !!p.blob, upload: p.upload, size: p.size, cleared: !!p.cleared_at }};
        }}""",
        sha,
    )


def _entries(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(f"async () => (await ({APP}).store.listOutbox()).map(e => ({{ id: e.id, state: e.state, action: e.action, record: e.record }}))")  # type: ignore[no-any-return]


def _step(page: Any, hazard_id: str, action: str, photo: str | None = None, **fields: str) -> None:
    go(page, f"hazard/{hazard_id}")
    page.click(f"[data-step='{action}']")
    for name, value in fields.items():
        page.fill(f"[data-step-form] [name={name}]", value)
    if photo:
        attach(page, "[data-step-form] aj-photos", photo)
    page.click("[data-step-form] button[type=submit]")
    page.wait_for_selector("[data-step-form]", state="detached")


def _restart_at(page: Any, context: Any, when: datetime) -> None:
    """The tablet's clock at ``when``; the app started again offline (the sweep runs at start)."""
    context.clock.set_system_time(when)
    page.reload()
    page.wait_for_selector("aj-shell")


def _sweep(page: Any) -> int:
    """One whole sweep by the tablet's clock, awaited (the start's own runs unobserved); photos cleared."""
    return page.evaluate(  # type: ignore[no-any-return]
        f"async () => (await (await import('./js/store/photo-retention.js')).sweepPhotos(({APP}).store)).cleared"
    )


def test_uploaded_photos_are_cleared_after_retention_and_unsettled_ones_never(browser, field_server, shots, photo_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    world = field_server.world
    files = {}
    for name, size in (("accepted", (2000, 1500)), ("conflict", (1800, 1350)), ("waiting", (1700, 1275))):
        files[name] = tmp_path / f"{name}.png"
        files[name].write_bytes(_png(*size))
    start = datetime.now()
    context = new_context(browser)
    context.clock.set_system_time(start)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    watch = Watch(page)
    login(page, field_server)
    page.wait_for_selector(f"[data-assignment='{world.assignment_id}']")
    wait_controlled(page)

    # Offline: two steps on one hazard (the second with photo "accepted"), one with photo
    # "conflict" on the other, which the office changes meanwhile; an inspection draft with a photo.
    context.set_offline(True)
    in_a_week = (date.today() + timedelta(days=7)).isoformat()
    _step(page, world.reported_hazard_id, "order_rectification", deadline=in_a_week, responsible_person="刘安全")
    _step(page, world.reported_hazard_id, "report_rectified", str(files["accepted"]))
    _step(page, world.rectifying_hazard_id, "report_rectified", str(files["conflict"]))
    with field_server.api("root") as admin:
        answer = admin.post(f"/api/v1/hazards/{world.rectifying_hazard_id}/transitions", json={
            "to_status": "rectifying", "reason": "延期", "deadline": (datetime.now().astimezone() + timedelta(days=30)).isoformat(),
        })
        assert answer.status_code == 200, answer.text
    go(page, f"enterprise/{world.enterprise_id}")
    page.click("[data-checklist^='hazchem.enterprise_general@']")
    page.wait_for_selector("aj-inspection[data-ready='1']")
    attach(page, "aj-photos[data-target='record']", photo_file)
    saved(page)
    draft_sha = page.evaluate(f"async () => (await ({APP}).store.listDrafts())[0].photos[0]")

    # Online: the steps go out; the report is accepted and its photo uploaded; the other conflicts.
    context.set_offline(False)
    go(page, "outbox")
    entries = _entries(page)
    report = next(e for e in entries if e["action"] == "report_rectified" and e["record"]["hazard_id"] == world.reported_hazard_id)
    clash = next(e for e in entries if e["record"]["hazard_id"] == world.rectifying_hazard_id)
    accepted_sha, conflict_sha = report["record"]["transition"]["evidence"][0], clash["record"]["transition"]["evidence"][0]
    wait_entry_state(page, report["id"], "accepted")
    wait_entry_state(page, clash["id"], "conflict")
    page.wait_for_function(f"document.querySelector(\"[data-entry='{report['id']}'] [data-photos]\")?.textContent.includes('1/1 已上传')", timeout=30000)
    assert _photo(page, accepted_sha)["upload"] == "done" and field_server.stored_attachment(accepted_sha)

    # Offline again: a new step with a photo waits to be sent.
    context.set_offline(True)
    _step(page, world.reported_hazard_id, "recheck_passed", str(files["waiting"]))
    waiting = next(e for e in _entries(page) if e["state"] == "waiting")
    waiting_sha = waiting["record"]["transition"]["evidence"][0]
    rejected_sha = page.evaluate(
        """async () => {
          const { app } = await import('./js/session.js');
          const { keepBlob } = await import('./js/media/photos.js');
          const canvas = document.createElement('canvas');
          canvas.width = 320; canvas.height = 240;
          const g = canvas.getContext('2d');
          g.fillStyle = '#c62828'; g.fillRect(0, 0, 320, 240); g.fillStyle = '#fff'; g.fillRect(40, 40, 120, 60);
          return keepBlob(app.store, await new Promise((r) => canvas.toBlob(r, 'image/jpeg', 0.8)), 'photo');
        }"""
    )
    kept = {"draft": draft_sha, "rejected": rejected_sha, "conflict": conflict_sha, "waiting": waiting_sha}
    # The worst case for each: the server holds the photo (upload done a month ago) and a record
    # using it was accepted a month ago — yet a record or draft still needs it here.
    page.evaluate(
        """async ([shas, rejectedSha, hazardId]) => {
          const { app } = await import('./js/session.js');
          const longAgo = new Date(Date.now() - 30 * 86400000).toISOString();
          for (const sha of shas) await app.store.updatePhoto(sha, { upload: 'done', done_at: longAgo, uploaded_at: longAgo });
          const entry = (id, state, evidence) => ({
            id, kind: 'hazard_update', action: 'report_rectified', state, label: '测试记录', hazard_id: hazardId,
            record: { kind: 'hazard_update', id, hazard_id: hazardId, base_version: 1, transition: { to_status: 'awaiting_recheck', evidence }, made_at: longAgo },
            created_at: longAgo, updated_at: longAgo, answered_at: longAgo, attempts: 1,
            result: { id, status: state, ...(state === 'rejected' ? { code: 'invalid_transition', message_zh: '测试：被退回' } : {}) },
          });
          await app.store.putOutbox(entry(crypto.randomUUID(), 'accepted', shas));
          await app.store.putOutbox(entry(crypto.randomUUID(), 'rejected', [rejectedSha]));
        }""",
        [list(kept.values()), rejected_sha, world.reported_hazard_id],
    )
    assert all(_photo(page, sha)["blob"] for sha in (accepted_sha, *kept.values()))

    # Six days on: every photo still here (the accepted one too: its week is not over).
    _restart_at(page, context, start + timedelta(days=6))
    assert _sweep(page) == 0 and _photo(page, accepted_sha)["blob"], "cleared before its retention period"

    # Eight days on: the start's sweep drops the accepted, uploaded photo's bytes, its row stays;
    # the others stay whole.
    _restart_at(page, context, start + timedelta(days=8))
    page.wait_for_function(
        f"async (sha) => {{ const p = await ({APP}).store.getPhoto(sha); return p && !p.blob; }}", arg=accepted_sha, timeout=15000,
    )
    gone = _photo(page, accepted_sha)
    assert gone == {"blob": False, "upload": "done", "size": gone["size"], "cleared": True} and gone["size"] > 0, gone
    for name, sha in kept.items():
        assert _photo(page, sha)["blob"], f"the {name} photo lost its bytes"
    assert field_server.stored_attachment(accepted_sha), "the server still holds it"
    go(page, "sync")
    assert "另有 1 张已由服务器保存，本机副本已清理" in page.inner_text("[data-photo-summary]")
    shots(page, "photo-cleared-after-retention", focus="[data-photo-summary]")
    wait_entry_state(page, report["id"], "accepted")
    assert "1/1 已上传" in page.inner_text(f"[data-entry='{report['id']}'] [data-photos]")
    go(page, "inspections")  # the draft still shows its photo
    page.click("[data-draft] a.button")
    page.wait_for_selector("aj-inspection[data-ready='1'] aj-photos[data-target='record'] img")
    context.close()
    watch.check()


def test_a_step_form_being_filled_in_survives_a_sync_rerendering_the_hazard(browser, field_server, photo_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A sync re-renders the hazard screen whenever it pushes or pulls (and a step just saved
    re-renders it twice); the step form open on it — its text, a photo taken, a photo still being
    stored — stays as it is. It once vanished, photos and all, and the test above timed out in
    ``attach``."""
    world = field_server.world
    second = tmp_path / "second.png"
    second.write_bytes(_png(400, 300))
    context = new_context(browser)
    page = context.new_page()
    watch = Watch(page)
    login(page, field_server)
    page.wait_for_selector(f"[data-assignment='{world.assignment_id}']")
    wait_controlled(page)
    context.set_offline(True)
    go(page, f"hazard/{world.rectifying_hazard_id}")
    page.click("[data-step='report_rectified']")
    page.fill("[data-step-form] [name=reason]", "已更换报警器")
    attach(page, "[data-step-form] aj-photos", photo_file)
    # The second photo is held before it is stored, so the re-render surely comes while it is processed.
    page.evaluate(f"""async () => {{
      const store = ({APP}).store;
      const put = store.putPhoto.bind(store);
      window.photoGate = new Promise((release) => {{ window.releasePhoto = release; }});
      store.putPhoto = async (photo) => {{ await window.photoGate; return put(photo); }};
    }}""")
    page.locator("[data-step-form] aj-photos input[type=file]").set_input_files(str(second))
    page.wait_for_selector("[data-step-form] aj-photos[data-busy='1']")
    page.evaluate("() => { document.querySelector('aj-hazard h1').dataset.before = '1' }")
    page.evaluate("async () => { const { emit } = await import('./js/session.js'); emit('entities'); emit('outbox'); }")
    page.wait_for_selector("aj-hazard h1[data-before]", state="detached")  # the screen was rendered anew
    page.evaluate("() => window.releasePhoto()")
    page.wait_for_function(
        "() => { const p = document.querySelector('[data-step-form] aj-photos'); return p && p.dataset.busy === '0' && p.dataset.count === '2'; }",
        timeout=10000,
    )
    assert page.input_value("[data-step-form] [name=reason]") == "已更换报警器"
    page.click("[data-step-form] button[type=submit]")
    page.wait_for_selector("[data-step-form]", state="detached")
    entry = next(e for e in _entries(page) if e["record"]["hazard_id"] == world.rectifying_hazard_id)
    transition = entry["record"]["transition"]
    assert len(transition["evidence"]) == 2 and transition["reason"] == "已更换报警器", transition
    assert all(_photo(page, sha)["blob"] for sha in transition["evidence"])
    context.close()
    watch.check()
