"""Re-scoring every enterprise in scope from its latest stored input (``anjian evaluate --all``)."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
from click.testing import CliRunner
from sqlmodel import col, select

from core.access.scope import Principal
from core.enterprises.service import create_enterprise
from core.enterprises.wire import EnterpriseIn
from core.evaluations.records import Evaluation
from core.settings import Settings
from core.storage.audit_log import SYSTEM, AuditEntry
from plugins.evaluations.batch import rescore
from plugins.evaluations.cli import make_evaluate_command
from plugins.evaluations.service import store_evaluation
from plugins.evaluator import evaluate_raw
from plugins.hookspecs import hookimpl
from plugins.manager import load_plugins
from plugins.registry import PluginRegistry
from plugins.risk_grading import Cut, LecEvaluator, RiskBands
from plugins.risk_grading.tables import load_tables
from server import build_context
from tests.conftest import Api, valid_uscc
from tests.plugins.evaluations.conftest import EFFICIENCY_FAIR, LEC_HIGH, evaluate

ROOT = Principal(user_id="00000000-0000-4000-8000-000000000001", username="root", role="admin")


def lec_1_1() -> LecEvaluator:
    """A revised LEC standard (1.2.0 after the shipped 1.1.0): L = 0.5 dropped from its table, orange starts at 240."""
    tables = load_tables().lec
    l_values = [v for v in tables.l.values if v.value != 0.5]
    revised = msgspec.structs.replace(tables, l=msgspec.structs.replace(tables.l, values=l_values))
    bands = RiskBands(major=Cut(min=320, inclusive=False), high=Cut(min=240), moderate=Cut(min=70), low=Cut(min=20))
    evaluator = LecEvaluator(tables=revised, thresholds=bands)
    evaluator.version = "1.2.0"
    return evaluator


def registry_with(*evaluators: Any) -> PluginRegistry:
    class Revised:
        @hookimpl
        def anjian_evaluators(self):
            return list(evaluators)

    registry = load_plugins(builtins=["plugins.efficiency"], entry_points=False, environ={})
    registry.register(Revised(), "revised_standards")
    registry.collect()
    return registry


async def stored_lec(api: Api, enterprise_id: str) -> list[Evaluation]:
    async with api.direct.db.read() as session:
        rows = (
            await session.exec(
                select(Evaluation)
                .where(col(Evaluation.enterprise_id) == enterprise_id, col(Evaluation.evaluator_id) == "risk.lec")
                .order_by(col(Evaluation.created_at))
            )
        ).all()
    return list(rows)


async def test_batch_rescores_the_scope_from_the_latest_input_and_reports_each(api: Api, admin, clock):
    a = await api.enterprise(admin, name="A 化工")
    b = await api.enterprise(admin, name="B 化工")
    c = await api.enterprise(admin, name="C 化工")
    coal = await api.enterprise(admin, name="D 煤矿", industries=["coal"])
    closed = await api.enterprise(admin, name="E 已关闭化工")
    shifang = await api.enterprise(admin, name="F 什邡化工", region_code="510682", uscc=valid_uscc("510682"))
    await api.client.patch(f"/api/v1/enterprises/{closed['id']}", json={"active": False}, headers=admin)

    await evaluate(api, admin, a["id"], "risk.lec", {"l": 3, "e": 6, "c": 7})  # older input: D = 126
    clock.advance(seconds=60)
    await evaluate(api, admin, a["id"], "risk.lec", LEC_HIGH)  # latest: D = 252, high under 1.1.0
    await evaluate(api, admin, b["id"], "risk.lec", {"l": 0.5, "e": 6, "c": 40})  # L = 0.5 is gone in 1.2.0
    await evaluate(api, admin, c["id"], "efficiency.assessment", EFFICIENCY_FAIR)  # nothing for risk.lec
    for other in (coal, closed, shifang):
        await evaluate(api, admin, other["id"], "risk.lec", LEC_HIGH)
    clock.advance(seconds=60)

    lines: list[str] = []
    summary = await rescore(api.direct, registry_with(lec_1_1()), "risk.lec", region_code="510681", industry="hazchem", progress=lines.append)

    assert (summary.total, summary.scored, summary.unchanged, summary.without_data) == (3, 1, 0, 1)
    assert [f.enterprise_id for f in summary.failures] == [b["id"]]
    assert "input.l" in summary.failures[0].message
    assert [line.split(" ")[0] for line in lines] == ["[1/3]", "[2/3]", "[3/3]"]
    assert lines[0].startswith(f"[1/3] A 化工 ({a['id']}): scored 252/1000")
    assert "FAILED" in lines[1] and "无评估数据" in lines[2]

    rows = await stored_lec(api, a["id"])
    assert [(r.evaluator_version, r.risk_level) for r in rows] == [("1.1.0", "moderate"), ("1.1.0", "high"), ("1.2.0", "high")]
    rescored = rows[-1]
    assert rescored.input == LEC_HIGH and rescored.created_by is None
    assert rescored.result["details"]["thresholds"]["high"]["min"] == 240
    async with api.direct.db.read() as session:
        audit = (await session.exec(select(AuditEntry).where(col(AuditEntry.entity_id) == rescored.id))).one()
    assert (audit.action, audit.actor_id, audit.actor_name) == ("evaluation.create", None, SYSTEM.name)
    for untouched in (b, coal, closed, shifang):
        assert [r.evaluator_version for r in await stored_lec(api, untouched["id"])] == ["1.1.0"]

    # Running it again stores nothing new for A; B still fails, C still has no data.
    again = await rescore(api.direct, registry_with(lec_1_1()), "risk.lec", region_code="510681", industry="hazchem")
    assert (again.scored, again.unchanged, again.without_data, len(again.failures)) == (0, 1, 1, 1)
    assert len(await stored_lec(api, a["id"])) == 3

    # A wider region takes 什邡 in; the coal mine and the closed firm stay out.
    wider = await rescore(api.direct, registry_with(lec_1_1()), "risk.lec", region_code="510600", industry="hazchem")
    assert (wider.total, wider.scored) == (4, 1)
    assert [r.evaluator_version for r in await stored_lec(api, shifang["id"])] == ["1.1.0", "1.2.0"]


async def test_an_evaluator_defect_on_one_enterprise_does_not_stop_the_rest(api: Api, admin):
    class Fragile(LecEvaluator):
        """Crashes on one input, as a buggy third-party evaluator might."""

        def evaluate(self, input):  # type: ignore[no-untyped-def]
            if input.c == 40:
                raise ZeroDivisionError("division by zero")
            return super().evaluate(input)

    first = await api.enterprise(admin, name="甲")
    second = await api.enterprise(admin, name="乙")
    await evaluate(api, admin, first["id"], "risk.lec", {"l": 1, "e": 6, "c": 40})
    await evaluate(api, admin, second["id"], "risk.lec", LEC_HIGH)
    fragile = Fragile()
    fragile.version = "1.0.1"
    registry = registry_with(fragile)
    summary = await rescore(api.direct, registry, "risk.lec")
    assert summary.scored == 1
    assert [(f.name, "ZeroDivisionError" in f.message) for f in summary.failures] == [("甲", True)]
    plugin = {p.name: p for p in registry.report()}["revised_standards"]
    assert plugin.status == "degraded"


# --- the command line ---------------------------------------------------------------------------


async def _seed(settings: Settings) -> dict[str, str]:
    ctx = build_context(settings)
    try:
        ids = {}
        for name, data in (("一号化工", LEC_HIGH), ("二号化工", {"l": 0.5, "e": 6, "c": 40}), ("三号化工", None)):
            out = await create_enterprise(
                ctx, ROOT, EnterpriseIn(name=name, uscc=valid_uscc(), region_code="510681", industries=["hazchem"], scale="small_micro")
            )
            ids[name] = out.id
            if data is not None:
                evaluator = LecEvaluator()
                async with ctx.db.write() as session:
                    await store_evaluation(
                        session, ctx, actor=ROOT.actor, enterprise_id=out.id, evaluator=evaluator,
                        stored_input=data, result=evaluate_raw(evaluator, data),
                    )
        return ids
    finally:
        await ctx.db.dispose()


def _env(settings: Settings) -> dict[str, str]:
    return {"ANJIAN_DATABASE_URL": settings.database_url, "ANJIAN_DATA_DIR": settings.data_dir, "ANJIAN_SECRET_KEY": settings.secret_key or ""}


def test_evaluate_command_prints_progress_and_a_summary_and_fails_on_failures(settings):
    ids = asyncio.run(_seed(settings))
    command = make_evaluate_command(build_context, lambda s: registry_with(lec_1_1()))
    result = CliRunner().invoke(command, ["--evaluator", "risk.lec", "--all", "--industry", "hazchem"], env=_env(settings))
    assert result.exit_code == 1, result.output
    assert f"[1/3] 一号化工 ({ids['一号化工']}): scored 252/1000" in result.output
    assert f"[2/3] 三号化工 ({ids['三号化工']}): skipped" in result.output
    assert f"[3/3] 二号化工 ({ids['二号化工']}): FAILED" in result.output
    assert "risk.lec 1.2.0: 3 enterprises, 1 scored, 0 unchanged, 1 without data, 1 failed" in result.output


def test_evaluate_command_refuses_unknown_evaluators_and_missing_scope(settings):
    command = make_evaluate_command(build_context, lambda s: registry_with(lec_1_1()))
    unknown = CliRunner().invoke(command, ["--evaluator", "risk.nope", "--all"], env=_env(settings))
    assert unknown.exit_code == 1
    assert "unknown evaluator risk.nope" in unknown.output and "risk.lec" in unknown.output
    no_all = CliRunner().invoke(command, ["--evaluator", "risk.lec"], env=_env(settings))
    assert no_all.exit_code == 2 and "--all" in no_all.output
    bad_region = CliRunner().invoke(command, ["--evaluator", "risk.lec", "--all", "--region", "51"], env=_env(settings))
    assert bad_region.exit_code == 2


def test_the_command_is_attached_to_anjian():
    import server

    result = CliRunner().invoke(server.cli, ["evaluate", "--help"])
    assert result.exit_code == 0 and "--evaluator" in result.output
