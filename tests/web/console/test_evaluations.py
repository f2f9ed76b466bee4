"""评估 in the console (web/console/pages/evaluations.py): the list, running an evaluator (the 小微型
standard item by item, LEC by its tables, JSON for the rest) through the API's service, errors beside
the item they name with nothing stored, the explanation, the risk level from an evaluation, the batch
by cursor, and who may do what."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import col, func, select

from core.evaluations.records import Evaluation
from core.storage.audit_log import AuditEntry
from tests.conftest import Api, valid_uscc
from tests.web.console.conftest import ConsoleUser, sign_in
from web.console.pages import evaluations as pages

SMALL = "dual_prevention.small_micro"


async def _count(api: Api) -> int:
    async with api.direct.db.read() as session:
        return (await session.exec(select(func.count()).select_from(Evaluation))).one()


async def _setup(api: Api, admin: dict[str, str]) -> tuple[ConsoleUser, dict[str, Any]]:
    firm = await api.enterprise(admin, name="广汉小微化工厂")
    await api.user("pinggu", "evaluator", region_code="510681", industries=["hazchem"])
    return await sign_in(api.client, "pinggu"), firm


def _form(firm: dict[str, Any], evaluator: str = SMALL, **fields: str) -> dict[str, str]:
    return {"enterprise_id": firm["id"], "evaluator_id": evaluator, **fields}


async def test_an_evaluator_runs_the_small_micro_standard_and_reads_the_explanation(api: Api, admin) -> None:
    user, firm = await _setup(api, admin)
    page = await user.get(f"/evaluations/new?enterprise_id={firm['id']}&evaluator_id={SMALL}")
    assert page.status_code == 200
    assert 'name="i:E1.2:r:a"' in page.text and 'name="i:E5.4:na"' in page.text and 'name="v:V2"' in page.text
    assert "广汉小微化工厂" in page.text and "暂行编码" in page.text

    # E1.2 loses 2 × 5; E2.2's "once" rule a (20); E5.4 (30 points) is not applicable; the firm has
    # no register, check lists or self-checks, so the rules the records decide take E5.1 60, E5.2 40,
    # E6.1 30 and E6.2 20.
    response = await user.post("/evaluations", _form(firm, **{"i:E1.2:r:a": "2", "i:E1.2:finding": "缺两个岗位职责", "i:E2.2:r:a": "1", "i:E5.4:na": "1"}))
    assert response.status_code == 303, response.text[:500]
    target = response.headers["location"]
    evaluation_id = re.fullmatch(r"/evaluations/([0-9a-f-]{36})\?done=run", target).group(1)  # type: ignore[union-attr]

    stored = (await api.client.get(f"/api/v1/evaluations/{evaluation_id}", headers=admin)).json()
    assert (stored["score"], stored["maximum"], stored["grade"], stored["created_by"]) == (290, 470, "pass", await _user_id(api, "pinggu"))
    assert stored["input"]["items"]["E1.2"] == {"applicable": True, "finding": "缺两个岗位职责", "deductions": [{"rule": "a", "count": 2}]}
    assert stored["input"]["items"]["E5.4"]["applicable"] is False

    page = await user.get(target)
    assert page.status_code == 200
    text = page.text
    assert "评估已完成，结果已保存" in text and "61.7" in text and "合格" in text
    assert "实际得分 = 290 / 470 × 100 = 61.7" in text  # the evaluator's own explanation
    assert "系统记录：未建立风险清单" in text
    row = re.search(r'data-item="E1.2">(.*?)</tr>', text, re.S).group(1)  # type: ignore[union-attr]
    assert "−10" in row and "每缺一个岗位的职责 ×2" in row and "缺两个岗位职责" in row
    assert "不适用" in re.search(r'data-item="E5.4">(.*?)</tr>', text, re.S).group(1)  # type: ignore[union-attr]
    assert 'class="ev-applied"' in text and "一票否决" not in text
    assert f'href="/enterprises/{firm["id"]}"' in text
    assert "据此设置企业风险等级" not in text  # a standard gives a grade, not a risk level


async def _user_id(api: Api, username: str) -> str:
    from core.access.users import User

    async with api.direct.db.read() as session:
        return (await session.exec(select(User.id).where(col(User.username) == username))).one()


async def test_a_veto_makes_the_result_fail_and_is_highlighted(api: Api, admin) -> None:
    user, firm = await _setup(api, admin)
    response = await user.post("/evaluations", _form(firm, **{"v:V3": "1", "v:V3:note": "培训记录系补签"}))
    assert response.status_code == 303
    page = await user.get(response.headers["location"])
    assert "一票否决：评估结论为不合格" in page.text
    assert re.search(r'data-veto="V3"><strong>V3</strong> 双重预防机制建设运行资料弄虚作假（培训记录系补签）', page.text)
    assert "100" in page.text and "不合格" in page.text


async def test_a_refused_input_is_shown_beside_its_item_and_nothing_is_stored(api: Api, admin) -> None:
    user, firm = await _setup(api, admin)
    # the evaluator's own refusal: a not-applicable item cannot lose points
    response = await user.post("/evaluations", _form(firm, **{"i:E3.1:na": "1", "i:E3.1:r:b": "2", "i:E6.1:finding": "清单齐全"}))
    assert response.status_code == 400
    item = re.search(r'<fieldset class="ev-item invalid" id="item-E3.1".*?</fieldset>', response.text, re.S)
    assert item and "不适用（缺项）的评估要点不能扣分" in item.group(0)
    assert 'data-error-field="input.items[&#34;E3.1&#34;].deductions"' in item.group(0)
    assert 'value="清单齐全"' in response.text and 'name="i:E3.1:r:b" min="0" max="999" step="1" inputmode="numeric" value="2"' in response.text
    # the form's own refusal: a count that is not a whole number
    response = await user.post("/evaluations", _form(firm, **{"i:E6.2:r:b": "两次"}))
    assert response.status_code == 400
    assert re.search(r'id="item-E6.2".*?评估要点 E6.2 扣分规则 b 的次数应为0到999的整数', response.text, re.S)
    assert await _count(api) == 0


async def test_the_standard_of_the_other_scale_is_refused_with_the_services_reason(api: Api, admin) -> None:
    user, _ = await _setup(api, admin)
    big = await api.enterprise(admin, name="广汉大型化工集团", scale="large_medium", uscc=valid_uscc())
    page = await user.get(f"/evaluations/new?enterprise_id={big['id']}&evaluator_id={SMALL}")
    assert page.status_code == 200
    assert "该企业为大中型企业，请使用大中型企业评估标准" in page.text
    assert 'id="evaluation-form"' not in page.text
    assert "evaluator_id=dual_prevention.large_medium" in page.text
    response = await user.post("/evaluations", _form(big))
    assert response.status_code == 400 and "该企业为大中型企业" in response.text
    assert await _count(api) == 0


async def test_lec_by_its_tables_then_the_risk_level_is_set_from_it(api: Api, admin) -> None:
    user, firm = await _setup(api, admin)
    page = await user.get(f"/evaluations/new?enterprise_id={firm['id']}&evaluator_id=risk.lec")
    assert '<select id="f:l" name="f:l">' in page.text and "相当可能" in page.text

    refused = await user.post("/evaluations", _form(firm, "risk.lec", **{"f:l": "4", "f:e": "6", "f:c": "7"}))
    assert refused.status_code == 400 and "不在取值表中" in refused.text and 'data-error-field="input.l"' in refused.text
    bad_json = await user.post("/evaluations", _form(firm, "risk.lec", input_json="{l: 6"))
    assert bad_json.status_code == 400 and "输入（JSON）格式错误" in bad_json.text
    assert await _count(api) == 0

    response = await user.post("/evaluations", _form(firm, "risk.lec", **{"f:l": "6", "f:e": "6", "f:c": "7"}))
    assert response.status_code == 303
    page = await user.get(response.headers["location"])
    assert "D = 6 × 6 × 7 = 252" in page.text and "分级阈值" in page.text
    applied = re.search(r'<tr class="ev-applied">(.*?)</tr>', page.text, re.S).group(1)  # type: ignore[union-attr]
    assert "risk-high" in applied and "本次结果" in applied
    assert "据此设置企业风险等级" in page.text

    evaluation_id = response.headers["location"].split("/")[2].split("?")[0]
    no_token = await user.post(f"/evaluations/{evaluation_id}/risk-level", {"expected_version": "1"}, token=None)
    assert no_token.status_code == 403
    stale = await user.post(f"/evaluations/{evaluation_id}/risk-level", {"expected_version": "99"})
    assert stale.status_code == 409 and 'data-error-field="expected_version"' in stale.text
    assert (await api.client.get(f"/api/v1/enterprises/{firm['id']}", headers=admin)).json()["risk_level"] is None

    done = await user.post(f"/evaluations/{evaluation_id}/risk-level", {"expected_version": str(firm["version"])})
    assert done.status_code == 303 and done.headers["location"] == f"/evaluations/{evaluation_id}?done=risk"
    assert (await api.client.get(f"/api/v1/enterprises/{firm['id']}", headers=admin)).json()["risk_level"] == "high"
    async with api.direct.db.read() as session:
        audit = (await session.exec(select(AuditEntry).where(col(AuditEntry.action) == "enterprise.risk_level_set"))).one()
    assert audit.after["evaluation_id"] == evaluation_id and audit.actor_name == "pinggu"


async def test_an_evaluation_without_a_risk_level_cannot_set_one(api: Api, admin) -> None:
    user, firm = await _setup(api, admin)
    response = await user.post("/evaluations", _form(firm))
    evaluation_id = response.headers["location"].split("/")[2].split("?")[0]
    refused = await user.post(f"/evaluations/{evaluation_id}/risk-level", {})
    assert refused.status_code == 409 and "未给出风险等级" in refused.text


async def test_posts_without_the_csrf_token_store_nothing(api: Api, admin) -> None:
    user, firm = await _setup(api, admin)
    assert (await user.post("/evaluations", _form(firm), token=None)).status_code == 403
    assert (await user.post("/evaluations/batch", {"evaluator": "risk.lec"}, token=None)).status_code == 403
    assert await _count(api) == 0


async def test_the_list_filters_and_shows_who_and_when(api: Api, admin) -> None:
    user, firm = await _setup(api, admin)
    other = await api.enterprise(admin, name="广汉另一化工", uscc=valid_uscc())
    await user.post("/evaluations", _form(firm, "risk.matrix", **{"f:l": "4", "f:s": "4"}))
    await user.post("/evaluations", _form(other))
    page = await user.get("/evaluations")
    assert page.status_code == 200 and page.text.count("data-evaluation-id=") == 2
    assert "pinggu" in page.text and "开展评估" in page.text and "批量重新评估" in page.text
    narrowed = await user.get("/evaluations?q=另一")
    assert narrowed.text.count("data-evaluation-id=") == 1 and "广汉另一化工" in narrowed.text
    by_evaluator = await user.get("/evaluations?evaluator=risk.matrix")
    assert by_evaluator.text.count("data-evaluation-id=") == 1 and "广汉小微化工厂" in by_evaluator.text
    unknown = await user.get("/evaluations?evaluator=nope")
    assert unknown.status_code == 400 and "未知的评估器" in unknown.text


async def test_who_may_do_what(api: Api, admin) -> None:
    user, firm = await _setup(api, admin)
    outside = await api.enterprise(admin, name="锦江建筑", region_code="510104", industries=["construction"], uscc=valid_uscc("510104"))
    await api.user("kan", "viewer", region_code="510681", industries=["hazchem"])
    await api.user("qiye", "enterprise_user", enterprise_id=firm["id"])
    viewer = await sign_in(api.client, "kan")
    listing = await viewer.get("/evaluations")
    assert listing.status_code == 200 and "开展评估" not in listing.text
    assert (await viewer.get(f"/evaluations/new?enterprise_id={firm['id']}")).status_code == 403
    assert (await viewer.post("/evaluations", _form(firm))).status_code == 403
    assert (await viewer.get("/evaluations/batch")).status_code == 403
    company = await sign_in(api.client, "qiye")
    own = await company.get("/evaluations")  # an enterprise reads its own evaluations (自评估), nothing else
    assert own.status_code == 200 and "开展评估" not in own.text and "锦江建筑" not in own.text
    # out of scope: the same 404 as what does not exist, nothing stored
    assert (await user.get(f"/evaluations/new?enterprise_id={outside['id']}&evaluator_id={SMALL}")).status_code == 404
    assert (await user.post("/evaluations", _form(outside))).status_code == 404
    theirs = await api.client.post("/api/v1/evaluations", headers=admin, json={"enterprise_id": outside["id"], "evaluator": "risk.matrix", "input": {"l": 2, "s": 2}})
    assert (await user.get(f"/evaluations/{theirs.json()['id']}")).status_code == 404
    assert "锦江建筑" not in (await user.get("/evaluations/new?q=建筑")).text
    assert await _count(api) == 1


async def test_the_batch_goes_by_cursor_and_reports_progress_counts_and_failures(api: Api, admin, monkeypatch) -> None:
    user, firm = await _setup(api, admin)
    monkeypatch.setattr(pages, "CHUNK", 2)
    firms = [firm] + [await api.enterprise(admin, name=f"广汉化工{n}", uscc=valid_uscc()) for n in range(3)]
    outside = await api.enterprise(admin, name="锦江建筑", region_code="510104", industries=["construction"], uscc=valid_uscc("510104"))
    for one in [*firms[:3], outside]:
        stored = await api.client.post("/api/v1/evaluations", headers=admin, json={"enterprise_id": one["id"], "evaluator": SMALL, "input": _all_fine()})
        assert stored.status_code == 201, stored.text
    # firms[2] grew: its latest 小微型 input no longer fits it
    grown = await api.client.patch(f"/api/v1/enterprises/{firms[2]['id']}", json={"scale": "large_medium"}, headers=admin)
    assert grown.status_code == 200, grown.text
    before = await _count(api)

    start = await user.get("/evaluations/batch")
    assert start.status_code == 200 and 'name="evaluator"' in start.text
    first = await user.post("/evaluations/batch", {"evaluator": SMALL})
    assert first.status_code == 200
    assert _figure(first.text, "progress") == "2 / 4" and "继续" in first.text and 'hx-trigger="load' not in first.text
    carried = _hidden(first.text)
    rest = await user.post("/evaluations/batch", carried)
    assert _figure(rest.text, "progress") == "4 / 4" and "已处理辖区内全部 4 家企业" in rest.text
    assert (_figure(rest.text, "unchanged"), _figure(rest.text, "without_data"), _figure(rest.text, "failed")) == ("2", "1", "1")
    assert "广汉化工1" in rest.text and "请使用大中型企业评估标准" in rest.text
    assert "锦江建筑" not in rest.text and await _count(api) == before  # unchanged results are not stored again

    htmx = await user.post("/evaluations/batch", {"evaluator": SMALL}, headers={"hx-request": "true"})
    assert 'hx-trigger="load delay:200ms, submit"' in htmx.text
    assert (await user.post("/evaluations/batch", {"evaluator": "nope"})).status_code == 400
    assert (await user.post("/evaluations/batch", {**carried, "cursor": "../x"})).status_code == 400


def _all_fine() -> dict[str, Any]:
    from plugins.dual_prevention import builtin_standard

    return {"items": {item.code: {"finding": "符合要求"} for item in builtin_standard("small_micro").items()}}


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, f"no figure {name}"
    return match.group(1).strip()


def _hidden(html: str) -> dict[str, Any]:
    form = re.search(r'<form class="ev-batch-next".*?</form>', html, re.S).group(0)  # type: ignore[union-attr]
    fields: dict[str, Any] = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form):
        if name == "_csrf":
            continue
        value = value.replace("&#9;", "\t").replace("&#34;", '"').replace("&amp;", "&")
        fields.setdefault(name, []).append(value) if name == "failure" else fields.__setitem__(name, value)
    return fields
