"""Document types are data: the built-in YAML files, and plugins' types through
``anjian_document_types``, each checked whole; a broken plugin type is reported and the server starts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml

from core.access.scope import Principal
from plugins.documents import fact_names
from plugins.documents.catalogue import builtin_types, collect_document_types
from plugins.documents.facts import gather
from plugins.documents.requirements import fact_value, present
from plugins.documents.type_loading import DocumentTypeError, type_from_data
from plugins.documents.wire import DocumentIn
from plugins.hookspecs import hookimpl
from plugins.registry import PluginError, PluginRegistry
from server import create_app
from tests.plugins.documents.conftest import DocWorld, build_world

NOTICE: dict[str, Any] = {
    "code": "hazard_notice", "title": "隐患告知书", "number_class": "告知", "source": "hazards",
    "description": "一份行业插件提供的文书",
    "body": [
        {"kind": "paragraph", "text": "{enterprise.name}："},
        {"kind": "table", "rows": "hazards", "columns": [{"title": "隐患", "value": "{description}"}, {"title": "期限", "value": "{deadline}"}]},
    ],
    "signatures": [{"role": "enterprise", "label": "被检查单位（签收）"}],
    "requires": ["authority", "hazards[].deadline"],
}


class Vendor:
    @hookimpl
    def anjian_document_types(self) -> list[Any]:
        broken = {**NOTICE, "code": "broken_notice", "body": [{"kind": "paragraph", "text": "{enterprise.nmae}"}]}
        return [NOTICE, broken, {**NOTICE, "title": "冒名的现场检查记录", "code": "inspection_record"}]


class NotAList:
    @hookimpl
    def anjian_document_types(self) -> Any:
        return "hazard_notice.yaml"


def test_the_five_built_in_types_load() -> None:
    codes = [t.definition.code for t in builtin_types()]
    assert sorted(codes) == ["inspection_record", "on_site_measures", "penalty_decision", "recheck_opinion", "rectification_order"]
    assert {t.definition.number_class for t in builtin_types()} == {"检记", "责改", "复查", "处理", "罚决"}


def test_a_type_definition_reports_every_problem_at_once() -> None:
    data = {
        **NOTICE,
        "body": [
            {"kind": "paragraph", "text": "{enterprise.nmae}", "when": "order.numbr"},
            {"kind": "table", "rows": "enterprise", "columns": [{"title": "x", "value": "{nothing}"}]},
        ],
        "signatures": [{"role": "enterprise", "label": "a"}, {"role": "enterprise", "label": "b"}],
        "requires": ["hazards[].colour"],
    }
    with pytest.raises(DocumentTypeError) as caught:
        type_from_data(data, source="test.yaml")
    assert [p.path for p in caught.value.problems] == [
        "body[0].when", "body[0].text", "body[1].rows", "body[1].columns[0].value", "requires[0]", "signatures[1].role",
    ]
    assert "未知的信息项 enterprise.nmae" in str(caught.value)
    with pytest.raises(DocumentTypeError) as shape:
        type_from_data({**NOTICE, "colour": "red"}, source="test.yaml")
    assert "colour" in str(shape.value)


def test_the_example_type_in_the_guide_loads() -> None:
    guide = (Path(__file__).resolve().parents[3] / "docs" / "documents.md").read_text(encoding="utf-8")
    example = guide.split("```yaml\n", 1)[1].split("```", 1)[0]
    definition = type_from_data(yaml.safe_load(example), source="docs/documents.md")
    assert (definition.code, definition.number_class, len(definition.body)) == ("hazard_notice", "告知", 3)


def test_strict_mode_raises_for_a_broken_plugin_type() -> None:
    registry = PluginRegistry(strict=True)
    registry.register(NotAList(), "odd")
    with pytest.raises(PluginError, match="anjian_document_types must return a list"):
        collect_document_types(registry)


@pytest.fixture
async def vendor_world(settings, clock) -> AsyncIterator[DocWorld]:  # type: ignore[no-untyped-def]
    registry = PluginRegistry(strict=False)
    registry.register(Vendor(), "vendor")
    registry.register(NotAList(), "odd")
    async for world in build_world(create_app(settings, clock=clock, plugins=registry), settings, clock):
        yield world


async def test_a_plugin_type_is_issued_like_a_built_in_one_and_its_broken_ones_are_reported(vendor_world: DocWorld) -> None:
    world = vendor_world
    listed = await world.client.get("/api/v1/document-types", headers=world.zhang.headers)
    assert listed.status_code == 200
    by_code = {t["code"]: t for t in listed.json()}
    assert sorted(by_code) == ["hazard_notice", "inspection_record", "on_site_measures", "penalty_decision", "recheck_opinion", "rectification_order"]
    assert (by_code["hazard_notice"]["plugin"], by_code["inspection_record"]["plugin"], by_code["inspection_record"]["title"]) == ("vendor", "builtin", "现场检查记录")
    assert by_code["inspection_record"]["min_rows"] == {"inspectors": 2}
    plugins = {p["name"]: p for p in (await world.client.get("/api/v1/plugins", headers=world.admin)).json()}
    vendor_errors = [e["message"] for e in plugins["vendor"]["errors"]]
    assert plugins["vendor"]["status"] == "degraded" and len(vendor_errors) == 2
    assert "enterprise.nmae" in vendor_errors[0]
    assert "inspection_record" in vendor_errors[1] and "已被占用" in vendor_errors[1]
    assert "must return a list" in plugins["odd"]["errors"][0]["message"]

    await world.push_inspection()
    notice = await world.issue(world.zhang.headers, "hazard_notice", hazard_ids=[(await world.hazards())["general"]["id"]])
    assert notice["number"] == "广应急告知〔2026〕1号"
    assert notice["awaiting"] == ["被检查单位（签收）"]


async def test_every_fact_a_type_may_name_is_gathered(inspected: DocWorld) -> None:
    """``fact_names`` (what type files may name) and ``facts.gather`` (what is filled) agree."""
    world = inspected
    await world.order_major()
    await world.recheck_both()
    await world.issue(world.zhang.headers, "rectification_order")
    principal = Principal(user_id=world.zhang.user_id, username="zhang", role="inspector", region_code="510681", industries=("hazchem",))
    definition = builtin_types()[0].definition
    data = msgspec.convert({"type": "x", "inspection_id": world.inspection_id, "measures": ["stop_production"], "period_start": "2026-03-02", "period_end": "2026-03-09"}, DocumentIn)
    gathered = {}
    for source in ("measure", "recheck"):  # measures, and the order and rechecks, are gathered for their own types
        typed = msgspec.structs.replace(definition, source=source)
        gathered[source] = (await gather(world.api.direct, principal, typed, data, datetime.now().astimezone(), None)).values
    # Absent here by the nature of this inspection: no notes, not a correction, no penalty record.
    expected_absent = {"inspection.notes", "document.corrects"} | {f for f in fact_names.SCALARS if f.startswith("penalty.")}
    absent = {f for f in fact_names.SCALARS if not any(present(fact_value(values, f)) for values in gathered.values())}
    assert sorted(absent) == sorted(expected_absent)
    for name, (_, _, row_facts) in fact_names.LISTS.items():
        rows = gathered["recheck"][name]
        assert rows, name
        assert set(rows[0]) == set(row_facts), name
