"""Townships (nine-digit codes): imported from a file, then a user's scope, a grid, a plan and an
enterprise may be one; and the provinces beyond Sichuan can register enterprises."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from litestar.testing import AsyncTestClient
from sqlmodel import col, select

from core.regions.importing import import_regions
from core.regions.records import Region
from core.storage.audit_log import AuditEntry
from server import cli, create_app
from tests.conftest import Api, make_settings, valid_uscc

TOWNSHIPS = (
    "code,name,areaCode,provinceCode,cityCode\n"  # china-division's streets.csv, as it is
    '510681001,"雒城街道",510681,51,5106\n'
    '510681002,"汉州街道",510681,51,5106\n'
    '510681100,"向阳镇",510681,51,5106\n'
).encode()


async def township_world(api: Api, admin: dict[str, str]) -> dict[str, Any]:
    summary = await import_regions(api.direct, TOWNSHIPS, source="streets.csv")
    assert (summary.problems, summary.added) == ([], 3)
    in_town = await api.enterprise(admin, name="雒城化工", region_code="510681001")
    in_county = await api.enterprise(admin, name="广汉县直化工", region_code="510681")
    in_other_town = await api.enterprise(admin, name="汉州化工", region_code="510681002")
    return {"town": in_town, "county": in_county, "other": in_other_town}


async def names(api: Api, headers: dict[str, str], **params: Any) -> set[str]:
    response = await api.client.get("/api/v1/enterprises", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {item["name"] for item in response.json()["items"]}


async def test_a_township_scope_sees_only_its_township(api: Api, admin):
    world = await township_world(api, admin)
    town_user = await api.as_new("inspector", region_code="510681001", industries=["hazchem"])
    assert await names(api, town_user) == {"雒城化工"}
    county_user = await api.as_new("inspector", region_code="510681", industries=["hazchem"])
    assert await names(api, county_user) == {"雒城化工", "广汉县直化工", "汉州化工"}
    assert await names(api, admin, region_code="510681002") == {"汉州化工"}
    hidden = await api.client.get(f"/api/v1/enterprises/{world['county']['id']}", headers=town_user)
    assert hidden.status_code == 404

    hazard = await api.client.post(
        "/api/v1/hazards", json={"enterprise_id": world["town"]["id"], "level": "general", "description": "配电箱未接地"}, headers=admin,
    )
    assert hazard.status_code == 201, hazard.text
    assert hazard.json()["region_code"] == "510681001"
    listed = (await api.client.get("/api/v1/hazards", params={"region_code": "510681001"}, headers=town_user)).json()
    assert [h["id"] for h in listed["items"]] == [hazard.json()["id"]]

    children = (await api.client.get("/api/v1/regions", params={"parent_code": "510681"}, headers=admin)).json()
    assert [(r["code"], r["level"]) for r in children] == [("510681001", "township"), ("510681002", "township"), ("510681100", "township")]


async def test_a_grid_and_a_plan_may_be_a_township(api: Api, admin):
    await township_world(api, admin)
    grid = await api.client.post(
        "/api/v1/regions/grids", json={"code": "GH-LC-01", "region_code": "510681001", "name": "雒城街道第一网格", "township": "雒城街道"}, headers=admin,
    )
    assert grid.status_code == 201, grid.text
    assert [g["code"] for g in (await api.client.get("/api/v1/regions/510681001/grids", headers=admin)).json()] == ["GH-LC-01"]
    gridded = await api.enterprise(admin, name="网格内化工", region_code="510681001", grid_code="GH-LC-01")
    assert gridded["grid_code"] == "GH-LC-01"
    city_grid = await api.client.post("/api/v1/regions/grids", json={"code": "DY-01", "region_code": "510600", "name": "市级网格"}, headers=admin)
    assert (city_grid.status_code, city_grid.json()["field"]) == (400, "region_code")

    plan = await api.client.post("/api/v1/plans", json={"year": 2026, "title": "雒城街道危化计划", "region_code": "510681001", "industries": ["hazchem"]}, headers=admin)
    assert plan.status_code == 201, plan.text
    coverage = (await api.client.get("/api/v1/reports/plan-coverage", params={"year": 2026}, headers=admin)).json()["rows"]
    assert [(r["region_code"], r["enterprises_in_scope"]) for r in coverage] == [("510681001", 2)]


async def test_a_township_needs_importing_and_nine_digits_are_checked(api: Api, admin):
    unknown = await api.client.post(
        "/api/v1/enterprises",
        json={"name": "无名镇化工", "uscc": valid_uscc(), "region_code": "510681999", "industries": ["hazchem"], "scale": "small_micro"}, headers=admin,
    )
    assert (unknown.status_code, unknown.json()["field"]) == (400, "region_code")
    malformed = await api.client.post(
        "/api/v1/users", json={"username": "eight", "password": "correct-horse-battery", "role": "viewer", "region_code": "51068100"}, headers=admin,
    )
    assert (malformed.status_code, malformed.json()["field"]) == (400, "region_code")


async def test_enterprises_register_in_every_province(api: Api, admin):
    for region, name in (("370102", "济南历下化工"), ("330106", "杭州西湖化工"), ("430104", "长沙岳麓化工")):
        created = await api.enterprise(admin, name=name, region_code=region, uscc=valid_uscc(region))
        assert created["region_code"] == region
    shandong = await api.as_new("viewer", region_code="370000")
    assert await names(api, shandong) == {"济南历下化工"}


async def audit_of_imports(api: Api) -> list[dict[str, Any]]:
    async with api.direct.db.read() as session:
        rows = (await session.exec(select(AuditEntry).where(col(AuditEntry.action) == "regions_imported"))).all()
    return [row.after for row in rows]


async def test_an_import_checks_the_whole_file_before_writing(api: Api):
    bad = (
        "code,name,parent_code,level\n"
        "510681001,雒城街道,,\n"
        "510681002,,,\n"  # no name
        "51068100,短码,,\n"  # eight digits
        "510681001,重复,,\n"  # listed twice
        "520999001,无上级,,\n"  # parent 520999 unknown
        "510681003,错上级,510682,\n"  # not its parent by the code
        "510681004,错级别,,county\n"
    ).encode()
    summary = await import_regions(api.direct, bad, source="bad.csv")
    assert [(p.line, p.column) for p in summary.problems] == [
        (3, "name"), (4, "code"), (5, "code"), (7, "parent_code"), (8, "level"), (6, "code"),
    ]
    assert all(p.message and p.message_zh for p in summary.problems)
    async with api.direct.db.read() as session:
        assert (await session.exec(select(Region).where(col(Region.code) == "510681001"))).first() is None, "nothing is written"
    assert (await import_regions(api.direct, b"id,title\n1,x\n", source="x.csv")).problems[0].column == "code"

    first = await import_regions(api.direct, TOWNSHIPS, source="streets.csv")
    assert (first.added, first.renamed, first.unchanged) == (3, 0, 0)
    again = await import_regions(api.direct, TOWNSHIPS, source="streets.csv")
    assert (again.added, again.renamed, again.unchanged, again.problems) == (0, 0, 3, [])
    renamed = await import_regions(api.direct, "code,name\n510681100,向阳镇（更名）\n".encode(), source="rename.csv")
    assert (renamed.added, renamed.renamed) == (0, 1)
    audits = await audit_of_imports(api)
    assert [(a["file"], a["added"], a["renamed"]) for a in audits] == [("streets.csv", 3, {}), ("rename.csv", 0, {"510681100": "向阳镇（更名）"})]


@pytest.fixture
def cli_env(monkeypatch, db_url, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANJIAN_DATABASE_URL", db_url)
    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def test_regions_import_command(cli_env, tmp_path):
    good = tmp_path / "streets.csv"
    good.write_bytes(b"\xef\xbb\xbf" + TOWNSHIPS)  # a byte-order mark, as Excel writes it
    result = cli_env.invoke(cli, ["regions", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "streets.csv: 3 rows, 3 added, 0 renamed, 0 unchanged" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\n510681009,\n", encoding="utf-8")
    failed = cli_env.invoke(cli, ["regions", "import", str(bad)])
    assert failed.exit_code == 1
    assert "line 2 [name]" in failed.output and "nothing imported" in failed.output


async def test_townships_on_every_database(any_db_url, tmp_path, clock):
    app = create_app(make_settings(any_db_url, str(tmp_path / "data")), clock=clock)
    async with AsyncTestClient(app=app) as client:
        api = Api(client, app)
        try:
            await api.user("root", "admin")
            admin = await api.login("root")
            world = await township_world(api, admin)  # nine-digit codes in enterprise, then hazard and change rows
            town_user = await api.as_new("department_admin", region_code="510681001", industries=["hazchem"])
            assert await names(api, town_user) == {"雒城化工"}
            hazard = await client.post("/api/v1/hazards", json={"enterprise_id": world["town"]["id"], "level": "major", "description": "储罐无紧急切断"}, headers=admin)
            assert hazard.status_code == 201, hazard.text
            plan = await client.post("/api/v1/plans", json={"year": 2026, "title": "雒城计划", "region_code": "510681001", "industries": ["hazchem"]}, headers=town_user)
            assert plan.status_code == 201, plan.text
        finally:
            await api.direct.db.dispose()
