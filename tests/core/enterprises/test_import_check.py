"""The import's check pass writes nothing and refuses what the writing would (plus a USCC twice in
the file); the writing goes a chunk per transaction, and a bad row never costs its neighbours."""

from __future__ import annotations

from typing import Any

import pytest

from core.access.scope import Principal
from core.enterprises import bulk_import
from core.enterprises.bulk_import import check_import, decode_file, import_enterprises, write_rows
from core.errors import Forbidden
from tests.conftest import Api, valid_uscc

HEADER = "企业名称,统一社会信用代码,行政区划代码,行业,规模\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def _admin() -> Principal:
    return Principal(user_id="00000000-0000-0000-0000-000000000001", username="root", role="admin")


def _department() -> Principal:
    return Principal(user_id="00000000-0000-0000-0000-000000000002", username="dept", role="department_admin", region_code="510681", industries=("hazchem",))


async def _audit_count(api: Api, admin: dict[str, str]) -> int:
    body = (await api.client.get("/api/v1/audit", params={"page_size": 1}, headers=admin)).json()
    return body["total"] if isinstance(body, dict) else len(body)


async def test_the_check_writes_nothing_and_counts_what_the_import_would_do(api: Api, admin: dict[str, str]) -> None:
    existing = await api.enterprise(admin)
    content = _csv(f"新企业,{valid_uscc()},510681,危险化学品,小微型", f"改名企业,{existing['uscc']},510681,危险化学品,小微型")
    audit = await _audit_count(api, admin)
    check = await check_import(api.direct, _admin(), "a.csv", content)
    assert (check.total, check.to_create, check.to_update, check.errors) == (2, 1, 1, [])
    assert [r.row for r in check.rows] == [2, 3] and check.columns["uscc"] == "统一社会信用代码"
    assert await _audit_count(api, admin) == audit
    assert (await api.client.get(f"/api/v1/enterprises/{existing['id']}", headers=admin)).json()["version"] == 1


async def test_the_check_refuses_exactly_what_the_import_refuses_and_a_uscc_twice(api: Api, admin: dict[str, str]) -> None:
    twice = valid_uscc()
    rows = (
        f"好企业,{valid_uscc()},510681,危险化学品,小微型",
        f"坏区划,{valid_uscc()},999999,危险化学品,小微型",
        f"外行业,{valid_uscc()},510681,煤矿,小微型",
        f"坏代码,{valid_uscc()[:-1]}*,510681,危险化学品,小微型",
        f",{valid_uscc()},510681,危险化学品,小微型",
        f"第一次,{twice},510681,危险化学品,小微型",
        f"第二次,{twice},510681,危险化学品,小微型",
    )
    check = await check_import(api.direct, _department(), "a.csv", _csv(*rows))
    checked = {(e.row, e.field) for e in check.errors}
    assert checked == {(3, "region_code"), (4, None), (5, "uscc"), (6, "name"), (8, "uscc")}
    assert next(e for e in check.errors if e.row == 8).message_zh == f"统一社会信用代码 {twice} 与第 7 行重复"
    report = await import_enterprises(api.direct, _department(), "a.csv", _csv(*rows))
    assert {(e.row, e.field) for e in report.errors} == checked - {(8, "uscc")}  # the API's import updates instead
    assert (report.created, report.updated) == (2, 1)


async def test_rows_keep_their_spreadsheet_numbers_across_blank_lines(api: Api) -> None:
    content = (HEADER + f"甲,{valid_uscc()},510681,消防,小微型\n\n,,,,\n乙,{valid_uscc()},999999,消防,小微型\n").encode()
    check = await check_import(api.direct, _admin(), "a.csv", content)
    assert [r.row for r in check.rows] == [2, 5] and [e.row for e in check.errors] == [5]


async def test_a_row_refused_at_write_time_costs_only_itself(api: Api, admin: dict[str, str]) -> None:
    rows, _ = decode_file("a.csv", _csv(*(f"企业{i},{valid_uscc()},510681,危险化学品,小微型" for i in range(3))))
    taken = rows[1].values["uscc"]
    # between the check and the write, someone registers row 3's USCC outside the department's scope
    await api.enterprise(admin, uscc=taken, region_code="510104", industries=["construction"])
    report = await write_rows(api.direct, _department(), rows)
    assert (report.created, report.updated, [(e.row, e.field) for e in report.errors]) == (2, 0, [(3, "uscc")])


async def test_a_chunk_that_fails_whole_is_redone_row_by_row(api: Api, admin: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*args: Any) -> Any:
        raise RuntimeError("the chunk's transaction failed")

    monkeypatch.setattr(bulk_import, "_write_chunk", broken)
    rows, _ = decode_file("a.csv", _csv(*(f"企业{i},{valid_uscc()},510681,危险化学品,小微型" for i in range(3)), f"坏,{valid_uscc()},999999,消防,小微型"))
    report = await write_rows(api.direct, _admin(), rows)
    assert (report.created, report.failed) == (3, 1)
    assert (await api.client.get("/api/v1/enterprises", headers=admin)).json()["total"] == 3


async def test_the_api_import_writes_in_chunks_and_merges_their_reports(api: Api, admin: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_import, "CHUNK", 2)
    calls: list[int] = []
    original = bulk_import.write_rows

    async def counted(ctx: Any, principal: Principal, rows: list[Any]) -> Any:
        calls.append(len(rows))
        return await original(ctx, principal, rows)

    monkeypatch.setattr(bulk_import, "write_rows", counted)
    content = _csv(*(f"企业{i},{valid_uscc()},510681,危险化学品,小微型" for i in range(5)), f"坏,{valid_uscc()},999999,消防,小微型")
    report = await import_enterprises(api.direct, _admin(), "a.csv", content)
    assert calls == [2, 2, 2] and (report.created, report.failed, report.errors[0].row) == (5, 1, 7)


async def test_only_importing_roles_may_check(api: Api) -> None:
    viewer = Principal(user_id="00000000-0000-0000-0000-000000000003", username="v", role="viewer", region_code="510681")
    with pytest.raises(Forbidden):
        await check_import(api.direct, viewer, "a.csv", _csv())
    with pytest.raises(Forbidden):
        await write_rows(api.direct, viewer, [])


async def test_an_update_from_a_file_changes_only_the_cells_the_file_fills(api: Api, admin: dict[str, str]) -> None:
    existing = await api.enterprise(admin)
    changed = await api.client.patch(f"/api/v1/enterprises/{existing['id']}", json={"risk_level": "high", "address": "德阳市广汉市工业路8号"}, headers=admin)
    assert changed.status_code == 200, changed.text
    content = ("企业名称,统一社会信用代码,行政区划代码,行业,规模,风险等级\n" f"改名企业,{existing['uscc']},510681,危险化学品,小微型,\n").encode()
    report = await import_enterprises(api.direct, _admin(), "a.csv", content)
    assert (report.created, report.updated, report.errors) == (0, 1, [])
    after = (await api.client.get(f"/api/v1/enterprises/{existing['id']}", headers=admin)).json()
    assert after["name"] == "改名企业"  # filled: changed
    assert (after["risk_level"], after["address"]) == ("high", "德阳市广汉市工业路8号")  # empty or absent: kept
