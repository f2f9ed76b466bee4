"""The authorization matrix of the 行政处罚 endpoints (plugins/documents/penalties).

Imported at the end of ``authz_matrix.py``. A case of either side is stored directly at the stage a
step needs (a fresh one per call), since the matrix needs a record in or out of scope; filing
itself names the world's users as handlers, who hold no 执法证号: past the role (403) and scope (404)
checks the answer is ``409 handlers_not_qualified``, nothing filed.
"""

from __future__ import annotations

from core.local_time import local_date
from plugins.documents.penalties.records import PenaltyCase
from tests.reliability.authz_matrix import NA, OK, Call, Entry, answers
from tests.reliability.world import Side, World

READERS = answers(403, admin=OK, department_admin=OK, inspector=OK)  # penalty.read
READERS_OUT = answers(403, admin=OK, department_admin=404, inspector=404)
HANDLERS = answers(403, admin=OK, inspector=OK)  # penalty.manage
HANDLERS_OUT = answers(403, admin=OK, inspector=404)


async def stored_case(world: World, side: Side, status: str = "filed") -> str:
    """A fresh case of the side's enterprise at ``status`` (its earlier stages filled)."""
    records = world.records(side)
    now = world.api.ctx.clock.now()
    today = local_date(now)
    row = PenaltyCase(
        enterprise_id=records.enterprise["id"], region_code=records.region_code, industries=[records.industry], status=status,
        cause="矩阵案由", handlers=[], filed_at=now, updated_at=now,
    )
    if status in ("notified", "decided"):
        row.facts, row.violated, row.basis, row.proposed, row.proposed_fine_yuan, row.notified_on = "矩阵事实", "矩阵条款", "矩阵依据", "罚款", 1000, today
    if status == "decided":
        row.decision, row.fine_yuan, row.payee, row.account, row.decided_on = "罚款", 1000, "矩阵银行", "0001", today
    async with world.api.direct.db.write() as session:
        session.add(row)
        await session.flush()
        return row.id


def file_body(world: World, role: str, side: Side) -> Call:
    handlers = [world.user_ids["inspector"], world.user_ids["admin"]]
    return Call(json={"enterprise_id": world.records(side).enterprise["id"], "cause": "矩阵案由", "handlers": handlers})


async def case_id(world: World, role: str, side: Side) -> Call:
    return Call(path={"case_id": await stored_case(world, side)})


async def notice_body(world: World, role: str, side: Side) -> Call:
    today = local_date(world.api.ctx.clock.now()).isoformat()
    body = {"facts": "矩阵事实", "violated": "矩阵条款", "basis": "矩阵依据", "proposed": "罚款", "proposed_fine_yuan": 1000, "notified_on": today}
    return Call(path={"case_id": await stored_case(world, side)}, json=body)


async def decision_body(world: World, role: str, side: Side) -> Call:
    today = local_date(world.api.ctx.clock.now()).isoformat()
    body = {"decision": "罚款", "fine_yuan": 1000, "decided_on": today, "payee": "矩阵银行", "account": "0001"}
    return Call(path={"case_id": await stored_case(world, side, "notified")}, json=body)


async def fulfilment_body(world: World, role: str, side: Side) -> Call:
    today = local_date(world.api.ctx.clock.now()).isoformat()
    return Call(path={"case_id": await stored_case(world, side, "decided")}, json={"paid_on": today, "paid_yuan": 1000, "receipt_no": "矩阵-1"})


PENALTY_ENTRIES: list[Entry] = [
    Entry("POST", "/api/v1/penalties", answers(403, admin=409, inspector=409), answers(403, admin=409, inspector=404), file_body,
          note="past role and scope, the world's handlers hold no 执法证号: 409 handlers_not_qualified, nothing filed"),
    Entry("GET", "/api/v1/penalties", READERS, NA, note="cases of enterprises in scope only"),
    Entry("GET", "/api/v1/penalties/{case_id:str}", READERS, READERS_OUT, case_id),
    Entry("POST", "/api/v1/penalties/{case_id:str}/notice", HANDLERS, HANDLERS_OUT, notice_body, note="a fresh filed case per call"),
    Entry("POST", "/api/v1/penalties/{case_id:str}/decision", HANDLERS, HANDLERS_OUT, decision_body, note="a fresh notified case per call"),
    Entry("POST", "/api/v1/penalties/{case_id:str}/fulfilment", HANDLERS, HANDLERS_OUT, fulfilment_body, note="a fresh decided case per call"),
]
