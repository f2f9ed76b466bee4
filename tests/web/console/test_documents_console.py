"""The console's 文书 / 行政处罚 pages (web/console/pages/documents*.py, penalties.py): issuing from an
inspection through the API's service — a 409 ``missing_facts`` listed in Chinese beside the form
with no number burned, then issued once the facts are there — voiding, correcting, signing with an
uploaded image, the lists with their filters, and 行政处罚 cases through their stages.

The world is the documents plugin's (tests/plugins/documents/conftest.py): an inspection pushed
from a tablet by 张三 with 李四, photos and signatures, an issuing authority for 广汉市.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import col, func, select

from core.storage.audit_log import AuditEntry
from plugins.documents.records import DocumentSignature, EnforcementDocument
from plugins.registry import PluginRegistry
from server import create_app
from tests.conftest import make_settings
from tests.plugins.documents.conftest import DocWorld, build_world, png
from tests.web.console.conftest import ConsoleUser, sign_in

_DOC_LINK = re.compile(r"/documents/([0-9a-f-]{36})\?done=issued")


@pytest.fixture
async def world(db_url, tmp_path, clock) -> AsyncIterator[DocWorld]:  # type: ignore[no-untyped-def]
    settings = make_settings(db_url, str(tmp_path / "data"))
    app = create_app(settings, clock=clock, plugins=PluginRegistry(strict=True))
    async for built in build_world(app, settings, clock):
        await built.push_inspection()
        yield built


async def _documents(world: DocWorld) -> list[EnforcementDocument]:
    async with world.api.direct.db.read() as session:
        return list((await session.exec(select(EnforcementDocument).order_by(col(EnforcementDocument.seq)))).all())


async def _audit(world: DocWorld, action: str) -> int:
    async with world.api.direct.db.read() as session:
        return (await session.exec(select(func.count()).select_from(AuditEntry).where(col(AuditEntry.action) == action))).one()


async def _order_both(world: DocWorld) -> None:
    """Deadlines on both hazards (a 责令限期整改指令书 lists each with its deadline): the general one
    came from the tablet with one, the major one is ordered."""
    await world.order_major()


async def _issue(user: ConsoleUser, world: DocWorld, type_code: str, **extra: Any) -> Any:
    world.api.ctx.clock.advance(seconds=1)
    return await user.post(f"/inspections/{world.inspection_id}/documents", {"type": type_code, **extra})


async def test_missing_facts_listed_beside_the_form_then_issued_once_fixed(world: DocWorld) -> None:
    await world.set_officer(world.li.user_id, "李四", None)  # the second officer has no 执法证号 yet
    zhang = await sign_in(world.client, "zhang")

    form = await zhang.get(f"/inspections/{world.inspection_id}/documents/new?type=rectification_order")
    assert form.status_code == 200, form.text
    assert "出具责令限期整改指令书" in form.text and 'id="pending-facts"' in form.text  # warned before posting
    refused = await _issue(zhang, world, "rectification_order")
    assert refused.status_code == 409, refused.text
    assert 'id="missing-facts"' in refused.text and "未生成编号" in refused.text
    assert "缺少执法证号" in refused.text and "执法人员 李四" in refused.text  # which officer
    assert 'data-missing="inspectors[1].enforcement_card_no"' in refused.text
    assert 'data-missing="hazards[1].deadline"' in refused.text and "重大危险源未进行辨识" in refused.text  # which hazard
    assert 'data-missing="hazards[0].deadline"' not in refused.text  # the general one was pushed with its deadline
    assert await _documents(world) == []  # nothing numbered

    patched = await world.client.patch(f"/api/v1/users/{world.li.user_id}", json={"enforcement_card_no": "51068100002"}, headers=world.admin)
    assert patched.status_code == 200, patched.text
    await _order_both(world)
    issued = await _issue(zhang, world, "rectification_order")
    assert issued.status_code == 303, issued.text
    stored = await _documents(world)
    assert [d.number for d in stored] == ["广应急责改〔2026〕1号"]  # the refusal burned no number
    assert issued.headers["location"] == f"/documents/{stored[0].id}?done=issued"
    page = await zhang.get(issued.headers["location"])
    assert page.status_code == 200
    assert "广应急责改〔2026〕1号" in page.text and "文书已出具" in page.text and f"/documents/{stored[0].id}/pdf" in page.text
    assert "危险化学品仓库未设置防爆照明" in page.text  # the content as issued
    assert "待签" in page.text  # nobody signed the order yet
    pdf = await zhang.get(f"/documents/{stored[0].id}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_issue_form_checks_fields_like_the_api(world: DocWorld) -> None:
    zhang = await sign_in(world.client, "zhang")
    bad_hazard = await _issue(zhang, world, "rectification_order", hazard_ids="not-a-hazard-of-this-enterprise")
    assert bad_hazard.status_code == 400
    assert "未找到被检查单位的隐患" in bad_hazard.text
    measures = await _issue(zhang, world, "on_site_measures", measures="stop_using", period_start="2026-03-10", period_end="2026-03-01")
    assert measures.status_code == 400 and 'data-error-field="period_end"' in measures.text
    unknown = await zhang.get(f"/inspections/{world.inspection_id}/documents/new?type=nonsense")
    assert unknown.status_code == 400 and "未知的文书种类" in unknown.text
    no_case = await _issue(zhang, world, "penalty_decision")
    assert no_case.status_code == 400 and "行政处罚决定书须指明行政处罚案件" in no_case.text
    assert await _documents(world) == []


async def test_void_needs_a_reason_and_confirmation_then_is_audited(world: DocWorld) -> None:
    zhang = await sign_in(world.client, "zhang")
    assert (await _issue(zhang, world, "inspection_record")).status_code == 303
    document = (await _documents(world))[0]
    unconfirmed = await zhang.post(f"/documents/{document.id}/void", {"reason": "填写错误"})
    assert unconfirmed.status_code == 400 and "请勾选“确认作废”" in unconfirmed.text
    blank = await zhang.post(f"/documents/{document.id}/void", {"reason": "  ", "confirm": "yes"})
    assert blank.status_code == 400 and "必须填写作废原因" in blank.text
    assert (await _documents(world))[0].status == "issued"
    no_csrf = await zhang.post(f"/documents/{document.id}/void", {"reason": "填写错误", "confirm": "yes"}, token=None)
    assert no_csrf.status_code == 403 and (await _documents(world))[0].status == "issued"

    voided = await zhang.post(f"/documents/{document.id}/void", {"reason": "填写错误", "confirm": "yes"})
    assert voided.status_code == 303 and voided.headers["location"] == f"/documents/{document.id}?done=voided"
    assert (await _documents(world))[0].status == "voided" and await _audit(world, "document.void") == 1
    page = await zhang.get(voided.headers["location"])
    assert "已作废：填写错误" in page.text and 'action="/documents/' not in page.text  # no more forms
    again = await zhang.post(f"/documents/{document.id}/void", {"reason": "再次", "confirm": "yes"})
    assert again.status_code == 409 and "已作废" in again.text


async def test_correction_is_a_new_number_that_voids_the_old(world: DocWorld) -> None:
    zhang = await sign_in(world.client, "zhang")
    assert (await _issue(zhang, world, "inspection_record")).status_code == 303
    first = (await _documents(world))[0]
    second_try = await _issue(zhang, world, "inspection_record")
    assert second_try.status_code == 409 and "如需更改请出具更正文书" in second_try.text

    detail = await zhang.get(f"/documents/{first.id}")
    link = f"/inspections/{world.inspection_id}/documents/new?type=inspection_record&amp;corrects={first.id}"
    assert link in detail.text
    form = await zhang.get(link.replace("&amp;", "&"))
    assert form.status_code == 200 and f'name="corrects" value="{first.id}"' in form.text and first.number in form.text
    corrected = await _issue(zhang, world, "inspection_record", corrects=first.id)
    assert corrected.status_code == 303, corrected.text
    old, new = await _documents(world)
    assert (old.status, new.status, new.supersedes) == ("voided", "issued", old.id)
    assert old.voided_reason == f"已更正，见 {new.number}" and new.seq == old.seq + 1


async def test_signature_upload_fills_a_box(world: DocWorld) -> None:
    zhang = await sign_in(world.client, "zhang")
    await _order_both(world)
    assert (await _issue(zhang, world, "rectification_order")).status_code == 303
    document = (await _documents(world))[0]
    page = await zhang.get(f"/documents/{document.id}")
    assert 'name="role"' in page.text and 'value="enterprise"' in page.text

    not_image = await zhang.post(f"/documents/{document.id}/signatures", {"role": "enterprise", "name": "王经理"},
                                 files={"image": ("sig.png", b"not an image", "image/png")})
    assert not_image.status_code == 400
    bad_box = await zhang.post(f"/documents/{document.id}/signatures", {"role": "nobody", "name": "王经理"}, files={"image": ("sig.png", png(7), "image/png")})
    assert bad_box.status_code == 400 and "没有签名栏" in bad_box.text
    signed = await zhang.post(f"/documents/{document.id}/signatures", {"role": "enterprise", "name": "王经理"}, files={"image": ("sig.png", png(7), "image/png")})
    assert signed.status_code == 303, signed.text
    async with world.api.direct.db.read() as session:
        rows = (await session.exec(select(DocumentSignature).where(col(DocumentSignature.document_id) == document.id))).all()
    assert [(r.role, r.name, r.source) for r in rows] == [("enterprise", "王经理", "api")]
    assert await _audit(world, "document.sign") == 1
    twice = await zhang.post(f"/documents/{document.id}/signatures", {"role": "enterprise", "name": "王经理"}, files={"image": ("sig.png", png(8), "image/png")})
    assert twice.status_code == 409 and "已签名" in twice.text


async def test_roles_without_the_permission_see_no_buttons_and_get_403(world: DocWorld) -> None:
    zhang = await sign_in(world.client, "zhang")
    assert (await _issue(zhang, world, "inspection_record")).status_code == 303
    document = (await _documents(world))[0]
    await world.api.user("qiye", "enterprise_user", enterprise_id=world.enterprise["id"])
    await world.api.user("dept", "department_admin", region_code="510681", industries=["hazchem"])
    qiye, dept = await sign_in(world.client, "qiye"), await sign_in(world.client, "dept")

    own = await qiye.get(f"/documents/{document.id}")
    assert own.status_code == 200 and document.number in own.text and "作废" not in own.text.split("文书内容")[0].split("</h1>")[1].replace("已作废", "")
    listed = await qiye.get("/documents")
    assert listed.status_code == 200 and document.number in listed.text
    panel = await qiye.get(f"/inspections/{world.inspection_id}/documents")
    assert panel.status_code == 200 and "出具文书" not in panel.text and "电子案卷" not in panel.text and "立案" not in panel.text
    assert (await qiye.get(f"/inspections/{world.inspection_id}/documents/new?type=inspection_record")).status_code == 403
    assert (await qiye.post(f"/documents/{document.id}/void", {"reason": "x", "confirm": "yes"})).status_code == 403
    assert (await qiye.get("/penalties")).status_code == 403
    assert (await qiye.get(f"/inspections/{world.inspection_id}/case-file")).status_code == 403

    dept_panel = await dept.get(f"/inspections/{world.inspection_id}/documents")
    assert "下载电子案卷" in dept_panel.text and "出具文书" not in dept_panel.text
    assert (await dept.post(f"/inspections/{world.inspection_id}/documents", {"type": "inspection_record"})).status_code == 403
    assert len(await _documents(world)) == 1


async def test_document_list_filters(world: DocWorld) -> None:
    zhang = await sign_in(world.client, "zhang")
    await _order_both(world)
    assert (await _issue(zhang, world, "inspection_record")).status_code == 303
    assert (await _issue(zhang, world, "rectification_order")).status_code == 303
    record, order = await _documents(world)
    everything = await zhang.get("/documents")
    assert record.number in everything.text and order.number in everything.text and "广汉市红星化工有限公司" in everything.text
    by_type = await zhang.get("/documents?type=rectification_order")
    assert order.number in by_type.text and record.number not in by_type.text
    by_name = await zhang.get("/documents?q=红星")
    assert order.number in by_name.text
    nobody = await zhang.get("/documents?q=不存在的企业")
    assert nobody.status_code == 200 and order.number not in nobody.text and "没有符合" in nobody.text
    assert (await zhang.get("/documents?status=voided")).text.count('data-document-id="') == 0
    bad_year = await zhang.get("/documents?year=19")
    assert bad_year.status_code == 400 and "年度应为" in bad_year.text


async def test_case_file_download(world: DocWorld) -> None:
    zhang = await sign_in(world.client, "zhang")
    assert (await _issue(zhang, world, "inspection_record")).status_code == 303
    answer = await zhang.get(f"/inspections/{world.inspection_id}/case-file")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert "manifest.json" in names and any(n.startswith("01-现场检查记录") for n in names)
    assert await _audit(world, "case_file.export") == 1


async def test_penalty_case_through_its_stages_then_its_decision_issued(world: DocWorld) -> None:
    zhang = await sign_in(world.client, "zhang")
    panel = await zhang.get(f"/inspections/{world.inspection_id}/documents")
    assert 'action="/penalties"' in panel.text and "张三" in panel.text
    one = await zhang.post("/penalties", {"inspection_id": world.inspection_id, "cause": "未设置防爆照明", "handlers": world.zhang.user_id})
    assert one.status_code == 400 and "至少选择两名承办人" in one.text
    filed = await zhang.post("/penalties", {"inspection_id": world.inspection_id, "cause": "未设置防爆照明", "handlers": [world.zhang.user_id, world.li.user_id]})
    assert filed.status_code == 303, filed.text
    case_url = filed.headers["location"].split("?")[0]
    page = await zhang.get(case_url)
    assert "下一步：告知" in page.text and "已立案" in page.text

    notice = {"stage": "notice", "facts": "仓库未设置防爆照明", "violated": "《安全生产法》第三十六条", "basis": "《安全生产法》第九十九条",
              "proposed": "罚款人民币叁万元", "proposed_fine_yuan": "30000", "notified_on": "2026-03-02"}
    assert (await zhang.post(f"{case_url}/steps", {**notice, "notified_on": "2099-01-01"})).status_code == 400
    assert (await zhang.post(f"{case_url}/steps", notice)).status_code == 303
    decision = {"stage": "decision", "decision": "罚款人民币肆万元", "fine_yuan": "40000", "decided_on": "2026-03-02", "payee": "工商银行广汉支行", "account": "5100"}
    heavier = await zhang.post(f"{case_url}/steps", decision)
    assert heavier.status_code == 409 and "重于告知的拟处罚" in heavier.text and 'value="罚款人民币肆万元"' in heavier.text
    assert (await zhang.post(f"{case_url}/steps", {**decision, "decision": "罚款人民币贰万元", "fine_yuan": "20000"})).status_code == 303
    stale = await zhang.post(f"{case_url}/steps", notice)
    assert stale.status_code == 409 and "案件当前为" in stale.text
    listed = await zhang.get("/penalties?status=decided")
    assert "未设置防爆照明" in listed.text and "已决定" in listed.text

    form = await zhang.get(f"/inspections/{world.inspection_id}/documents/new?type=penalty_decision")
    case_id = case_url.rsplit("/", 1)[1]
    assert f'value="{case_id}"' in form.text
    issued = await _issue(zhang, world, "penalty_decision", penalty_id=case_id)
    assert issued.status_code == 303, issued.text
    assert (await _documents(world))[0].number == "广应急罚决〔2026〕1号"
    fulfilled = await zhang.post(f"{case_url}/steps", {"stage": "fulfilment", "paid_yuan": "20000", "receipt_no": "R-1", "paid_on": "2026-03-02"})
    assert fulfilled.status_code == 303
    assert "已履行" in (await zhang.get(case_url)).text
