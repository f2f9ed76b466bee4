"""The authorization matrix: the documented answer of every endpoint × role × in/out-of-scope record.

One ``Entry`` per (method, path template) of the live app — the path exactly as litestar lists it
in ``app.routes`` (``/api/v1/enterprises/{enterprise_id:str}``). ``test_authz_matrix.py`` fails
listing every route without an entry and every entry without a route, so a new endpoint cannot
ship without saying who may call it. How to add one: ``docs/testing.md``.

Answers (from ``core/access/permissions.py`` and DESIGN.md "People and what they may do"):

* ``OK`` — any 2xx; ``403`` — the role may not take the action (``require``); ``404`` — the
  record is absent *or outside the caller's scope* (existence is never revealed);
* ``in_scope`` is the answer for the world's record inside the caller's scope, ``out_of_scope``
  for the record outside it; ``NA`` for endpoints with no record to be in or out of scope
  (collections, "me", health). Admins see everything: their out-of-scope answer is ``OK``.

A builder ``build(world, role, side) -> Call`` returns the path parameters and body for the
world's record on ``side`` ("in" / "out"); see ``tests/reliability/world.py`` for the world.
Builders may be ``async`` (e.g. to enrol a device or open a throwaway session first).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import PASSWORD, valid_uscc
from tests.reliability.world import FAR_DEADLINE, ROLES, YEAR, Side, World, checklist_definition

OK = "ok"
NA = None

Answer = int | str  # OK or an HTTP status
Answers = dict[str, Answer]


def answers(default: Answer, **per_role: Answer) -> Answers:
    """The answer for every role: ``default`` unless named, e.g. ``answers(403, admin=OK)``."""
    unknown = set(per_role) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    return {role: per_role.get(role, default) for role in ROLES}


ALL = answers(OK)
ADMIN_ONLY = answers(403, admin=OK)
ADMINS = answers(403, admin=OK, department_admin=OK)  # admin and department admin
EVALUATORS = answers(403, admin=OK, department_admin=OK, evaluator=OK)  # who may run evaluations


@dataclass
class Call:
    """One request: path parameters, query, body. ``headers`` replaces the role's own headers
    (``{}`` for an unauthenticated call, a fresh session for logout)."""

    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    content: bytes | None = None
    content_type: str | None = None
    files: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


Builder = Callable[[World, str, Side], "Call | Awaitable[Call]"]


def no_params(world: World, role: str, side: Side) -> Call:
    return Call()


@dataclass(frozen=True)
class Entry:
    method: str
    path: str
    in_scope: Answers
    out_of_scope: Answers | None
    build: Builder = no_params
    note: str = ""
    # A page meant for anyone holding its link (the public 安全码 page): it shows the enterprise's
    # public facts to every caller, so the out-of-scope markers are not checked on it.
    public: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)


# ---- builders ------------------------------------------------------------------------------------


def enterprise_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"enterprise_id": world.records(side).enterprise["id"]})


def new_enterprise(world: World, role: str, side: Side) -> Call:
    records = world.records(side)
    return Call(json={"name": f"矩阵新建企业{world.fresh('')}", "uscc": valid_uscc(records.region_code), "region_code": records.region_code,
                      "industries": [records.industry], "scale": "small_micro"})


def patch_enterprise(world: World, role: str, side: Side) -> Call:
    return Call(path={"enterprise_id": world.records(side).enterprise["id"]}, json={"address": f"矩阵路{world.fresh('')}号"})


def import_enterprises(world: World, role: str, side: Side) -> Call:
    records = world.records(side)
    csv = f"企业名称,统一社会信用代码,行政区划代码,行业,规模\n矩阵导入企业{world.fresh('')},{valid_uscc(records.region_code)},{records.region_code},{records.industry},small_micro\n"
    return Call(files={"file": ("enterprises.csv", csv.encode("utf-8"), "text/csv")})


def login(world: World, role: str, side: Side) -> Call:
    return Call(json={"username": world.usernames[role], "password": PASSWORD}, headers={})


async def refresh(world: World, role: str, side: Side) -> Call:
    pair = await world.login(world.usernames[role])
    return Call(json={"refresh_token": pair["refresh_token"]}, headers={})


async def logout(world: World, role: str, side: Side) -> Call:
    return Call(headers=await world.fresh_headers(role))


def grid_of(world: World, role: str, side: Side) -> Call:
    return Call(path={"code": world.records(side).region_code})


def new_grid(world: World, role: str, side: Side) -> Call:
    return Call(json={"code": world.fresh("g"), "region_code": world.records(side).region_code, "name": "矩阵网格"})


def user_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"user_id": world.records(side).user_id})


def new_user(world: World, role: str, side: Side) -> Call:
    records = world.records(side)
    return Call(json={"username": world.fresh("u"), "password": PASSWORD, "role": "viewer", "region_code": records.region_code, "industries": [records.industry]})


def patch_user(world: World, role: str, side: Side) -> Call:
    return Call(path={"user_id": world.records(side).user_id}, json={"display_name": f"矩阵{world.fresh('')}"})


async def revoke_device(world: World, role: str, side: Side) -> Call:
    owner = world.usernames[role] if side == "in" else world.outside_device_owner
    return Call(path={"device_id": await world.enrol_device(owner)}, json={"reason": "平板遗失 lost"})


def publish_checklist(world: World, role: str, side: Side) -> Call:
    definition = checklist_definition(f"matrix.{world.fresh('c')}", world.records(side).industry)
    return Call(content=json.dumps(definition).encode("utf-8"), content_type="application/json")


def checklist_version(world: World, role: str, side: Side) -> Call:
    records = world.records(side)
    return Call(path={"checklist_id": records.checklist_id, "version": records.checklist_version})


def new_evaluation(world: World, role: str, side: Side) -> Call:
    return Call(json={"enterprise_id": world.records(side).enterprise["id"], "evaluator": "risk.matrix", "input": {"l": 4, "s": 4}})


async def _stored_evaluation(world: World, side: Side) -> str:
    """A risk evaluation of the side's enterprise, stored by the admin."""
    response = await world.api.client.post("/api/v1/evaluations", json=new_evaluation(world, "admin", side).json, headers=world.headers["admin"])
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def evaluation_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"evaluation_id": await _stored_evaluation(world, side)})


async def risk_level_from_evaluation(world: World, role: str, side: Side) -> Call:
    evaluation = await _stored_evaluation(world, side)
    return Call(path={"enterprise_id": world.records(side).enterprise["id"]}, json={"evaluation_id": evaluation})


async def stored_attachment(world: World, role: str, side: Side) -> Call:
    """A photo uploaded by the inside inspector (in) or the outside one (out), referenced by no record."""
    content = f"矩阵读取照片 {world.fresh('')}".encode()
    sha = hashlib.sha256(content).hexdigest()
    owner = world.usernames["inspector"] if side == "in" else world.outside_device_owner
    response = await world.api.client.put(f"/api/v1/attachments/{sha}", content=content, headers={**await world.device_headers(owner), "content-type": "image/jpeg"})
    assert response.status_code == 200, response.text
    return Call(path={"sha256": sha})


def dual_prevention_standard(world: World, role: str, side: Side) -> Call:
    return Call(path={"evaluator_id": "dual_prevention.small_micro"})


def month_period(world: World, role: str, side: Side) -> Call:
    return Call(query={"period": "2026-01"})


def rebuild_snapshot(world: World, role: str, side: Side) -> Call:
    return Call(json={"kind": "monthly_dispatch", "period": "2026-01"})


# ---- the matrix ----------------------------------------------------------------------------------

ENTRIES: list[Entry] = [
    Entry("GET", "/healthz", ALL, NA, note="no token needed"),
    Entry("GET", "/readyz", ALL, NA, note="no token needed: database reachable, migrations current"),
    # the field app's static files (web/routes.py): no token needed, the same for everyone
    Entry("GET", "/app", ALL, NA, note="redirects to /app/"),
    Entry("GET", "/app/{file_path:path}", ALL, NA, lambda world, role, side: Call(path={"file_path": "index.html"})),
    # auth
    Entry("POST", "/api/v1/auth/login", ALL, NA, login),
    Entry("POST", "/api/v1/auth/refresh", ALL, NA, refresh),
    Entry("POST", "/api/v1/auth/logout", ALL, NA, logout, note="a fresh session, so the role's token stays valid"),
    Entry("GET", "/api/v1/auth/me", ALL, NA),
    # enterprises (一企一档)
    Entry("GET", "/api/v1/enterprises", ALL, NA, note="lists only the caller's scope (checked by the leak markers)"),
    Entry("POST", "/api/v1/enterprises", ADMINS, ADMIN_ONLY, new_enterprise,
          note="a department admin may not create outside their jurisdiction: 403 (nothing exists to hide)"),
    Entry("GET", "/api/v1/enterprises/{enterprise_id:str}", ALL, answers(404, admin=OK), enterprise_id),
    Entry("PATCH", "/api/v1/enterprises/{enterprise_id:str}", ADMINS, answers(403, admin=OK, department_admin=404), patch_enterprise),
    Entry("POST", "/api/v1/enterprises/import", ADMINS, NA, import_enterprises, note="out-of-scope rows are per-row errors in a 200 report"),
    # regions and grids (GB/T 2260 reference data: readable by every role, not scoped)
    Entry("GET", "/api/v1/regions", ALL, NA),
    Entry("GET", "/api/v1/regions/{code:str}/grids", ALL, ALL, grid_of, note="regions are public reference data"),
    Entry("POST", "/api/v1/regions/grids", ADMIN_ONLY, ADMIN_ONLY, new_grid),
    # users and devices
    Entry("GET", "/api/v1/users", ADMIN_ONLY, NA),
    Entry("POST", "/api/v1/users", ADMIN_ONLY, ADMIN_ONLY, new_user),
    Entry("GET", "/api/v1/users/{user_id:str}", ADMIN_ONLY, ADMIN_ONLY, user_id),
    Entry("PATCH", "/api/v1/users/{user_id:str}", ADMIN_ONLY, ADMIN_ONLY, patch_user),
    Entry("GET", "/api/v1/devices", ALL, NA, note="admins see every device, others their own"),
    Entry("POST", "/api/v1/devices/{device_id:str}/revoke", ALL, answers(404, admin=OK), revoke_device,
          note="in scope = the caller's own tablet; out = another user's"),
    # audit
    Entry("GET", "/api/v1/audit", ADMIN_ONLY, NA),
    Entry("GET", "/api/v1/audit/verify", ADMIN_ONLY, NA),
    Entry("GET", "/api/v1/audit/anchors", ADMIN_ONLY, NA),
    Entry("POST", "/api/v1/audit/anchors", ADMIN_ONLY, NA, note="signs the chain's head with the server secret"),
    # checklists (scope = the caller's industries; an account without industries sees all)
    Entry("POST", "/api/v1/checklists", ADMINS, ADMIN_ONLY, publish_checklist,
          note="a department admin publishes only for their own industries: 403"),
    Entry("GET", "/api/v1/checklists", ALL, NA),
    Entry("GET", "/api/v1/checklists/bundle", ALL, NA),
    Entry("GET", "/api/v1/checklists/{checklist_id:str}/versions/{version:str}", ALL, answers(404, admin=OK, enterprise_user=OK), checklist_version,
          note="the world's enterprise user has no industries, so sees every checklist"),
    Entry("POST", "/api/v1/checklists/{checklist_id:str}/versions/{version:str}/retire", ADMINS, answers(403, admin=OK, department_admin=404), checklist_version),
    # plugins
    Entry("GET", "/api/v1/plugins", ADMINS, NA),
    # evaluations (评估): run = admin, department admin, evaluator (an enterprise user only its own
    # 自评估 against an enterprise standard: risk.matrix is 403); read adds inspector, viewer and the
    # enterprise's own user
    Entry("GET", "/api/v1/evaluators", ALL, NA),
    Entry("GET", "/api/v1/evaluators/{evaluator_id:str}/standard", ALL, NA, dual_prevention_standard),
    Entry("POST", "/api/v1/evaluations", EVALUATORS, answers(403, admin=OK, department_admin=404, evaluator=404), new_evaluation),
    Entry("GET", "/api/v1/evaluations", ALL, NA, note="lists only evaluations of enterprises in scope"),
    Entry("GET", "/api/v1/evaluations/{evaluation_id:str}", ALL, answers(404, admin=OK), evaluation_id),
    Entry("POST", "/api/v1/enterprises/{enterprise_id:str}/risk-level", EVALUATORS, answers(403, admin=OK, department_admin=404, evaluator=404),
          risk_level_from_evaluation),
]


# ---- hazards, inspections, plans, draws, ties, notifications, reports, jobs, sync ------------------

OFFICERS = answers(403, admin=OK, department_admin=OK, inspector=OK)  # who inspects and orders rectification
STAFF = answers(OK, enterprise_user=403)  # every role but the enterprise user (plan/inspection/report reads)
STAFF_OUT = answers(404, admin=OK, enterprise_user=403)  # a staff-only record outside the caller's scope
ADMINS_OUT = answers(403, admin=OK, department_admin=404)  # an admins-only action on a record outside scope
PUSHERS = answers(403, admin=OK, inspector=OK, enterprise_user=OK)  # sync.push


def hazard_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"hazard_id": world.records(side).hazard_id})


def new_hazard(world: World, role: str, side: Side) -> Call:
    return Call(json={"enterprise_id": world.records(side).enterprise["id"], "level": "general", "description": f"矩阵登记隐患{world.fresh('')}"})


async def order_rectification(world: World, role: str, side: Side) -> Call:
    hazard = await world.new_hazard(side)
    return Call(path={"hazard_id": hazard["id"]}, json={"to_status": "rectifying", "deadline": FAR_DEADLINE, "responsible_person": "李四", "base_version": hazard["version"]})


def new_inspection(world: World, role: str, side: Side) -> Call:
    return Call(json={"enterprise_id": world.records(side).enterprise["id"], "inspected_at": f"{YEAR}-03-01T15:00:00+08:00"})


def inspection_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"inspection_id": world.records(side).inspection_id})


def year_query(world: World, role: str, side: Side) -> Call:
    return Call(query={"year": YEAR})


def new_tie(world: World, role: str, side: Side) -> Call:
    return Call(json={"inspector_id": world.tie_inspector_id, "enterprise_id": world.records(side).enterprise["id"], "reason": "曾在该企业任职"})


async def fresh_tie(world: World, role: str, side: Side) -> Call:
    response = await world.api.client.post("/api/v1/inspector-ties", json=new_tie(world, role, side).json | {"inspector_id": world.tie_inspector2_id},
                                           headers=world.headers["admin"])
    assert response.status_code == 201, response.text
    return Call(path={"tie_id": response.json()["id"]})


def new_plan(world: World, role: str, side: Side) -> Call:
    records = world.records(side)
    return Call(json={"year": YEAR, "title": f"矩阵新计划{world.fresh('')}", "region_code": records.region_code, "industries": [records.industry]})


def plan_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"plan_id": world.records(side).plan_id})


def new_draw(world: World, role: str, side: Side) -> Call:
    records = world.records(side)
    return Call(json={"title": f"矩阵抽查{world.fresh('')}", "region_code": records.region_code, "industries": [records.industry], "enterprise_count": 1,
                      "inspectors_per_enterprise": 1, "due_from": f"{YEAR}-06-01", "due_until": f"{YEAR}-06-30"})


def draw_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"draw_id": world.records(side).draw_id})


def own_notification(world: World, role: str, side: Side) -> Call:
    notification = world.notification_ids[role] if side == "in" else world.outside.notification_id
    return Call(path={"notification_id": notification})


def snapshot_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"snapshot_id": world.snapshot_id})


def run_job(world: World, role: str, side: Side) -> Call:
    return Call(path={"name": "deadline_reminders"})


async def push_submission(world: World, role: str, side: Side) -> Call:
    records = world.records(side)
    record = {
        "kind": "submission", "id": str(uuid.uuid4()), "enterprise_id": records.enterprise["id"], "checklist_id": records.checklist_id,
        "checklist_version": records.checklist_version, "checklist_hash": records.checklist_hash, "started_at": f"{YEAR}-03-02T09:00:00+08:00",
        "finished_at": f"{YEAR}-03-02T10:00:00+08:00", "answers": {"A-1": {"result": "pass"}},
    }
    return Call(json={"records": [record]}, headers=await world.device_headers(world.usernames[role]))


async def pull(world: World, role: str, side: Side) -> Call:
    return Call(query={"limit": 2000}, headers=await world.device_headers(world.usernames[role]))


async def upload_attachment(world: World, role: str, side: Side) -> Call:
    content = f"矩阵照片 {world.fresh('')}".encode()
    return Call(path={"sha256": hashlib.sha256(content).hexdigest()}, content=content, content_type="image/jpeg",
                headers=await world.device_headers(world.usernames[role]))


async def resolve_conflict(world: World, role: str, side: Side) -> Call:
    return Call(path={"conflict_id": await world.new_conflict(side)}, json={"note": "以现场复核为准"})


async def reingest(world: World, role: str, side: Side) -> Call:
    row_id, corrected = await world.new_quarantined(side)
    return Call(path={"row_id": row_id}, json={"payload": corrected, "note": "更正后重新导入"})


async def dismiss(world: World, role: str, side: Side) -> Call:
    row_id, _ = await world.new_quarantined(side)
    return Call(path={"row_id": row_id}, json={"reason": "重复记录"})


ENTRIES += [
    # hazards (隐患): read = every role; register = officers + enterprise user (own); steps per core/hazards/rules.py
    Entry("GET", "/api/v1/hazards", ALL, NA, note="lists only hazards of enterprises in scope"),
    Entry("GET", "/api/v1/hazards/{hazard_id:str}", ALL, answers(404, admin=OK), hazard_id),
    Entry("POST", "/api/v1/hazards", answers(403, admin=OK, department_admin=OK, inspector=OK, enterprise_user=OK),
          answers(403, admin=OK, department_admin=404, inspector=404, enterprise_user=404), new_hazard,
          note="evaluators and viewers only read (403 first); another enterprise is 404"),
    Entry("POST", "/api/v1/hazards/{hazard_id:str}/transitions", OFFICERS, answers(404, admin=OK), order_rectification,
          note="下达限期整改 on a fresh reported hazard; the step's roles depend on the hazard's status, so scope (404) is "
               "checked first and the step's role (403 forbidden_transition) after; a 404 reveals nothing either way"),
    # inspections (执法检查): record = admin, department admin, inspector; read = staff
    Entry("POST", "/api/v1/inspections", OFFICERS, answers(403, admin=OK, department_admin=404, inspector=404), new_inspection,
          note="an enterprise user's self-inspection is not an enforcement inspection: 403"),
    Entry("GET", "/api/v1/inspections", STAFF, NA, year_query),
    Entry("GET", "/api/v1/inspections/{inspection_id:str}", ALL, answers(404, admin=OK), inspection_id,
          note="read back (sync/readback): whoever sees the enterprise, its own users included; everyone else 404"),
    # inspector ties (回避): write = admins within scope; read = staff
    Entry("GET", "/api/v1/inspector-ties", STAFF, NA),
    Entry("POST", "/api/v1/inspector-ties", ADMINS, ADMINS_OUT, new_tie),
    Entry("DELETE", "/api/v1/inspector-ties/{tie_id:str}", ADMINS, ADMINS_OUT, fresh_tie, note="a fresh tie per call"),
    # plans, assignments, random draws (双随机)
    Entry("GET", "/api/v1/plans", STAFF, NA, note="plans whose region and industries overlap the caller's"),
    Entry("POST", "/api/v1/plans", ADMINS, ADMIN_ONLY, new_plan,
          note="a department admin may not plan outside its jurisdiction: 403 (nothing exists to hide)"),
    Entry("GET", "/api/v1/plans/{plan_id:str}", STAFF, STAFF_OUT, plan_id),
    Entry("POST", "/api/v1/plans/{plan_id:str}/generate", ADMINS, ADMINS_OUT, plan_id, note="idempotent by slot"),
    Entry("GET", "/api/v1/plans/{plan_id:str}/coverage", STAFF, STAFF_OUT, plan_id, note="counts only enterprises in the caller's scope"),
    Entry("GET", "/api/v1/assignments", STAFF, NA, note="in scope; an inspector sees only their own"),
    Entry("GET", "/api/v1/random-draws", STAFF, NA,
          note="a draw is visible when any candidate is; its candidates and result show only enterprises in scope (the world's province-wide draw)"),
    Entry("POST", "/api/v1/random-draws", ADMINS, ADMIN_ONLY, new_draw, note="outside the department's jurisdiction: 403 (nothing exists to hide)"),
    Entry("GET", "/api/v1/random-draws/{draw_id:str}", STAFF, STAFF_OUT, draw_id),
    Entry("GET", "/api/v1/random-draws/{draw_id:str}/verify", STAFF, STAFF_OUT, draw_id),
    # notifications (通知): personal — another user's notification is 404 even for an admin
    Entry("GET", "/api/v1/notifications", ALL, NA),
    Entry("POST", "/api/v1/notifications/{notification_id:str}/read", ALL, answers(404), own_notification,
          note="in = addressed to the caller; out = the outside inspector's: personal, so 404 for every role including admin"),
    # reports (统计报表): staff, over the caller's scope
    Entry("GET", "/api/v1/reports/hazards", STAFF, NA),
    Entry("GET", "/api/v1/reports/inspections/by-inspector", STAFF, NA, year_query),
    Entry("GET", "/api/v1/reports/inspections/by-month", STAFF, NA, year_query),
    Entry("GET", "/api/v1/reports/plan-coverage", STAFF, NA, year_query),
    Entry("GET", "/api/v1/reports/listed-supervision", STAFF, NA, note="the outside major hazard must not be listed (marker)"),
    Entry("GET", "/api/v1/reports/snapshots", STAFF, NA),
    Entry("GET", "/api/v1/reports/period", STAFF, NA, month_period, note="built on demand over the caller's scope"),
    Entry("POST", "/api/v1/reports/snapshots/rebuild", ADMIN_ONLY, NA, rebuild_snapshot),
    Entry("GET", "/api/v1/reports/snapshots/{snapshot_id:str}", STAFF, NA, snapshot_id,
          note="snapshots are system-wide; each caller reads only the cells of its scope"),
    # scheduled jobs (admin)
    Entry("GET", "/api/v1/jobs/runs", ADMIN_ONLY, NA),
    Entry("POST", "/api/v1/jobs/{name:str}/run", ADMIN_ONLY, NA, run_job),
    # tablet sync (device sessions)
    Entry("POST", "/api/v1/sync/push", PUSHERS, PUSHERS, push_submission,
          note="a record outside scope is a per-record rejection (not_found, quarantined) in a 200 answer, never stored"),
    Entry("GET", "/api/v1/sync/pull", ALL, NA, pull, note="only changes in the device user's scope (checked by the markers)"),
    Entry("GET", "/api/v1/sync/conflicts", ALL, NA, note="admins: all; others: their own"),
    Entry("POST", "/api/v1/sync/conflicts/{conflict_id:str}/resolve", ADMIN_ONLY, ADMIN_ONLY, resolve_conflict,
          note="sync.review is admin only; in = pushed by the inside inspector, out = by the outside one"),
    Entry("GET", "/api/v1/sync/quarantine", ADMIN_ONLY, NA),
    Entry("POST", "/api/v1/sync/quarantine/{row_id:str}/reingest", ADMIN_ONLY, ADMIN_ONLY, reingest, note="a corrected payload, accepted"),
    Entry("POST", "/api/v1/sync/quarantine/{row_id:str}/dismiss", ADMIN_ONLY, ADMIN_ONLY, dismiss),
    Entry("PUT", "/api/v1/attachments/{sha256:str}", PUSHERS, NA, upload_attachment,
          note="content-addressed, not scoped; sync.push roles on a device session"),
    Entry("GET", "/api/v1/attachments/{sha256:str}", answers(404, admin=OK, inspector=OK), answers(404, admin=OK), stored_attachment,
          note="only its uploader, admins, or who may see a record referencing it; everyone else 404, as for a missing file"),
]

# 执法文书 (plugins/documents): their own module, whose builders use the helpers above.
from tests.reliability.authz_documents import DOCUMENT_ENTRIES  # noqa: E402

ENTRIES += DOCUMENT_ENTRIES

# 行政处罚 cases (plugins/documents/penalties).
from tests.reliability.authz_penalties import PENALTY_ENTRIES  # noqa: E402

ENTRIES += PENALTY_ENTRIES

# 双重预防 (issue 23): register, printables, safety codes, check lists, self-checks, reports.
from tests.reliability.authz_dual_prevention import DUAL_PREVENTION_ENTRIES  # noqa: E402

ENTRIES += DUAL_PREVENTION_ENTRIES
