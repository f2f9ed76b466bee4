"""Bulk import: a cell holding a NUL character (U+0000) is that row's error, naming the column's
field; the other rows are imported. It was a 500 on PostgreSQL, which stores no U+0000."""

from __future__ import annotations

from tests.conftest import valid_uscc


async def test_a_row_with_a_nul_is_reported_and_the_others_imported(any_api, any_admin) -> None:  # type: ignore[no-untyped-def]
    csv = (
        "name,uscc,region_code,industries,scale\n"
        f"广汉\x00化工,{valid_uscc()},510681,hazchem,small_micro\n"
        f"广汉化工,{valid_uscc()},510681,hazchem,small_micro\n"
    ).encode()
    response = await any_api.client.post("/api/v1/enterprises/import", files={"file": ("a.csv", csv)}, headers=any_admin)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["failed"]) == (1, 1)
    [error] = report["errors"]
    assert (error["row"], error["field"]) == (2, "name")
