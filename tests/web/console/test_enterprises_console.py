"""企业 in the console: creating and editing a file through the API's services (field errors beside
the fields, a stale page refused), the bulk import (every bad row listed and nothing written; a clean
file written in chunks with its progress), and the enterprise's self-inspections (企业自查)."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.conftest import PASSWORD, Api, valid_uscc
from tests.reliability.world import checklist_definition
from tests.web.console.conftest import ConsoleUser, sign_in
from web.console.pages import enterprise_import, enterprise_import_jobs

DEPT = {"region_code": "510600", "industries": ["hazchem", "fire"]}  # 德阳市 × 危化、消防


def _form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"name": "广汉市新建化工有限公司", "uscc": valid_uscc(), "region_code": "510681", "scale": "small_micro",
                            "industries": ["hazchem"], "address": "广汉市南丰镇", "active": "1"}
    form.update(changes)
    return form


def _bad_check(uscc: str) -> str:
    """``uscc`` with a wrong check character."""
    return uscc[:-1] + ("1" if uscc[-1] != "1" else "2")


async def _count(api: Api, admin: dict[str, str], **params: Any) -> int:
    return (await api.client.get("/api/v1/enterprises", params={"page_size": 1, **params}, headers=admin)).json()["total"]


async def _audit(api: Api, admin: dict[str, str], action: str) -> int:
    entries = (await api.client.get("/api/v1/audit", params={"entity": "enterprise", "page_size": 500}, headers=admin)).json()
    items = entries["items"] if isinstance(entries, dict) else entries
    return sum(1 for e in items if e["action"] == action)


@pytest.fixture
async def dept(api: Api, admin: dict[str, str]) -> ConsoleUser:
    await api.user("deyang", "department_admin", **DEPT)  # type: ignore[arg-type]
    return await sign_in(api.client, "deyang")


# ---- creating and editing ----


async def test_a_new_file_with_a_bad_uscc_is_refused_beside_the_field_then_created_once_fixed(api: Api, admin: dict[str, str], dept: ConsoleUser) -> None:
    page = await dept.get("/enterprises/new")
    assert page.status_code == 200 and 'name="uscc"' in page.text and 'value="510681"' in page.text
    uscc = valid_uscc()
    refused = await dept.post("/enterprises", _form(uscc=_bad_check(uscc)))
    assert refused.status_code == 400
    assert re.search(r'data-error-field="uscc">校验码错误：应为 ' + uscc[-1], refused.text), refused.text[-3000:]
    assert "未保存：请更正标出的字段（统一社会信用代码）" in refused.text
    assert 'value="广汉市南丰镇"' in refused.text  # what was typed stays
    assert await _count(api, admin) == 0 and await _audit(api, admin, "enterprise_created") == 0
    done = await dept.post("/enterprises", _form(uscc=uscc))
    assert done.status_code == 303 and re.fullmatch(r"/enterprises/[0-9a-f-]{36}\?saved=created", done.headers["location"])
    shown = await dept.get(done.headers["location"])
    assert "已新建企业档案" in shown.text and uscc in shown.text and "广汉市南丰镇" in shown.text
    assert await _audit(api, admin, "enterprise_created") == 1
    twice = await dept.post("/enterprises", _form(uscc=uscc, name="同码企业"))
    assert twice.status_code == 409 and f"统一社会信用代码 {uscc} 已存在" in twice.text and await _count(api, admin) == 1


async def test_every_malformed_field_is_named_at_once_and_nothing_is_saved(api: Api, admin: dict[str, str], dept: ConsoleUser) -> None:
    response = await dept.post("/enterprises", _form(name="", industries=[], scale="", longitude="东经", latitude="95", safety_manager_phone="1" * 40))
    assert response.status_code == 400
    errors = dict(re.findall(r'data-error-field="(\w+)">([^<]+)<', response.text))
    assert errors == {"name": "必填，不能为空", "industries": "至少选择一个行业", "scale": "必填，不能为空", "longitude": "应为数字",
                      "latitude": "超出允许范围", "safety_manager_phone": "最多 32 个字符"}
    assert "未保存：请更正标出的字段（企业名称、规模、安全负责人电话、经度、纬度、行业）" in response.text
    assert await _count(api, admin) == 0


async def test_a_file_outside_the_departments_scope_is_refused_and_a_grid_must_lie_in_its_region(api: Api, admin: dict[str, str], dept: ConsoleUser) -> None:
    outside = await dept.post("/enterprises", _form(region_code="510104"))  # 锦江区: not 德阳市
    assert outside.status_code == 403 and "超出您的管辖范围" in outside.text
    wrong_grid = await dept.post("/enterprises", _form(grid_code="no-such-grid"))
    assert wrong_grid.status_code == 400 and 'data-error-field="grid_code"' in wrong_grid.text
    assert await _count(api, admin) == 0


async def test_a_stale_edit_is_refused_with_409_and_changes_nothing(api: Api, admin: dict[str, str], dept: ConsoleUser) -> None:
    enterprise = await api.enterprise(admin, name="广汉市老化工厂")
    page = await dept.get(f"/enterprises/{enterprise['id']}/edit")
    assert page.status_code == 200 and 'name="version" value="1"' in page.text and 'value="广汉市老化工厂"' in page.text
    # someone else saves first
    other = await api.client.patch(f"/api/v1/enterprises/{enterprise['id']}", json={"address": "别人改的地址"}, headers=admin)
    assert other.json()["version"] == 2
    stale = await dept.post(f"/enterprises/{enterprise['id']}/edit", _form(uscc=enterprise["uscc"], name="我的新名称", version="1"))
    assert stale.status_code == 409
    assert "您基于版本 1，当前版本 2" in stale.text and f'href="/enterprises/{enterprise["id"]}/edit"' in stale.text
    now = (await api.client.get(f"/api/v1/enterprises/{enterprise['id']}", headers=admin)).json()
    assert now["name"] == "广汉市老化工厂" and now["version"] == 2
    fresh = await dept.post(f"/enterprises/{enterprise['id']}/edit", _form(uscc=enterprise["uscc"], name="我的新名称", address="别人改的地址", version="2"))
    assert fresh.status_code == 303 and fresh.headers["location"].endswith("?saved=updated")
    after = (await api.client.get(f"/api/v1/enterprises/{enterprise['id']}", headers=admin)).json()
    assert after["name"] == "我的新名称" and after["version"] == 3 and after["address"] == "别人改的地址"
    assert "已保存修改（现为第 3 版）" in (await dept.get(fresh.headers["location"])).text


async def test_an_edit_sends_only_what_changed(api: Api, admin: dict[str, str], dept: ConsoleUser) -> None:
    """A USCC an admin accepted despite its check stays editable by a department (the USCC is not re-sent)."""
    accepted = _bad_check(valid_uscc())
    enterprise = await api.enterprise(admin, uscc=accepted, uscc_override_reason="早期真实代码，见营业执照")
    form = _form(uscc=accepted, name=enterprise["name"], address="新地址", version="1")
    assert "uscc_override_reason" not in (await dept.get(f"/enterprises/{enterprise['id']}/edit")).text  # admins only
    saved = await dept.post(f"/enterprises/{enterprise['id']}/edit", form)
    assert saved.status_code == 303, saved.text[-2000:]
    after = (await api.client.get(f"/api/v1/enterprises/{enterprise['id']}", headers=admin)).json()
    assert after["address"] == "新地址" and after["uscc_override_reason"] == "早期真实代码，见营业执照"
    same = await dept.post(f"/enterprises/{enterprise['id']}/edit", {**form, "version": "2"})
    assert same.headers["location"].endswith("?saved=unchanged")
    assert (await api.client.get(f"/api/v1/enterprises/{enterprise['id']}", headers=admin)).json()["version"] == 2


async def test_only_roles_that_may_write_see_the_buttons_and_others_get_403(api: Api, admin: dict[str, str], dept: ConsoleUser) -> None:
    enterprise = await api.enterprise(admin)
    listing = await dept.get("/enterprises")
    assert 'href="/enterprises/new"' in listing.text and 'href="/enterprises/import"' in listing.text
    assert f'href="/enterprises/{enterprise["id"]}/edit"' in (await dept.get(f"/enterprises/{enterprise['id']}")).text
    await api.user("viewer1", "viewer", region_code="510681", industries=["hazchem"])
    viewer = await sign_in(api.client, "viewer1")
    assert 'href="/enterprises/new"' not in (await viewer.get("/enterprises")).text
    assert "/edit" not in (await viewer.get(f"/enterprises/{enterprise['id']}")).text
    for path in ("/enterprises/new", f"/enterprises/{enterprise['id']}/edit", "/enterprises/import"):
        assert (await viewer.get(path)).status_code == 403, path
    assert (await viewer.post("/enterprises", _form())).status_code == 403
    assert (await viewer.post(f"/enterprises/{enterprise['id']}/edit", _form(version="1"))).status_code == 403
    assert await _count(api, admin) == 1


async def test_posts_without_the_csrf_token_change_nothing(api: Api, admin: dict[str, str], dept: ConsoleUser) -> None:
    enterprise = await api.enterprise(admin)
    assert (await dept.post("/enterprises", _form(), token=None)).status_code == 403
    assert (await dept.post(f"/enterprises/{enterprise['id']}/edit", _form(name="改名", version="1"), token=None)).status_code == 403
    assert (await dept.post("/enterprises/import", token=None, files={"file": ("a.csv", b"x")})).status_code == 403
    assert await _count(api, admin) == 1
    assert (await api.client.get(f"/api/v1/enterprises/{enterprise['id']}", headers=admin)).json()["version"] == 1


async def test_the_dual_prevention_facts_are_saved_from_the_form_and_shown_on_the_file(api: Api, admin: dict[str, str]) -> None:
    await api.user("deyang_trade", "department_admin", region_code="510600", industries=["industrial_trade"])
    trade = await sign_in(api.client, "deyang_trade")
    liaison = await api.user("insp_trade", "inspector", region_code="510681", industries=["industrial_trade"])
    elsewhere = await api.user("insp_chengdu", "inspector", region_code="510104", industries=["industrial_trade"])
    page = await trade.get("/enterprises/new")
    assert f'value="{liaison}"' in page.text and f'value="{elsewhere}"' not in page.text  # only inspectors who may follow it
    form = _form(industries=["industrial_trade"], sectors=["machinery", "textile"], production_kind="storage", safety_office="1",
                 safety_staff_full_time="2", safety_staff_part_time="3", liaison_user_id=liaison)
    done = await trade.post("/enterprises", form)
    assert done.status_code == 303, done.text[-2000:]
    enterprise_id = done.headers["location"].split("/")[2].split("?")[0]
    saved = (await api.client.get(f"/api/v1/enterprises/{enterprise_id}", headers=admin)).json()
    assert {k: saved[k] for k in ("sectors", "production_kind", "safety_office", "safety_staff_full_time", "safety_staff_part_time", "liaison_user_id")} == {
        "sectors": ["machinery", "textile"], "production_kind": "storage", "safety_office": True, "safety_staff_full_time": 2,
        "safety_staff_part_time": 3, "liaison_user_id": liaison,
    }
    shown = await trade.get(done.headers["location"])
    assert re.search(r'data-fact="safety_office">已设置<', shown.text) and "专职 2 人 · 兼职 3 人" in shown.text
    assert 'data-fact="sectors"' in shown.text and 'data-fact="liaison"' in shown.text
    edit = await trade.get(f"/enterprises/{enterprise_id}/edit")
    assert re.search(r'name="sectors" value="machinery" checked', edit.text) and '<option value="1" selected>已设置</option>' in edit.text
    assert f'<option value="{liaison}" selected>' in edit.text
    # cleared on the form: the facts become unknown again, and nothing else changes
    cleared = await trade.post(f"/enterprises/{enterprise_id}/edit", {**form, "uscc": saved["uscc"], "version": "1", "sectors": [], "safety_office": "",
                                                                      "safety_staff_part_time": "", "liaison_user_id": ""})
    assert cleared.status_code == 303, cleared.text[-2000:]
    after = (await api.client.get(f"/api/v1/enterprises/{enterprise_id}", headers=admin)).json()
    assert (after["sectors"], after["safety_office"], after["safety_staff_part_time"], after["liaison_user_id"], after["production_kind"]) == ([], None, None, None, "storage")


async def test_facts_the_service_refuses_are_shown_beside_their_fields(api: Api, admin: dict[str, str], dept: ConsoleUser) -> None:
    malformed = await dept.post("/enterprises", _form(safety_staff_full_time="三", safety_staff_part_time="-1", sectors=["mining"]))
    assert malformed.status_code == 400
    errors = dict(re.findall(r'data-error-field="(\w+)">([^<]+)<', malformed.text))
    assert errors["safety_staff_full_time"] == errors["safety_staff_part_time"] == "应为0到10000之间的整数"
    assert errors["sectors"].startswith("取值“mining”无效，可填：冶金、有色")
    not_trade = await dept.post("/enterprises", _form(sectors=["machinery"]))  # a 危化 firm has no 工贸 sector
    assert not_trade.status_code == 400 and 'data-error-field="sectors">行业类别（冶金、有色、建材等）仅适用于工贸企业' in not_trade.text
    evaluator = await api.user("eval_gh", "evaluator", region_code="510681")
    not_inspector = await dept.post("/enterprises", _form(liaison_user_id=evaluator))
    assert not_inspector.status_code == 400 and 'data-error-field="liaison_user_id">联络员：用户 eval_gh 不是检查人员' in not_inspector.text
    assert "未保存：请更正标出的字段（联络员）" in not_inspector.text
    assert await _count(api, admin) == 0


# ---- the bulk import ----

HEADER = ["企业名称", "统一社会信用代码", "行政区划代码", "行业", "规模", "地址"]


def xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _problems(html: str) -> list[tuple[int, str, str]]:
    rows = re.findall(r'<tr data-row="(\d+)" data-column="([^"]*)">.*?<td class="reason">([^<]+)</td>', html, re.S)
    return [(int(row), column, reason) for row, column, reason in rows]


def _jobs_dir(api: Api) -> Path:
    return Path(api.app.state.settings.data_dir) / "console-imports"


async def test_an_import_with_bad_rows_lists_every_one_and_writes_nothing(api: Api, admin: dict[str, str], dept: ConsoleUser) -> None:
    taken = await api.enterprise(admin, name="别处已有企业", region_code="510104", industries=["construction"], uscc=valid_uscc("510104"))
    same = valid_uscc()
    rows = [
        ["广汉市甲化工", valid_uscc(), "510681", "危险化学品", "小微型", "甲地"],                  # 2 fine
        ["乙化工", _bad_check(valid_uscc()), "510681", "危险化学品", "小微型", ""],               # 3 check character
        ["丙化工", valid_uscc(), "510681", "养殖", "小微型", ""],                                 # 4 industry
        [None, None, None, None, None, None],                                                      # 5 blank: skipped, numbering kept
        ["丁化工", same, "510681", "消防", "大中型", ""],                                          # 6 fine
        ["戊化工", same, "510681", "消防", "大中型", ""],                                          # 7 same USCC as row 6
        ["己建筑", valid_uscc("510104"), "510104", "建筑施工", "小微型", ""],                      # 8 outside the department
        ["庚化工", taken["uscc"], "510681", "危险化学品", "小微型", ""],                           # 9 USCC of a file it cannot see
        ["辛化工", valid_uscc(), "510681", "危险化学品", "特大型", ""],                            # 10 scale
    ]
    before = await _count(api, admin)
    response = await dept.post("/enterprises/import", files={"file": ("企业名单.xlsx", xlsx(rows))})
    assert response.status_code == 400
    problems = _problems(response.text)
    assert [(row, column) for row, column, _ in problems] == [
        (3, "统一社会信用代码"), (4, "行业"), (7, "统一社会信用代码"), (8, "—"), (9, "统一社会信用代码"), (10, "规模"),
    ]
    reasons = {row: reason for row, _, reason in problems}
    assert reasons[3].startswith("校验码错误") and "危险化学品" in reasons[4] and "与第 6 行重复" in reasons[7]
    assert "超出您的管辖范围" in reasons[8] and "已存在" in reasons[9] and "大中型" in reasons[10]
    assert "共 9 行" not in response.text and "共 8 行，其中 <strong>6</strong> 行有误" in response.text
    assert "未导入任何数据" in response.text
    assert await _count(api, admin) == before and not _jobs_dir(api).exists()


async def test_a_file_without_the_required_columns_or_rows_is_refused_beside_the_file_field(api: Api, dept: ConsoleUser) -> None:
    no_columns = await dept.post("/enterprises/import", files={"file": ("a.csv", "名称,地址\n甲,乙\n".encode())})
    assert no_columns.status_code == 400 and "缺少必填列：统一社会信用代码、行政区划代码、行业、规模" in no_columns.text
    empty = await dept.post("/enterprises/import", files={"file": ("a.xlsx", xlsx([]))})
    assert empty.status_code == 400 and "文件中没有数据行" in empty.text
    garbage = await dept.post("/enterprises/import", files={"file": ("a.xlsx", b"PK\x03\x04broken")})
    assert garbage.status_code == 400 and "无法读取XLSX文件" in garbage.text
    other = await dept.post("/enterprises/import", files={"file": ("a.txt", b"x")})
    assert other.status_code == 400 and "只能导入 .csv 或 .xlsx 文件" in other.text


async def test_a_clean_import_is_written_in_chunks_with_its_progress(api: Api, admin: dict[str, str], dept: ConsoleUser, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(enterprise_import_jobs, "CHUNK", 2)
    monkeypatch.setattr(enterprise_import, "CHUNK", 2)
    existing = await api.enterprise(admin, name="旧名称化工")
    rows = [[f"导入企业{i}", valid_uscc(), "510681", "危险化学品", "小微型", f"地址{i}"] for i in range(4)]
    rows.append(["新名称化工", existing["uscc"], "510681", "危险化学品;消防", "大中型", "新地址"])
    uploaded = await dept.post("/enterprises/import", files={"file": ("名单.xlsx", xlsx(rows))})
    assert uploaded.status_code == 303, uploaded.text[-2000:]
    job_url = uploaded.headers["location"]
    token = job_url.rsplit("/", 1)[1]
    confirm = await dept.get(job_url)
    assert "检查通过：共 5 行" in confirm.text and "将新建 <strong>4</strong>" in confirm.text and "将更新 <strong>1</strong>" in confirm.text
    assert await _count(api, admin) == 1  # nothing written before the confirmation
    assert len(list(_jobs_dir(api).glob(f"*/{token}/rows-*.json"))) == 3  # on disk, a file per chunk

    async def step(offset: int) -> str:
        answer = await dept.post(job_url, {"offset": str(offset)})
        assert answer.status_code == 303 and answer.headers["location"] == job_url
        return (await dept.get(job_url)).text

    page = await step(0)
    assert "<strong>2 / 5</strong> 行（40%）" in page and 'data-figure="created">2<' in page and 'name="offset" value="2"' in page
    assert 'hx-trigger="load"' in page and "继续导入" in page
    page = await step(0)  # a repeated request (back button, a second tab) writes nothing twice
    assert "<strong>2 / 5</strong>" in page and await _count(api, admin) == 3
    page = await step(2)
    page = await step(4)
    assert "<strong>5 / 5</strong> 行（100%）" in page and "导入完成" in page and 'hx-trigger="load"' not in page
    assert 'data-figure="created">4<' in page and 'data-figure="updated">1<' in page
    assert await _count(api, admin) == 5
    updated = (await api.client.get(f"/api/v1/enterprises/{existing['id']}", headers=admin)).json()
    assert updated["name"] == "新名称化工" and updated["industries"] == ["fire", "hazchem"] and updated["scale"] == "large_medium"
    assert await _audit(api, admin, "enterprise_created") == 5 and await _audit(api, admin, "enterprise_updated") == 1
    assert not list(_jobs_dir(api).glob(f"*/{token}/rows-*.json"))  # the rows are gone once written
    assert (await step(4)).count("导入完成") == 1 and await _count(api, admin) == 5  # nothing more to write
    # the job is its user's: another department admin's request finds nothing
    await api.user("deyang2", "department_admin", **DEPT)  # type: ignore[arg-type]
    other = await sign_in(api.client, "deyang2")
    assert (await other.get(job_url)).status_code == 404
    assert (await other.post(job_url, {"offset": "0"})).status_code == 404
    assert (await dept.get("/enterprises/import/not-a-token")).status_code == 404
    assert (await dept.get(f"/enterprises/import/{'../' * 3}x")).status_code == 404


async def test_jobs_untouched_for_a_day_are_swept(api: Api, dept: ConsoleUser) -> None:
    uploaded = await dept.post("/enterprises/import", files={"file": ("a.xlsx", xlsx([["甲", valid_uscc(), "510681", "消防", "小微型", ""]]))})
    token = uploaded.headers["location"].rsplit("/", 1)[1]
    data_dir = api.app.state.settings.data_dir
    enterprise_import_jobs.sweep(data_dir)
    assert list(_jobs_dir(api).glob(f"*/{token}"))
    enterprise_import_jobs.sweep(data_dir, now=__import__("time").time() + enterprise_import_jobs.KEEP_SECONDS + 60)
    assert not list(_jobs_dir(api).glob(f"*/{token}"))
    assert (await dept.get(uploaded.headers["location"])).status_code == 404


async def test_the_template_has_the_chinese_headers_and_imports_as_it_is_filled(api: Api, admin: dict[str, str], dept: ConsoleUser) -> None:
    from openpyxl import load_workbook

    response = await dept.get("/enterprises/import/template.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in book.worksheets[0][1]]
    assert header[:5] == ["企业名称", "统一社会信用代码", "行政区划代码", "网格编码", "行业"]
    book.worksheets[0].append(["模板企业", valid_uscc(), "510681", None, "消防", "小微型", "", "较大", "张三", "", "", "", 104.2, 30.9, "否", "是"])
    buffer = io.BytesIO()
    book.save(buffer)
    uploaded = await dept.post("/enterprises/import", files={"file": ("模板.xlsx", buffer.getvalue())})
    assert uploaded.status_code == 303, _problems(uploaded.text)


async def test_an_import_fills_the_dual_prevention_facts_and_lists_a_bad_row_by_column(api: Api, admin: dict[str, str]) -> None:
    await api.user("deyang_trade", "department_admin", region_code="510600", industries=["industrial_trade", "hazchem"])
    trade = await sign_in(api.client, "deyang_trade")
    header = [*HEADER, "行业类别", "生产仓储类别", "安全管理机构", "专职安全管理人员", "兼职安全管理人员"]
    good = [
        ["广汉市金轮机械", valid_uscc(), "510681", "工贸", "小微型", "", "机械、冶金", "生产类", "是", 2, 4],
        ["广汉市冷库食品", valid_uscc(), "510681", "工贸;消防", "大中型", "", "轻工", "仓储类", "否", "1", ""],
        ["广汉市化工", valid_uscc(), "510681", "危险化学品", "小微型", "", "", "其他", "", "", ""],
    ]
    bad = [
        ["坏类别", valid_uscc(), "510681", "工贸", "小微型", "", "钢铁", "", "", "", ""],              # 5 unknown sector
        ["危化有类别", valid_uscc(), "510681", "危险化学品", "小微型", "", "机械", "", "", "", ""],    # 6 sector without 工贸
        ["坏人数", valid_uscc(), "510681", "工贸", "小微型", "", "", "生产", "有", "两人", ""],          # 7 staff not a number
        ["坏机构", valid_uscc(), "510681", "工贸", "小微型", "", "", "", "不清楚", "", ""],             # 8 office neither yes nor no
        ["坏类型", valid_uscc(), "510681", "工贸", "小微型", "", "", "加工", "", "", "10001"],          # 9 kind, and too many staff
    ]
    refused = await trade.post("/enterprises/import", files={"file": ("双重预防.xlsx", xlsx(good + bad, header))})
    assert refused.status_code == 400
    problems = _problems(refused.text)
    assert [(row, column) for row, column, _ in problems] == [
        (5, "行业类别"), (6, "行业类别"), (7, "专职安全管理人员"), (8, "安全管理机构"), (9, "生产仓储类别"),
    ]
    reasons = {row: reason for row, _, reason in problems}
    assert "取值“钢铁”无效" in reasons[5] and "冶金" in reasons[5] and "仅适用于工贸企业" in reasons[6]
    assert reasons[7] == "应为0到10000之间的整数" and reasons[8] == "应填“是”或“否”" and "生产类" in reasons[9]
    uploaded = await trade.post("/enterprises/import", files={"file": ("双重预防.xlsx", xlsx(good, header))})
    assert uploaded.status_code == 303, _problems(uploaded.text)
    assert (await trade.post(uploaded.headers["location"], {"offset": "0"})).status_code == 303
    listing = (await api.client.get("/api/v1/enterprises", params={"page_size": 10}, headers=admin)).json()["items"]
    facts = {e["name"]: (e["sectors"], e["production_kind"], e["safety_office"], e["safety_staff_full_time"], e["safety_staff_part_time"]) for e in listing}
    assert facts == {
        "广汉市金轮机械": (["machinery", "metallurgy"], "production", True, 2, 4),
        "广汉市冷库食品": (["light_industry"], "storage", False, 1, None),
        "广汉市化工": ([], "other", None, None, None),
    }


# ---- self-inspections (企业自查) ----


async def _push_self_inspection(api: Api, username: str, enterprise_id: str, checklist_hash: str, checklist_id: str) -> dict[str, Any]:
    login = await api.client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4())})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    record = {
        "kind": "submission", "id": str(uuid.uuid4()), "enterprise_id": enterprise_id, "checklist_id": checklist_id, "checklist_version": "1.0.0",
        "checklist_hash": checklist_hash, "started_at": "2026-03-01T08:00:00+08:00", "finished_at": "2026-03-01T08:30:00+08:00",
        "answers": {"A-1": {"result": "fail", "note": "责任制未上墙"}},
    }
    response = await api.client.post("/api/v1/sync/push", json={"records": [record]}, headers=headers)
    result = response.json()["results"][0]
    assert result["status"] == "accepted", result
    return {**record, "hazard_ids": result.get("hazard_ids") or []}


async def test_an_enterprise_user_sees_its_self_inspections_and_not_anothers(api: Api, admin: dict[str, str]) -> None:
    published = await api.client.post("/api/v1/checklists", json=checklist_definition("self.hazchem", "hazchem"), headers=admin)
    checklist_hash = published.json()["content_hash"]
    mine = await api.enterprise(admin, name="自查甲化工")
    theirs = await api.enterprise(admin, name="自查乙化工")
    await api.user("ent_a", "enterprise_user", enterprise_id=mine["id"])
    await api.user("ent_b", "enterprise_user", enterprise_id=theirs["id"])
    own = await _push_self_inspection(api, "ent_a", mine["id"], checklist_hash, "self.hazchem")
    other = await _push_self_inspection(api, "ent_b", theirs["id"], checklist_hash, "self.hazchem")
    # an officer's submission is an inspection, not a self-inspection
    await api.user("insp", "inspector", region_code="510681", industries=["hazchem"])
    officers = await _push_self_inspection(api, "insp", mine["id"], checklist_hash, "self.hazchem")

    user = await sign_in(api.client, "ent_a")
    page = await user.get(f"/enterprises/{mine['id']}")
    assert page.status_code == 200 and "企业自查记录" in page.text
    listed = re.findall(r'data-self-inspection-id="([0-9a-f-]+)"', page.text)
    assert listed == [own["id"]] and other["id"] not in page.text and officers["id"] not in page.text
    assert own["hazard_ids"] and f'href="/hazards/{own["hazard_ids"][0]}"' in page.text
    detail = await user.get(f"/self-inspections/{own['id']}")
    assert detail.status_code == 200 and "责任制未上墙" in detail.text and "建立安全生产责任制" in detail.text
    assert f'data-hazard-id="{own["hazard_ids"][0]}"' in detail.text
    assert (await user.get(f"/self-inspections/{other['id']}")).status_code == 404
    assert (await user.get(f"/self-inspections/{officers['id']}")).status_code == 404  # an inspection: read it at /inspections
    assert (await user.get(f"/enterprises/{theirs['id']}")).status_code == 404
    # the office sees the self-inspections of the enterprises in its scope
    await api.user("deyang", "department_admin", **DEPT)  # type: ignore[arg-type]
    office = await sign_in(api.client, "deyang")
    assert own["id"] in (await office.get(f"/enterprises/{mine['id']}")).text
    assert (await office.get(f"/self-inspections/{own['id']}")).status_code == 200
    await api.user("coal", "department_admin", region_code="510600", industries=["coal"])
    stranger = await sign_in(api.client, "coal")
    assert (await stranger.get(f"/self-inspections/{own['id']}")).status_code == 404
