"""What the shipped checklists say, pinned where it once was wrong: the article cited, the scope of
a 重大隐患 item, the limit a measurement fails at, the document numbers of the sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklists.loading import load_checklist_file
from checklists.schema import Checklist, Item
from plugins.checklist_score import ChecklistScoreEvaluator, ChecklistScoreInput, ItemAnswer

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "plugins").glob("*/checklists/*.yaml"))


def shipped(industry: str) -> Checklist:
    (path,) = (ROOT / "plugins" / industry / "checklists").glob("*.yaml")
    return load_checklist_file(path)


def item(checklist: Checklist, code: str) -> Item:
    return next(i for i in checklist.items() if i.code == code)


def cited(entry: Item) -> list[str]:
    return [f"{b.document} {b.article}" for b in entry.basis]


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_every_source_names_its_document_number(path):
    checklist = load_checklist_file(path)
    assert checklist.sources
    assert [s.document for s in checklist.sources if not s.number.strip()] == []


def test_changed_builtin_checklists_carry_a_new_version():
    # A version is immutable once published: changed content needs a new version number.
    for industry in ("coal", "hazchem", "construction", "fire", "road_transport"):
        assert shipped(industry).version != "1.0.0", industry


def test_road_sources_carry_their_document_numbers():
    numbers = {s.document: s.number for s in shipped("road_transport").sources}
    assert numbers["道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）"] == "交运规〔2023〕2号"
    assert numbers["中华人民共和国道路运输条例"].startswith("国务院令第406号")
    assert numbers["道路危险货物运输管理规定"] == "交通运输部令2013年第2号"


def test_fire_direct_judgement_items_are_limited_to_the_places_gb_35181_names():
    fire = shipped("fire")
    for code, system, composite in (("E01", "火灾自动报警系统", "E07"), ("F01", "自动喷水灭火系统", "F13")):
        direct = item(fire, code)
        assert direct.major_hazard
        assert direct.text.startswith("旅馆、公共娱乐场所、商店、地下人员密集场所") and system in direct.text
        assert "能正常运行" not in direct.text, "a system that does not work is a composite element, not a direct one"
        assert direct.answer.allow_na
        assert "重大火灾隐患判定规则 GB 35181-2025 第5章 直接判定要素" in cited(direct)
        other = item(fire, composite)
        assert not other.major_hazard
        assert system in other.text and "正常运行" in other.text
        assert "重大火灾隐患判定规则 GB 35181-2025 第6章 综合判定要素" in cited(other)


def test_fire_list_cites_the_general_codes_that_replaced_gb_50016():
    fire = shipped("fire")
    bases = [b for i in fire.items() for b in i.basis]
    assert not [b for b in bases if "GB 50016" in b.document]
    assert {"GB 55037-2022", "GB 55036-2022"} <= {s.number for s in fire.sources}
    assert "建筑防火通用规范 GB 55037-2022 第7章 安全疏散与避难设施" in cited(item(fire, "C03"))
    assert "消防设施通用规范 GB 55036-2022 第10章 灭火器" in cited(item(fire, "G01"))


def test_hazchem_c02_cites_the_registration_and_filing_articles_of_order_40():
    c02 = item(shipped("hazchem"), "C02")
    order_40 = [b.article for b in c02.basis if b.document == "危险化学品重大危险源监督管理暂行规定"]
    assert order_40 == ["第二十条、第二十一条"]


def test_construction_e04_checks_safety_devices_as_the_standard_says():
    e04 = item(shipped("construction"), "E04")
    assert "连接件及安全装置进行检查" in e04.text
    assert "安装质量" not in e04.text


@pytest.mark.parametrize(("celsius", "outcome"), [(26, "pass"), (28.5, "pass"), (30, "pass"), (30.5, "fail")])
def test_coal_d14_fails_only_where_work_must_stop(celsius, outcome):
    coal = shipped("coal")
    answers = {i.code: ItemAnswer(status="na") for i in coal.items() if i.answer.allow_na and i.answer.kind != "number"}
    answers.update({i.code: ItemAnswer(status="pass") for i in coal.items() if not i.answer.allow_na})
    for number in (i for i in coal.items() if i.answer.kind == "number"):
        answers[number.code] = ItemAnswer(status="na")
    answers["D14"] = ItemAnswer(value=celsius)
    result = ChecklistScoreEvaluator().evaluate(ChecklistScoreInput(checklist=coal, answers=answers))
    assert result.details["outcomes"]["D14"] == outcome
    d15 = item(coal, "D15")
    assert "超过26℃" in d15.text and d15.answer.allow_na and not d15.major_hazard
