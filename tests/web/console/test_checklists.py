"""The console's 检查表 area (web/console/pages/checklists.py): the plugins and checklists a user may
see (what the API answers them), a version read as the tablet shows it, publishing from a YAML
file — every problem with its file, line and path, the line quoted, nothing published — the
difference between two versions, and retiring with a confirmation, each through the API's services."""

from __future__ import annotations

import re
from typing import Any

import yaml
from sqlmodel import col, select

from core.storage.audit_log import AuditEntry
from tests.conftest import Api
from tests.web.console.conftest import ConsoleUser, sign_in
from web.console.pages.checklists import quote

HAZCHEM_GENERAL = "hazchem.enterprise_general"


def definition(version: str = "1.0.0", *, checklist_id: str = "hazchem.storage", industry: str = "hazchem") -> dict[str, Any]:
    """A small valid checklist: two sections, four items of every answer kind."""
    return {
        "id": checklist_id, "version": version, "title": "危险化学品储存检查表", "industry": industry,
        "sources": [{"document": "危险化学品安全管理条例", "number": "国务院令第591号"}],
        "sections": [
            {"code": "CC", "title": "储存场所", "items": [
                {"code": "CC-1", "text": "专用仓库设置明显标志", "basis": [{"document": "危险化学品安全管理条例", "article": "第二十四条"}]},
                {"code": "CC-2", "text": "库房温度（℃）", "basis": [{"document": "GB 15603-2022"}],
                 "answer": {"kind": "number", "min": 0, "max": 30, "unit": "℃"}, "required": False},
            ]},
            {"code": "GL", "title": "管理制度", "items": [
                {"code": "GL-1", "text": "重大危险源未登记建档", "basis": [{"document": "危险化学品重大危险源监督管理暂行规定", "article": "第二十二条"}],
                 "major_hazard": True},
                {"code": "GL-2", "text": "出入库记录照片", "basis": [{"document": "危险化学品安全管理条例"}], "answer": {"kind": "photo"},
                 "rectification_days": 15, "guidance": "核对近三个月记录"},
            ]},
        ],
    }


def as_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


BROKEN = """id: hazchem.storage
version: "1.0.0"
title: 危险化学品储存检查表
industry: hazchem
sections:
  - code: CC
    title: 储存场所
    items:
      - code: CC-1
        text: 专用仓库设置明显标志
        basis: [{document: 危险化学品安全管理条例}]
        answer: {kind: choice}
      - code: CC-2
        txet: 库房温度
        basis: [{document: GB 15603-2022}]
"""


async def upload(user: ConsoleUser, name: str, content: str | bytes, **fields: Any) -> Any:
    """POST the publish form with a file, as a browser's multipart form."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return await user.post("/checklists/publish", fields, files={"file": (name, data, "application/yaml")})


async def api_versions(api: Api, headers: dict[str, str], checklist_id: str) -> list[dict[str, Any]]:
    listing = (await api.client.get("/api/v1/checklists", headers=headers)).json()
    return next((c["versions"] for c in listing if c["checklist_id"] == checklist_id), [])


async def users(api: Api) -> dict[str, ConsoleUser]:
    await api.user("root", "admin")
    await api.user("dept", "department_admin", region_code="510600", industries=["hazchem"])
    await api.user("dept_build", "department_admin", region_code="510600", industries=["construction"])
    await api.user("insp", "inspector", region_code="510681", industries=["hazchem"])
    return {name: await sign_in(api.client, name) for name in ("root", "dept", "dept_build", "insp")}


# --- the list ---------------------------------------------------------------------------------------


async def test_list_shows_the_plugin_report_and_the_users_checklists_as_the_api_answers(api: Api) -> None:
    people = await users(api)
    page = await people["root"].get("/checklists")
    assert page.status_code == 200
    plugins = (await api.client.get("/api/v1/plugins", headers=await api.login("root"))).json()
    for plugin in plugins:
        assert f'data-plugin="{plugin["name"]}"' in page.text
    assert "正常" in page.text and '<a class="aj-button primary" href="/checklists/publish">' in page.text
    dept = await people["dept"].get("/checklists")
    shown = set(re.findall(r'data-checklist="([^"]+)"', dept.text))
    api_ids = {c["checklist_id"] for c in (await api.client.get("/api/v1/checklists", headers=await api.login("dept"))).json()}
    assert shown == api_ids and HAZCHEM_GENERAL in shown and "construction.site_general" not in shown
    assert "construction.site_general" in set(re.findall(r'data-checklist="([^"]+)"', page.text))  # the admin sees every industry


async def test_list_shows_each_versions_item_count_status_and_publisher(api: Api) -> None:
    people = await users(api)
    await upload(people["dept"], "storage.yaml", as_yaml(definition()))
    page = await people["root"].get("/checklists?plugin=_api")
    assert re.findall(r'data-checklist="([^"]+)"', page.text) == ["hazchem.storage"]
    row = re.search(r'<tr data-version="1.0.0">(.*?)</tr>', page.text, re.S)
    assert row and '<td class="num">4</td>' in row.group(1) and "在用" in row.group(1) and "dept" in row.group(1)
    only_build = await people["root"].get("/checklists?industry=construction")
    assert set(re.findall(r'data-checklist="([^"]+)"', only_build.text)) == {"construction.site_general"}
    by_plugin = await people["root"].get("/checklists?plugin=hazchem")
    assert set(re.findall(r'data-checklist="([^"]+)"', by_plugin.text)) == {HAZCHEM_GENERAL}


async def test_a_filter_that_does_not_parse_is_shown_beside_the_form(api: Api) -> None:
    people = await users(api)
    page = await people["root"].get("/checklists?industry=mining")
    assert page.status_code == 400 and 'data-field="industry"' in page.text and "未知的行业" in page.text
    page = await people["root"].get("/checklists?plugin=nope")
    assert page.status_code == 400 and "未知的插件" in page.text


async def test_roles_without_plugin_read_get_the_403_page(api: Api) -> None:
    people = await users(api)
    page = await people["insp"].get("/checklists")
    assert page.status_code == 403 and "无权" in page.text


# --- one version ------------------------------------------------------------------------------------


async def test_a_version_reads_as_the_tablet_shows_it(api: Api) -> None:
    people = await users(api)
    await upload(people["root"], "storage.yaml", as_yaml(definition()))
    page = await people["insp"].get("/checklists/hazchem.storage/versions/1.0.0")  # inspectors read versions, as the API lets them
    assert page.status_code == 200
    text = page.text
    assert re.findall(r'data-section="([^"]+)"', text) == ["CC", "GL"]
    assert re.findall(r'data-item="([^"]+)"', text) == ["CC-1", "CC-2", "GL-1", "GL-2"]
    assert "判定（合格 / 不合格）" in text and "0 ～ 30 ℃" in text and "照片" in text
    assert text.count("必答") == 3 and "选答" in text
    assert "危险化学品安全管理条例 第二十四条" in text and "重大事故隐患" in text and "默认整改期限 15 天" in text
    assert "核对近三个月记录" in text and "国务院令第591号" in text
    content_hash = (await api.client.get("/api/v1/checklists/hazchem.storage/versions/1.0.0", headers=await api.login("insp"))).json()["content_hash"]
    assert content_hash in text
    assert "/retire" not in text and "发布新版本" not in text  # an inspector may not retire
    assert 'href="/checklists"' not in text  # nor open the list (plugin.read)


async def test_a_version_outside_the_users_industries_is_the_same_404_as_absent(api: Api) -> None:
    people = await users(api)
    outside = await people["dept"].get("/checklists/construction.site_general/versions/1.0.0")
    absent = await people["dept"].get("/checklists/construction.site_genera1/versions/1.0.0")
    assert outside.status_code == absent.status_code == 404
    assert "页面不存在或无权访问" in outside.text
    assert outside.text.replace("site_general", "site_genera1") == absent.text  # the same page, naming only what was asked for


# --- publishing -------------------------------------------------------------------------------------


async def test_a_file_with_errors_lists_file_line_and_path_quotes_the_line_and_publishes_nothing(api: Api) -> None:
    people = await users(api)
    page = await upload(people["dept"], "储存检查表.yaml", BROKEN)
    assert page.status_code == 400
    problems = re.findall(r'<li data-path="([^"]*)" data-line="(\d*)">', page.text)
    assert problems == [("sections[0].items[0].answer.kind", "12"), ("sections[0].items[1].txet", "14"), ("sections[0].items[1].text", "13")]
    assert "储存检查表.yaml:12" in page.text and "取值 &#39;choice&#39; 无效" in page.text and "未知字段 txet" in page.text
    hit = re.search(r'<span class="hit"><span class="ln">12</span>([^<]*)</span>', page.text)
    assert hit and hit.group(1).strip() == "answer: {kind: choice}"
    assert '<span class=""><span class="ln">10</span>' in page.text  # two lines of context before
    assert "专用仓库设置明显标志" in page.text.split('name="text"')[1]  # the box is refilled to fix in place
    assert await api_versions(api, await api.login("root"), "hazchem.storage") == []


async def test_a_fixed_file_publishes_and_lands_on_the_new_version_with_a_notice(api: Api) -> None:
    people = await users(api)
    assert (await upload(people["dept"], "storage.yaml", BROKEN)).status_code == 400
    response = await upload(people["dept"], "storage.yaml", as_yaml(definition()))
    assert response.status_code == 303 and response.headers["location"] == "/checklists/hazchem.storage/versions/1.0.0?done=published"
    page = await people["dept"].get(response.headers["location"])
    assert "已发布新版本" in page.text
    versions = await api_versions(api, await api.login("dept"), "hazchem.storage")
    assert [(v["version"], v["source"], v["active"]) for v in versions] == [("1.0.0", "api", True)]
    async with api.direct.db.read() as session:
        entries = (await session.exec(select(AuditEntry).where(col(AuditEntry.action) == "checklist.publish", col(AuditEntry.entity_id) == "hazchem.storage@1.0.0"))).all()
    assert len(entries) == 1


async def test_pasted_yaml_publishes_and_the_same_content_again_changes_nothing(api: Api) -> None:
    people = await users(api)
    first = await people["root"].post("/checklists/publish", {"text": as_yaml(definition())})
    assert first.status_code == 303
    again = await people["root"].post("/checklists/publish", {"text": as_yaml(definition())})
    assert again.status_code == 303 and again.headers["location"].endswith("?done=unchanged")
    assert "未做任何更改" in (await people["root"].get(again.headers["location"])).text


async def test_a_published_version_with_other_content_or_a_lower_version_is_refused_409_beside_the_form(api: Api) -> None:
    people = await users(api)
    await upload(people["root"], "storage.yaml", as_yaml(definition("1.1.0")))
    changed = definition("1.1.0")
    changed["title"] = "改过的标题"
    page = await upload(people["root"], "storage.yaml", as_yaml(changed))
    assert page.status_code == 409 and 'data-error-field="version"' in page.text and "已发布的版本不可修改" in page.text
    lower = await upload(people["root"], "storage.yaml", as_yaml(definition("1.0.5")))
    assert lower.status_code == 409 and "必须大于已发布的最新版本 1.1.0" in lower.text
    assert [v["title"] for v in await api_versions(api, await api.login("root"), "hazchem.storage")] == ["危险化学品储存检查表"]


async def test_a_department_may_not_publish_for_another_industry(api: Api) -> None:
    people = await users(api)
    page = await upload(people["dept"], "site.yaml", as_yaml(definition(checklist_id="construction.scaffold", industry="construction")))
    assert page.status_code == 403 and 'data-error-field="industry"' in page.text and "只能发布本行业" in page.text
    assert await api_versions(api, await api.login("root"), "construction.scaffold") == []


async def test_toml_files_are_read_and_other_file_types_refused(api: Api) -> None:
    people = await users(api)
    toml = 'id = "hazchem.toml_one"\nversion = "1.0.0"\ntitle = "TOML 检查表"\nindustry = "hazchem"\n\n[[sections]]\ncode = "A"\ntitle = "基础"\n\n' \
           '[[sections.items]]\ncode = "A-1"\ntext = "制度齐全"\nbasis = [{document = "安全生产法"}]\n'
    assert (await upload(people["root"], "one.toml", toml)).status_code == 303
    page = await upload(people["root"], "one.docx", b"PK\x03\x04")
    assert page.status_code == 400 and 'data-error-field="file"' in page.text and "不支持的文件类型" in page.text
    empty = await people["root"].post("/checklists/publish", {"text": "   "})
    assert empty.status_code == 400 and "请选择检查表文件" in empty.text
    broken = await upload(people["root"], "two.toml", "id = \n")
    assert broken.status_code == 400 and "TOML 语法错误" in broken.text and 'name="format" value="toml"' in broken.text


async def test_publishing_without_the_csrf_token_is_refused_and_nothing_is_published(api: Api) -> None:
    people = await users(api)
    refused = await people["root"].post("/checklists/publish", {"text": as_yaml(definition())}, token=None)
    assert refused.status_code == 403 and "CSRF" in refused.text
    assert await api_versions(api, await api.login("root"), "hazchem.storage") == []


async def test_roles_that_may_not_publish_get_403_for_the_form_and_the_post(api: Api) -> None:
    people = await users(api)
    assert (await people["insp"].get("/checklists/publish")).status_code == 403
    refused = await people["insp"].post("/checklists/publish", {"text": as_yaml(definition())})
    assert refused.status_code == 403
    assert await api_versions(api, await api.login("root"), "hazchem.storage") == []


def test_quote_marks_the_line_with_two_lines_either_side() -> None:
    text = "\n".join(f"line {n}" for n in range(1, 8))
    assert quote(text, 1).lines == [(1, "line 1", True), (2, "line 2", False), (3, "line 3", False)]  # type: ignore[union-attr]
    assert [n for n, _, _ in quote(text, 5).lines] == [3, 4, 5, 6, 7]  # type: ignore[union-attr]
    assert quote(text, None) is None and quote(text, 99) is None


# --- the difference ---------------------------------------------------------------------------------


async def test_the_diff_shows_items_added_removed_changed_and_moved(api: Api) -> None:
    people = await users(api)
    await upload(people["root"], "storage.yaml", as_yaml(definition("1.0.0")))
    newer = definition("1.1.0")
    cc = newer["sections"][0]["items"]
    cc[0]["text"] = "专用仓库设置明显的安全标志"
    cc[1]["answer"]["max"] = 25
    gl = newer["sections"][1]["items"]
    del gl[0]  # GL-1 removed: GL-2 becomes first of its section, yet keeps its order among the others (not moved)
    gl.append({"code": "GL-3", "text": "应急预案备案", "basis": [{"document": "生产安全事故应急预案管理办法"}]})
    await upload(people["root"], "storage.yaml", as_yaml(newer))
    page = await people["dept"].get("/checklists/hazchem.storage/diff")  # from the previous version to the newest by default
    assert page.status_code == 200
    statuses = dict(re.findall(r'data-item="([^"]+)" data-status="(\w+)"', page.text))
    assert statuses == {"CC-1": "changed", "CC-2": "changed", "GL-3": "added", "GL-1": "removed"}
    assert "专用仓库设置明显的安全标志" in page.text and '<tr data-field="answer.max"><th>上限</th>' in page.text
    assert "新增 1 项" in page.text and "删除 1 项" in page.text and "修改 2 项" in page.text
    third = definition("1.2.0")
    third["sections"][1]["items"].reverse()
    await upload(people["root"], "storage.yaml", as_yaml(third))
    moved = await people["root"].get("/checklists/hazchem.storage/diff?from=1.0.0&to=1.2.0")
    assert re.findall(r'data-item="([^"]+)" data-status="changed" data-moved="1"', moved.text) == ["GL-2"]


async def test_a_diff_of_an_unknown_version_is_400_beside_the_selectors_and_outside_the_industries_404(api: Api) -> None:
    people = await users(api)
    await upload(people["root"], "storage.yaml", as_yaml(definition()))
    page = await people["root"].get("/checklists/hazchem.storage/diff?from=9.9.9&to=1.0.0")
    assert page.status_code == 400 and 'data-field="from"' in page.text and "起始版本 9.9.9 不存在" in page.text
    outside = await people["dept_build"].get("/checklists/hazchem.storage/diff")
    assert outside.status_code == 404 and "页面不存在或无权访问" in outside.text


# --- retiring ---------------------------------------------------------------------------------------


async def test_retiring_needs_the_confirmation_then_retires_through_the_service(api: Api) -> None:
    people = await users(api)
    await upload(people["dept"], "storage.yaml", as_yaml(definition()))
    version = "/checklists/hazchem.storage/versions/1.0.0"
    assert "确认停用" in (await people["dept"].get(version)).text
    unconfirmed = await people["dept"].post(f"{version}/retire", {})
    assert unconfirmed.status_code == 400 and 'data-error-field="confirm"' in unconfirmed.text and "请勾选" in unconfirmed.text
    assert (await api_versions(api, await api.login("root"), "hazchem.storage"))[0]["active"] is True
    done = await people["dept"].post(f"{version}/retire", {"confirm": "yes"})
    assert done.status_code == 303 and done.headers["location"] == f"{version}?done=retired"
    page = await people["dept"].get(done.headers["location"])
    assert "已停用该版本" in page.text and 'data-state="retired"' in page.text and "确认停用" not in page.text
    assert (await api_versions(api, await api.login("root"), "hazchem.storage"))[0]["active"] is False
    again = await people["dept"].post(f"{version}/retire", {"confirm": "yes"})
    assert again.status_code == 303  # retiring twice is harmless, as in the API
    async with api.direct.db.read() as session:
        assert len((await session.exec(select(AuditEntry).where(col(AuditEntry.action) == "checklist.retire"))).all()) == 1


async def test_retiring_is_refused_as_the_api_refuses_it(api: Api) -> None:
    people = await users(api)
    await upload(people["root"], "storage.yaml", as_yaml(definition()))
    retire = "/checklists/hazchem.storage/versions/1.0.0/retire"
    assert (await people["insp"].post(retire, {"confirm": "yes"})).status_code == 403
    outside = await people["dept_build"].post(retire, {"confirm": "yes"})
    assert outside.status_code == 404 and "页面不存在或无权访问" in outside.text
    no_token = await people["root"].post(retire, {"confirm": "yes"}, token=None)
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    await api.user("dept_none", "department_admin", region_code="510600")  # a department with no industries listed
    none = await sign_in(api.client, "dept_none")
    refused = await none.post(retire, {"confirm": "yes"})
    assert refused.status_code == 403 and "只能发布本行业" in refused.text and 'data-error-field="industry"' in refused.text
    assert (await api_versions(api, await api.login("root"), "hazchem.storage"))[0]["active"] is True
