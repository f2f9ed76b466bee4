"""The console matrix's entries for the documents area (see matrix_kit.py): the same answers as the
API's matrix of 执法文书 and 行政处罚 (tests/reliability/authz_documents.py, authz_penalties.py), as
pages. Documents and cases are stored directly (a fresh one per call) by those files' helpers; the
world's inspections are office-recorded and its users hold no 执法证号, so issuing and 立案 answer
409 past the role and scope checks, nothing numbered or filed.
"""

from __future__ import annotations

import itertools

import httpx

from core.local_time import local_date
from tests.reliability.authz_documents import stored_document
from tests.reliability.authz_matrix import answers
from tests.reliability.authz_penalties import stored_case
from tests.reliability.world import Side, World
from tests.web.console.conftest import ConsoleUser
from tests.web.console.matrix_kit import ALL, GO, NA, OK, OUT_404, ConsoleEntry, get
from tests.web.console.test_console_session import png

ISSUERS_GO = answers(403, admin=GO, inspector=GO)  # document.issue / document.void
ISSUERS_GO_OUT = answers(403, admin=GO, inspector=404)
ISSUERS_OK = answers(403, admin=OK, inspector=OK)
ISSUERS_OK_OUT = answers(403, admin=OK, inspector=404)
EXPORTERS = answers(403, admin=OK, department_admin=OK, inspector=OK)  # case_file.export
EXPORTERS_OUT = answers(403, admin=OK, department_admin=404, inspector=404)
READERS = answers(403, admin=OK, department_admin=OK, inspector=OK)  # penalty.read
READERS_OUT = answers(403, admin=OK, department_admin=404, inspector=404)
HANDLERS_GO = answers(403, admin=GO, inspector=GO)  # penalty.manage
HANDLERS_GO_OUT = answers(403, admin=GO, inspector=404)
REFUSED_409 = answers(403, admin=409, inspector=409)
REFUSED_409_OUT = answers(403, admin=409, inspector=404)


_SEEDS = itertools.count(1)


def _inspection(suffix: str = "") -> object:
    return lambda w, s: f"/inspections/{w.records(s).inspection_id}{suffix}"


async def document_page(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.get(f"/documents/{await stored_document(world, side)}")


async def void(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post(f"/documents/{await stored_document(world, side)}/void", {"reason": "矩阵作废", "confirm": "yes"})


async def sign(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    document_id = await stored_document(world, side)
    image = png(next(_SEEDS))
    return await user.post(f"/documents/{document_id}/signatures", {"role": "enterprise", "name": "矩阵签名人"}, files={"image": ("sig.png", image, "image/png")})


async def issue(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.post(f"/inspections/{world.records(side).inspection_id}/documents", {"type": "inspection_record"})


async def case_page(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    return await user.get(f"/penalties/{await stored_case(world, side)}")


async def notice(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    form = {"stage": "notice", "facts": "矩阵事实", "violated": "矩阵条款", "basis": "矩阵依据", "proposed": "罚款", "proposed_fine_yuan": "1000",
            "notified_on": local_date(world.api.ctx.clock.now()).isoformat()}
    return await user.post(f"/penalties/{await stored_case(world, side)}/steps", form)


async def file_case(world: World, user: ConsoleUser, role: str, side: Side) -> httpx.Response:
    handlers = [world.user_ids["inspector"], world.user_ids["admin"]]
    return await user.post("/penalties", {"inspection_id": world.records(side).inspection_id, "cause": "矩阵案由", "handlers": handlers})


ENTRIES: list[ConsoleEntry] = [
    ConsoleEntry("GET", "/documents", ALL, NA, get("/documents"), "documents of enterprises in scope only (stored ones of both sides by then)"),
    ConsoleEntry("GET", "/documents/{document_id:str}", ALL, OUT_404, document_page, "whoever sees the enterprise; its own users too"),
    ConsoleEntry("POST", "/documents/{document_id:str}/void", ISSUERS_GO, ISSUERS_GO_OUT, void, "a fresh document per call; role first, as the API"),
    ConsoleEntry("POST", "/documents/{document_id:str}/signatures", ISSUERS_GO, ISSUERS_GO_OUT, sign,
                 "the enterprise's box of a fresh document with an uploaded image"),
    ConsoleEntry("GET", "/inspections/{inspection_id:str}/documents", ALL, OUT_404, get(_inspection("/documents"))),  # type: ignore[arg-type]
    ConsoleEntry("GET", "/inspections/{inspection_id:str}/documents/new", ISSUERS_OK, ISSUERS_OK_OUT,
                 get(_inspection("/documents/new?type=inspection_record")), "the issue form: officers only"),  # type: ignore[arg-type]
    ConsoleEntry("POST", "/inspections/{inspection_id:str}/documents", REFUSED_409, REFUSED_409_OUT, issue,
                 "the office-recorded inspection lacks every fact: 409 missing_facts beside the form, nothing numbered"),
    ConsoleEntry("GET", "/inspections/{inspection_id:str}/case-file", EXPORTERS, EXPORTERS_OUT, get(_inspection("/case-file"))),  # type: ignore[arg-type]
    ConsoleEntry("GET", "/penalties", READERS, NA, get("/penalties"), "cases of enterprises in scope only"),
    ConsoleEntry("GET", "/penalties/{case_id:str}", READERS, READERS_OUT, case_page),
    ConsoleEntry("POST", "/penalties/{case_id:str}/steps", HANDLERS_GO, HANDLERS_GO_OUT, notice, "告知 on a fresh filed case"),
    ConsoleEntry("POST", "/penalties", REFUSED_409, REFUSED_409_OUT, file_case,
                 "立案 from the side's inspection: the world's handlers hold no 执法证号, 409 beside the form, nothing filed"),
]
