"""Bulk import: good rows land, bad rows are reported per row and never half-imported."""

import io

from openpyxl import Workbook

from tests.conftest import valid_uscc

HEADER = "企业名称,统一社会信用代码,行政区划代码,行业,规模,风险等级,法定代表人,地址\n"


def _csv(rows: list[str]) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8-sig")


async def _upload(api, headers, name, content):
    return await api.client.post("/api/v1/enterprises/import", files={"file": (name, content)}, headers=headers)


async def test_mixed_rows_import_the_good_and_report_the_bad(api, admin):
    good1, good2 = valid_uscc(), valid_uscc()
    bad_check = valid_uscc()[:-1] + "0"
    if bad_check[-1] == valid_uscc()[-1]:
        bad_check = bad_check[:-1] + "1"
    rows = [
        f"广汉市一号化工有限公司,{good1},510681,危险化学品,小微型,较大,张三,连山镇",
        f"坏区划企业,{valid_uscc()},999999,危险化学品,小微型,,李四,",
        f"广汉市二号建筑公司,{good2},510681,建筑施工;消防,大中型,低,王五,雒城街道",
        "没有代码企业,,510681,消防,小微型,,,",
        f"未知行业企业,{valid_uscc()},510681,养殖,小微型,,,",
        f"重复代码企业,{good1},510681,消防,小微型,,,",
    ]
    response = await _upload(api, admin, "企业名单.csv", _csv(rows))
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["created"] == 2
    # The duplicate row updates the first enterprise (same USCC) rather than failing.
    assert report["updated"] == 1
    assert report["failed"] == 3
    errors = {e["row"]: e for e in report["errors"]}
    assert errors[3]["field"] == "region_code"
    assert errors[5]["field"] == "uscc"
    assert errors[6]["field"] == "industries[0]" or errors[6]["field"].startswith("industries")
    listing = (await api.client.get("/api/v1/enterprises?page_size=100", headers=admin)).json()
    names = {e["name"] for e in listing["items"]}
    assert names == {"重复代码企业", "广汉市二号建筑公司"}
    second = next(e for e in listing["items"] if e["name"] == "广汉市二号建筑公司")
    assert second["industries"] == ["construction", "fire"] and second["scale"] == "large_medium" and second["risk_level"] == "low"


async def test_bad_rows_leave_nothing_behind(api, admin):
    before = (await api.client.get("/api/v1/audit?entity=enterprise", headers=admin)).json()
    response = await _upload(api, admin, "bad.csv", _csv([f"坏,{valid_uscc()},999999,危险化学品,小微型,,,"]))
    assert response.json()["failed"] == 1
    assert (await api.client.get("/api/v1/enterprises", headers=admin)).json()["total"] == 0
    assert (await api.client.get("/api/v1/audit?entity=enterprise", headers=admin)).json() == before


async def test_xlsx_import(api, admin):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["企业名称", "统一社会信用代码", "行政区划代码", "行业", "规模"])
    sheet.append(["广汉市表格企业", valid_uscc(), 510681, "消防", "小微型"])
    sheet.append(["缺规模企业", valid_uscc(), "510681", "消防", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = (await _upload(api, admin, "list.xlsx", buffer.getvalue())).json()
    assert report["created"] == 1 and report["failed"] == 1
    assert report["errors"][0]["row"] == 3 and report["errors"][0]["field"] == "scale"


async def test_department_admin_imports_only_into_scope(api):
    headers = await api.as_new("department_admin", region_code="510681", industries=["hazchem"])
    rows = [f"本辖区,{valid_uscc()},510681,危险化学品,小微型,,,", f"外行业,{valid_uscc()},510681,煤矿,小微型,,,"]
    report = (await _upload(api, headers, "x.csv", _csv(rows))).json()
    assert report["created"] == 1 and report["failed"] == 1


async def test_viewer_cannot_import(api):
    headers = await api.as_new("viewer")
    assert (await _upload(api, headers, "x.csv", _csv([]))).status_code == 403


async def test_garbage_file_is_a_clear_error(api, admin):
    response = await _upload(api, admin, "x.xlsx", b"PK\x03\x04 not really a zip")
    assert response.status_code == 400 and response.json()["field"] == "file"


async def test_the_dual_prevention_columns_import_by_their_chinese_labels_and_a_bad_cell_names_its_field(api, admin):
    header = "企业名称,统一社会信用代码,行政区划代码,行业,规模,行业类别,生产仓储类别,安全管理机构,专职安全管理人员,兼职安全管理人员\n"
    rows = [
        f"广汉市蜀汉纺织有限公司,{valid_uscc()},510681,工贸,大中型,纺织、商贸,生产类,是,3,2",
        f"广汉市汉州冷库,{valid_uscc()},510681,工贸,小微型,轻工,仓储,否,0,",
        f"广汉市错类别化工,{valid_uscc()},510681,危险化学品,小微型,机械,,,,",
        f"广汉市错人数机械,{valid_uscc()},510681,工贸,小微型,机械,,是,-2,",
    ]
    report = (await _upload(api, admin, "双重预防.csv", (header + "\n".join(rows) + "\n").encode("utf-8-sig"))).json()
    assert (report["created"], report["failed"]) == (2, 2)
    errors = {e["row"]: e for e in report["errors"]}
    assert errors[4]["field"] == "sectors" and "工贸" in errors[4]["message_zh"]
    assert errors[5]["field"] == "safety_staff_full_time" and errors[5]["message_zh"] == "应为0到10000之间的整数"
    listing = (await api.client.get("/api/v1/enterprises", params={"sector": "textile"}, headers=admin)).json()["items"]
    assert [(e["name"], e["sectors"], e["production_kind"], e["safety_office"], e["safety_staff_full_time"], e["safety_staff_part_time"]) for e in listing] == [
        ("广汉市蜀汉纺织有限公司", ["commerce", "textile"], "production", True, 3, 2),
    ]
    cold = (await api.client.get("/api/v1/enterprises", params={"q": "冷库"}, headers=admin)).json()["items"][0]
    assert (cold["sectors"], cold["production_kind"], cold["safety_office"], cold["safety_staff_full_time"], cold["safety_staff_part_time"]) == (
        ["light_industry"], "storage", False, 0, None,
    )
