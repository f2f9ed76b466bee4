"""The difference between two checklist versions (checklists/diff.py): items and sections added,
removed, changed field by field, and moved — without marking the neighbours of a moved item."""

from __future__ import annotations

import copy
from typing import Any

from checklists.diff import FieldChange, diff_checklists
from checklists.loading import checklist_from_data
from checklists.schema import Checklist


def parsed(data: dict[str, Any]) -> Checklist:
    return checklist_from_data(data, source="test")


def bumped(definition: dict[str, Any], version: str = "1.1.0") -> dict[str, Any]:
    changed = copy.deepcopy(definition)
    changed["version"] = version
    return changed


def test_identical_content_has_no_difference(definition: dict[str, Any]) -> None:
    result = diff_checklists(parsed(definition), parsed(bumped(definition)))
    assert result.empty and (result.before, result.after) == ("1.0.0", "1.1.0")


def test_added_and_removed_items_are_named_with_their_section_and_place(definition: dict[str, Any]) -> None:
    new = bumped(definition)
    new["sections"][1]["items"].append({"code": "JC-2", "text": "传感器定期标校", "basis": [{"document": "煤矿安全规程"}]})
    del new["sections"][0]["items"][1]
    new["total_points"], new["sections"][0]["points"] = 8, 4
    result = diff_checklists(parsed(definition), parsed(new))
    by_code = {item.code: item for item in result.items}
    assert by_code["JC-2"].status == "added" and (by_code["JC-2"].section_after, by_code["JC-2"].position_after) == ("JC", 2)
    assert by_code["TF-2"].status == "removed" and (by_code["TF-2"].section_before, by_code["TF-2"].position_before) == ("TF", 2)
    assert by_code["TF-2"].text == "回风巷甲烷浓度（%）"
    assert "JC-1" not in by_code and "TF-1" not in by_code  # untouched neighbours are not listed
    assert (result.count("added"), result.count("removed"), result.count("changed")) == (1, 1, 0)
    assert FieldChange(field="total_points", before="10", after="8") in result.header
    sections = {s.code: s for s in result.sections}
    assert sections["TF"].fields == [FieldChange(field="points", before="6", after="4")] and not sections["TF"].moved


def test_each_changed_field_is_listed_with_before_and_after(definition: dict[str, Any]) -> None:
    new = bumped(definition)
    item = new["sections"][0]["items"][0]
    item.update(text="矿井有独立通风系统", required=False, major_hazard=True, rectification_days=7,
                basis=[{"document": "煤矿安全规程", "article": "第一百四十四条"}])
    item["answer"] = {"kind": "photo"}
    measured = new["sections"][0]["items"][1]
    measured["answer"] = {"kind": "number", "min": 0, "max": 0.8, "unit": "%"}
    result = diff_checklists(parsed(definition), parsed(new))
    by_code = {entry.code: entry for entry in result.items}
    fields = {change.field: (change.before, change.after) for change in by_code["TF-1"].fields}
    assert fields == {
        "text": ("矿井有完整独立的通风系统", "矿井有独立通风系统"),
        "answer.kind": ("pass_fail", "photo"),
        "required": ("是", "否"),
        "basis": ("煤矿安全规程 第一百四十三条", "煤矿安全规程 第一百四十四条"),
        "major_hazard": ("否", "是"),
        "rectification_days": ("30", "7"),
    }
    assert by_code["TF-1"].status == "changed" and not by_code["TF-1"].moved
    assert [(c.field, c.before, c.after) for c in by_code["TF-2"].fields] == [("answer.max", "1", "0.8")]


def test_moving_one_item_marks_only_that_item(definition: dict[str, Any]) -> None:
    data = copy.deepcopy(definition)
    data["sections"][0]["items"] += [
        {"code": f"TF-{n}", "text": f"通风检查项{n}", "basis": [{"document": "煤矿安全规程"}]} for n in (3, 4, 5)
    ]
    new = bumped(data)
    items = new["sections"][0]["items"]
    items.insert(0, items.pop(3))  # TF-4 to the top: TF-1, TF-2, TF-3, TF-5 keep their order
    result = diff_checklists(parsed(data), parsed(new))
    assert [(i.code, i.moved, i.position_before, i.position_after, i.fields) for i in result.items] == [("TF-4", True, 4, 1, [])]


def test_an_item_moved_to_another_section_is_moved_even_in_the_same_overall_order(definition: dict[str, Any]) -> None:
    new = bumped(definition)
    last = new["sections"][0]["items"].pop()  # TF-2: last of the first section ...
    new["sections"][1]["items"].insert(0, last)  # ... becomes first of the second
    new["sections"][0]["points"], new["sections"][1]["points"] = 4, 6
    result = diff_checklists(parsed(definition), parsed(new))
    moved = {i.code: i for i in result.items}
    assert list(moved) == ["TF-2"]
    assert (moved["TF-2"].section_before, moved["TF-2"].section_after, moved["TF-2"].moved) == ("TF", "JC", True)


def test_sections_added_removed_and_reordered(definition: dict[str, Any]) -> None:
    new = bumped(definition)
    new["sections"].reverse()
    new["sections"][0]["title"] = "安全监控"
    new["sections"].append({"code": "FC", "title": "防尘", "items": [{"code": "FC-1", "text": "综合防尘", "basis": [{"document": "煤矿安全规程"}]}]})
    result = diff_checklists(parsed(definition), parsed(new))
    sections = {s.code: s for s in result.sections}
    assert sections["FC"].status == "added" and sections["FC"].position_after == 3
    # one of the two swapped sections is marked moved, not both
    assert sum(s.moved for s in result.sections) == 1
    assert sections["JC"].fields == [FieldChange(field="title", before="监测监控", after="安全监控")]
    removed = diff_checklists(parsed(new), parsed(bumped(definition, "1.2.0")))
    assert {s.code: s.status for s in removed.sections}["FC"] == "removed"
    assert {i.code: i.status for i in removed.items}["FC-1"] == "removed"


def test_header_fields_are_compared(definition: dict[str, Any]) -> None:
    new = bumped(definition)
    new.update(title="煤矿通风与监控检查表", general=True, applies_to={"scales": ["large_medium"]},
               sources=[{"document": "煤矿安全规程", "number": "应急管理部令第8号"}])
    result = diff_checklists(parsed(definition), parsed(new))
    assert {change.field for change in result.header} == {"title", "general", "applies_to.scales", "sources"}
    assert FieldChange(field="sources", before="", after="煤矿安全规程 应急管理部令第8号") in result.header
