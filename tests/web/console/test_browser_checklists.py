"""检查表 in a real browser (Chromium): the 广汉市 department of 危化 opens 检查表, reads the 危化 plugin's
published checklist as an inspector's tablet shows it, uploads a new version of its own storage
checklist (made from the plugin's file) that has two mistakes — each shown with file, line and path,
nothing published — fixes the file, publishes it, reads the difference from the old version and
retires the old one. Screenshots at 1280×800 and 800×1280 (tests/web/screenshots/console/, copied to
docs/console/checklists-*.png)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.web.conftest import new_context
from tests.web.console.conftest import DESKTOP, ROOT, ConsoleServer, ConsoleShots
from tests.web.console.test_console_browser import _errors, _sign_in

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'").expect

PLUGIN_FILE = ROOT / "plugins" / "hazchem" / "checklists" / "hazchem_enterprise_general.yaml"
CHECKLIST_ID = "guanghan.hazchem_storage"
FILE_NAME = "guanghan_storage.yaml"
NEW_ITEM = """      - code: F05
        text: 危险化学品仓库是否设置视频监控，监控画面是否覆盖库区出入口、装卸区和库房内部，录像是否保存不少于90天并接入企业安全风险监测预警系统
        basis:
          - {document: 危险化学品安全管理条例, article: 第二十四条}
        answer: {kind: choice}
        rectification_day: 7
"""


def _storage_checklist() -> str:
    """Version 1.0.0 of the department's own checklist: the plugin file's header with its sections
    C (重大危险源管理) and F (储存与出入库管理), under an id of the department's."""
    lines = PLUGIN_FILE.read_text("utf-8").splitlines()
    start = lines.index("id: hazchem.enterprise_general")
    header = lines[start:lines.index("sections:")]
    c, d, f, g = (lines.index(f"  - code: {code}") for code in "CDFG")
    text = "\n".join([*header, "sections:", *lines[c:d], *lines[f:g]]) + "\n"
    for old, new in (("id: hazchem.enterprise_general", f"id: {CHECKLIST_ID}"), ("version: 1.1.0", "version: 1.0.0"),
                     ("title: 危险化学品企业安全检查表（通用）", "title: 广汉市危险化学品储存专项检查表"), ("total_points: 362", "total_points: 41")):
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _next_version(old: str) -> str:
    """1.1.0 as first uploaded: 监测数据 kept 90 days instead of 30, and a new item F05 with two mistakes
    (an answer kind that does not exist, a misspelt field)."""
    text = old.replace("version: 1.0.0", "version: 1.1.0", 1)
    text = text.replace("answer: {kind: number, min: 30, unit: 天}", "answer: {kind: number, min: 90, unit: 天}", 1)
    text = text.replace("记录保存天数，不少于30天。", "记录保存天数，不少于90天。", 1)
    return text + NEW_ITEM


def _line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def _department(server: ConsoleServer) -> None:
    """The department admin of 广汉市 × 危化, who published version 1.0.0 through the API last year."""
    with server.api("root") as api:
        made = api.post("/api/v1/users", json={"username": "dept", "password": PASSWORD, "role": "department_admin", "display_name": "广汉市应急管理局",
                                               "region_code": "510681", "industries": ["hazchem"]})
        assert made.status_code == 201, made.text
    with server.api("dept") as api:
        published = api.post("/api/v1/checklists", content=_storage_checklist().encode("utf-8"), headers={"Content-Type": "application/yaml"})
        assert published.status_code == 201, published.text


def _top(page: Any) -> None:
    """Back to the top before a full-page screenshot (the sticky header is drawn where the page was scrolled)."""
    page.evaluate("window.scrollTo(0, 0)")


def test_a_department_fixes_a_refused_checklist_publishes_it_compares_and_retires_the_old(  # type: ignore[no-untyped-def]
        browser, console_server: ConsoleServer, console_shots: ConsoleShots, tmp_path: Path) -> None:
    _department(console_server)
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    errors = _errors(page)
    _sign_in(page, console_server, "dept")

    # 检查表: the plugins, and the checklists of 危化 — the plugin's and the department's own
    page.click("nav.aj-nav >> text=检查表")
    page.wait_for_url("**/checklists")
    expect(page.locator("tr[data-plugin=hazchem] .aj-badge")).to_have_text("正常")
    assert set(page.locator("section.cl-group").evaluate_all("els => els.map(e => e.dataset.checklist)")) == {"hazchem.enterprise_general", CHECKLIST_ID}
    console_shots(page, "list", full_page=True)

    # the plugin's version as the tablet shows it: sections, items in order, answers, 依据, hazard level, hash
    page.click("section[data-checklist='hazchem.enterprise_general'] tr[data-version] a")
    page.wait_for_url("**/checklists/hazchem.enterprise_general/versions/1.1.0")
    with console_server.api("dept") as api:
        plugin_version = api.get("/api/v1/checklists/hazchem.enterprise_general/versions/1.1.0")
    assert plugin_version.status_code == 200, plugin_version.text
    assert plugin_version.json()["content_hash"] in page.inner_text(".cl-hash")
    assert page.locator("section.cl-section").count() == 7
    first = page.locator("li.cl-item[data-item=A01]")
    expect(first.locator(".cl-text")).to_have_text("危险化学品生产、经营单位主要负责人和安全生产管理人员是否依法经考核合格")
    expect(first.locator(".cl-hazard")).to_contain_text("重大事故隐患")
    expect(page.locator("li.cl-item[data-item=C04] .cl-answer")).to_contain_text("30 ～ +∞ 天")
    page.evaluate("window.scrollTo(0, document.querySelector('section[data-section=A]').getBoundingClientRect().top + window.scrollY - 70)")
    console_shots(page, "version")

    # 发布新版本: the file with two mistakes is refused, each mistake with its file, line and path
    page.goto(f"{console_server.base}/checklists")
    page.click("text=发布新版本")
    page.wait_for_url("**/checklists/publish")
    broken = _next_version(_storage_checklist())
    upload = tmp_path / FILE_NAME
    upload.write_text(broken, "utf-8")
    page.set_input_files("#file", str(upload))
    page.click("button:has-text('校验并发布')")
    problems = page.locator(".cl-problems")
    expect(problems.locator("h2")).to_have_text(f"未发布：{FILE_NAME} 有 2 个问题")
    kind_line, typo_line = _line_of(broken, "kind: choice"), _line_of(broken, "rectification_day:")
    for path, line, said in (("sections[1].items[4].answer.kind", kind_line, "取值 'choice' 无效"),
                             ("sections[1].items[4].rectification_day", typo_line, "未知字段 rectification_day")):
        problem = problems.locator(f"li[data-path='{path}']")
        expect(problem.locator(".cl-where")).to_contain_text(f"{FILE_NAME}:{line}")
        expect(problem.locator(".cl-path")).to_have_text(path)
        expect(problem.locator(".cl-message")).to_contain_text(said)
        expect(problem.locator(".cl-quote .hit")).to_contain_text(broken.splitlines()[line - 1].strip())
    with console_server.api("dept") as api:
        versions = [v["version"] for c in api.get("/api/v1/checklists").json() if c["checklist_id"] == CHECKLIST_ID for v in c["versions"]]
    assert versions == ["1.0.0"]  # nothing was published
    _top(page)
    console_shots(page, "publish-refused", full_page=True)
    assert errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"], errors  # the refused form, and nothing else
    errors.clear()

    # the file fixed and uploaded again: published, the tablet gets it at its next sync
    upload.write_text(broken.replace("answer: {kind: choice}", "answer: {kind: photo}").replace("rectification_day: 7", "rectification_days: 7"), "utf-8")
    page.set_input_files("#file", str(upload))
    page.click("button:has-text('校验并发布')")
    page.wait_for_url(f"**/checklists/{CHECKLIST_ID}/versions/1.1.0?done=published")
    expect(page.locator("h1 [data-state=active]")).to_have_text("在用")
    expect(page.locator("li.cl-item[data-item=F05] .cl-answer")).to_contain_text("照片")
    assert "已发布新版本" in page.inner_text("main")

    # the difference from 1.0.0: C04 changed (30 → 90 天), F05 added, nothing removed
    page.select_option("#compare-from", "1.0.0")
    page.click("button:has-text('与该版本比较')")
    page.wait_for_url(re.compile(rf".*/checklists/{re.escape(CHECKLIST_ID)}/diff\?.*from=1\.0\.0"))
    summary = page.locator(".cl-summary")
    for said in ("新增 1 项", "删除 0 项", "修改 1 项"):
        expect(summary).to_contain_text(said)
    changed = page.locator("li[data-item=C04]")
    assert changed.get_attribute("data-status") == "changed"
    expect(changed.locator("tr[data-field='answer.min'] td.before")).to_have_text("30")
    expect(changed.locator("tr[data-field='answer.min'] td.after")).to_have_text("90")
    expect(changed.locator("tr[data-field=guidance] td.after")).to_contain_text("不少于90天")
    added = page.locator("li[data-item=F05]")
    assert added.get_attribute("data-status") == "added"
    expect(added).to_contain_text("录像是否保存不少于90天")
    assert page.locator("li[data-status=removed]").count() == 0
    _top(page)
    console_shots(page, "diff", full_page=True)

    # retiring 1.0.0, after ticking the confirmation
    page.click("a:has-text('1.0.0')")
    page.wait_for_url(f"**/checklists/{CHECKLIST_ID}/versions/1.0.0")
    page.click("#retire summary")
    page.check("input[name=confirm]")
    page.click("button:has-text('确认停用')")
    page.wait_for_url(f"**/checklists/{CHECKLIST_ID}/versions/1.0.0?done=retired")
    expect(page.locator("h1 [data-state=retired]")).to_have_text("已停用")
    expect(page.locator(".aj-facts")).to_contain_text("广汉市应急管理局")  # who retired it
    page.goto(f"{console_server.base}/checklists?plugin=_api")
    group = page.locator(f"section[data-checklist='{CHECKLIST_ID}']")
    expect(group.locator("tr[data-version='1.0.0']")).to_contain_text("已停用")
    expect(group.locator("tr[data-version='1.1.0']")).to_contain_text("在用")
    console_shots(page, "retired", full_page=True)
    assert not errors, errors
    context.close()
