"""The loader accepts YAML, TOML and JSON and names file, path and line for every problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checklists.canonical import content_hash
from checklists.errors import ChecklistError
from checklists.loading import load_checklist_file, parse_checklist


def problems_of(path: Path) -> list:
    with pytest.raises(ChecklistError) as caught:
        load_checklist_file(path)
    return caught.value.problems


def test_valid_yaml_loads(definition, write_yaml):
    checklist = load_checklist_file(write_yaml(definition))
    assert checklist.id == "coal.ventilation"
    assert [item.code for item in checklist.items()] == ["TF-1", "TF-2", "JC-1"]


def test_same_definition_in_yaml_toml_json_has_one_hash(definition, write_yaml, tmp_path):
    toml_text = """
id = "coal.ventilation"
version = "1.0.0"
title = "煤矿通风检查表"
industry = "coal"
total_points = 10

[[sections]]
code = "TF"
title = "通风管理"
points = 6

[[sections.items]]
code = "TF-1"
text = "矿井有完整独立的通风系统"
basis = [{ document = "煤矿安全规程", article = "第一百四十三条" }]
points = 4

[[sections.items]]
code = "TF-2"
text = "回风巷甲烷浓度（%）"
basis = [{ document = "煤矿重大事故隐患判定标准" }]
answer = { kind = "number", min = 0, max = 1.0, unit = "%" }
points = 2

[[sections]]
code = "JC"
title = "监测监控"
points = 4

[[sections.items]]
code = "JC-1"
text = "安全监控系统运行正常"
basis = [{ document = "煤矿安全规程" }]
points = 4
"""
    toml_path = tmp_path / "c.toml"
    toml_path.write_text(toml_text, encoding="utf-8")
    json_path = tmp_path / "c.json"
    json_path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    hashes = {content_hash(load_checklist_file(p)) for p in (write_yaml(definition), toml_path, json_path)}
    assert len(hashes) == 1


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (lambda d: d["sections"][1]["items"][0].update(code="bad code!"), "sections[1].items[0].code", "格式不正确"),
        (lambda d: d["sections"][0]["items"][1].pop("text"), "sections[0].items[1].text", "缺少必填字段"),
        (lambda d: d["sections"][0]["items"][0].update(txet="x"), "sections[0].items[0].txet", "未知字段"),
        (lambda d: d["sections"][0]["items"][0].update(answer={"kind": "yes_no"}), "sections[0].items[0].answer.kind", "pass_fail"),
        (lambda d: d["sections"][0]["items"][0].update(text=""), "sections[0].items[0].text", "不能为空"),
        (lambda d: d.update(industry="mining"), "industry", "non_coal_mine"),
        (lambda d: d.update(version="1.0"), "version", "1.0.0"),
        (lambda d: d["sections"][0]["items"][0].update(points=-1), "sections[0].items[0].points", "不小于 0"),
        (lambda d: d["sections"][0]["items"][0].update(rectification_days="soon"), "sections[0].items[0].rectification_days", "整数"),
        (lambda d: d["sections"][0]["items"][0]["basis"][0].pop("document"), "sections[0].items[0].basis[0].document", "缺少必填字段"),
    ],
)
def test_structural_problem_names_file_path_and_line(definition, write_yaml, mutate, path, fragment):
    mutate(definition)
    file = write_yaml(definition)
    problems = problems_of(file)
    assert [p.path for p in problems] == [path]
    problem = problems[0]
    assert problem.file == str(file)
    assert fragment in problem.message_zh or fragment in problem.message
    assert problem.message and problem.message_zh
    assert problem.line is not None and problem.line > 1
    assert str(file) in str(problem) and path in str(problem)


def test_every_structural_problem_is_reported_at_once(definition, write_yaml):
    definition["sections"][0]["items"][0]["text"] = ""
    definition["sections"][1]["items"][0]["answer"] = {"kind": "slider"}
    definition["sections"][1]["colour"] = "red"
    problems = problems_of(write_yaml(definition))
    assert {p.path for p in problems} == {
        "sections[0].items[0].text",
        "sections[1].items[0].answer.kind",
        "sections[1].colour",
    }


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (lambda d: d["sections"][1]["items"][0].update(code="TF-1"), "sections[1].items[0].code", "sections[0].items[0].code"),
        (lambda d: d["sections"][1].update(code="TF"), "sections[1].code", "重复"),
        (lambda d: d["sections"][0]["items"][0].update(text="   "), "sections[0].items[0].text", "空白"),
        (lambda d: d["sections"][0].update(title=" \t"), "sections[0].title", "空白"),
        (lambda d: d["sections"][0]["items"][1]["answer"].update(min=5, max=1), "sections[0].items[1].answer.min", "大于上限"),
        (lambda d: d["sections"][0]["items"][0].update(answer={"kind": "pass_fail", "max": 3}), "sections[0].items[0].answer.max", "number"),
        (lambda d: d["sections"][0].update(points=7), "sections[0].points", "不一致"),
        (lambda d: d.update(total_points=11), "total_points", "不一致"),
        (lambda d: d["sections"][0]["items"][0].update(basis=[]), "sections[0].items[0].basis", "依据"),
        (lambda d: d["sections"][1].update(items=[]), "sections[1].items", "至少"),
        (lambda d: d.update(applies_to={"scales": ["small_micro", "small_micro"]}), "applies_to.scales[1]", "重复"),
    ],
)
def test_semantic_problem_names_file_and_path(definition, write_yaml, mutate, path, fragment):
    mutate(definition)
    file = write_yaml(definition)
    problems = [p for p in problems_of(file) if p.path == path]
    assert problems, f"no problem reported at {path}"
    assert problems[0].file == str(file)
    assert fragment in problems[0].message_zh or fragment in problems[0].message
    assert problems[0].line is not None


def test_all_semantic_problems_are_reported_together(definition, write_yaml):
    definition["sections"][1]["items"][0]["code"] = "TF-1"
    definition["total_points"] = 99
    problems = problems_of(write_yaml(definition))
    assert [p.path for p in problems] == ["sections[1].items[0].code", "total_points"]


def test_points_may_be_left_out(definition, write_yaml):
    del definition["total_points"]
    for section in definition["sections"]:
        del section["points"]
    assert load_checklist_file(write_yaml(definition)).total_points is None


def test_yaml_syntax_error_names_line(write_yaml):
    problems = problems_of(write_yaml("id: a.b\nversion: '1.0.0'\nsections: [\n  {code: x\n"))
    assert len(problems) == 1
    assert problems[0].path == ""
    assert "YAML" in problems[0].message_zh
    assert problems[0].line is not None


def test_yaml_duplicate_key_is_refused(definition, write_yaml):
    text = write_yaml(definition).read_text(encoding="utf-8") + "title: 另一个标题\n"
    problems = problems_of(write_yaml(text))
    assert "duplicate key 'title'" in problems[0].message
    assert problems[0].line == text.count("\n")


def test_yaml_dates_stay_text(definition, write_yaml):
    definition["sources"] = [{"document": "煤矿安全规程", "effective": "2022-04-01"}]
    text = write_yaml(definition).read_text(encoding="utf-8").replace("'2022-04-01'", "2022-04-01")
    assert "effective: 2022-04-01" in text
    assert load_checklist_file(write_yaml(text)).sources[0].effective == "2022-04-01"


def test_unquoted_short_version_is_explained(definition, write_yaml):
    text = write_yaml(definition).read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.0")
    problem = problems_of(write_yaml(text))[0]
    assert problem.path == "version"
    assert "float" in problem.message


def test_toml_syntax_error_names_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('id = "a.b"\nversion = \n', encoding="utf-8")
    problem = problems_of(path)[0]
    assert problem.file == str(path)
    assert problem.line == 2
    assert "TOML" in problem.message_zh


def test_toml_date_literal_becomes_text(tmp_path, definition):
    import tomllib  # noqa: F401 - documents the format under test

    path = tmp_path / "c.toml"
    path.write_text(
        'id = "coal.x"\nversion = "1.0.0"\ntitle = "t"\nindustry = "coal"\n'
        '[[sources]]\ndocument = "煤矿安全规程"\neffective = 2022-04-01\n'
        '[[sections]]\ncode = "A"\ntitle = "A"\n'
        '[[sections.items]]\ncode = "A1"\ntext = "x"\nbasis = [{ document = "d" }]\n',
        encoding="utf-8",
    )
    assert load_checklist_file(path).sources[0].effective == "2022-04-01"


def test_json_syntax_error_names_line():
    with pytest.raises(ChecklistError) as caught:
        parse_checklist(b'{\n  "id": "a.b",\n  "version": \n}', "json", source="request body")
    problem = caught.value.problems[0]
    assert problem.file == "request body"
    assert problem.line == 4


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("", "empty"), ("- a\n- b\n", "list"), ("just text\n", "text")],
)
def test_definition_must_be_a_mapping(write_yaml, content, fragment):
    problem = problems_of(write_yaml(content))[0]
    assert problem.path == ""
    assert fragment in problem.message


def test_unsupported_suffix_and_missing_file(tmp_path):
    txt = tmp_path / "c.txt"
    txt.write_text("id: a.b", encoding="utf-8")
    assert "unsupported" in problems_of(txt)[0].message
    assert "cannot read" in problems_of(tmp_path / "absent.yaml")[0].message


def test_non_utf8_content_is_refused():
    with pytest.raises(ChecklistError) as caught:
        parse_checklist("id: 煤矿".encode("gbk"), "yaml", source="upload.yaml")
    assert "UTF-8" in caught.value.message_zh


def test_error_exposes_first_problem(definition, write_yaml):
    definition["industry"] = "mining"
    file = write_yaml(definition)
    with pytest.raises(ChecklistError) as caught:
        load_checklist_file(file)
    assert (caught.value.file, caught.value.path) == (str(file), "industry")
