"""Every fact a document type may name, with the words used when one is missing.

Type files are checked against this list (a misspelt ``{enterprise.nmae}`` is a load error, not a
blank on paper), and a refused issue names each missing fact in Chinese and English from it.
``plugins.documents.facts`` is what fills them; the two are kept side by side by the tests.
"""

from __future__ import annotations

# fact -> (English, 中文)
SCALARS: dict[str, tuple[str, str]] = {
    "authority.name": ("issuing authority", "执法机关名称"),
    "authority.short_name": ("authority short name", "执法机关简称"),
    "authority.review_body": ("administrative review body", "行政复议机关"),
    "authority.court": ("people's court", "人民法院"),
    "authority.address": ("authority address", "执法机关地址"),
    "authority.phone": ("authority phone", "执法机关电话"),
    "enterprise.name": ("enterprise name", "被检查单位名称"),
    "enterprise.uscc": ("unified social credit code", "统一社会信用代码"),
    "enterprise.address": ("enterprise address", "被检查单位地址"),
    "enterprise.legal_representative": ("legal representative", "法定代表人（负责人）"),
    "enterprise.safety_manager": ("safety manager", "安全管理负责人"),
    "enterprise.phone": ("enterprise phone", "联系电话"),
    "inspection.place": ("place inspected", "检查场所"),
    "inspection.date": ("inspection date", "检查日期"),
    "inspection.started": ("inspection start", "检查开始时间"),
    "inspection.finished": ("inspection end", "检查结束时间"),
    "inspection.period": ("time of the inspection", "检查时间"),
    "inspection.checklist": ("checklist", "检查表"),
    "inspection.items_checked": ("items checked", "检查项数"),
    "inspection.items_failed": ("items failed", "问题项数"),
    "inspection.notes": ("notes", "其他情况"),
    "inspection.on_site_representative": ("enterprise's on-site representative", "被检查单位现场负责人"),
    "inspection.inspector_names": ("inspectors", "执法人员"),
    "inspection.card_nos": ("enforcement certificate numbers", "执法证号"),
    "document.date": ("date of issue", "文书日期"),
    "document.corrects": ("number of the corrected document", "被更正文书编号"),
    "order.number": ("number of the rectification order", "责令限期整改指令书编号"),
    "order.date": ("date of the rectification order", "责令限期整改指令书日期"),
    "measure.decision": ("the measures decided", "现场处理决定"),
    "measure.kinds": ("measures", "现场处理措施"),
    "measure.facilities": ("facilities and equipment concerned", "停止使用的设施、设备"),
    "measure.period_start": ("start of the measure", "措施起始日期"),
    "measure.period_end": ("end of the measure", "措施截止日期"),
    "measure.basis": ("legal basis of the measure", "现场处理依据"),
    "penalty.facts": ("facts of the violation", "违法事实及证据"),
    "penalty.violated": ("provisions violated", "违反的规定"),
    "penalty.basis": ("legal basis of the penalty", "处罚依据"),
    "penalty.decision": ("penalty decided", "处罚决定"),
    "penalty.payee": ("where the fine is paid", "罚款缴纳机构"),
    "penalty.account": ("account for the fine", "罚款缴纳账号"),
    "penalty.notified_on": ("date the party was notified", "告知日期"),
    "penalty.statement_text": ("the party's statement and hearing as recorded", "陈述申辩及听证情况"),
}

# list fact -> (English, 中文, its row facts -> (English, 中文))
LISTS: dict[str, tuple[str, str, dict[str, tuple[str, str]]]] = {
    "inspectors": ("inspectors", "执法人员", {
        "index": ("number", "序号"),
        "name": ("name", "姓名"),
        "enforcement_card_no": ("enforcement certificate number", "执法证号"),
    }),
    "findings": ("findings", "检查发现的问题", {
        "index": ("number", "序号"),
        "item_code": ("item code", "检查项编号"),
        "text": ("item checked", "检查项目"),
        "note": ("what was found", "检查情况"),
        "basis": ("legal basis", "依据"),
    }),
    "hazards": ("hazards", "隐患", {
        "index": ("number", "序号"),
        "description": ("description", "隐患描述"),
        "level": ("level", "隐患级别"),
        "location": ("location", "隐患位置"),
        "deadline": ("rectification deadline", "整改期限"),
        "basis": ("legal basis", "依据"),
        "item_code": ("item code", "检查项编号"),
    }),
    "rechecks": ("rechecked hazards", "复查的隐患", {
        "index": ("number", "序号"),
        "description": ("description", "隐患描述"),
        "deadline": ("original deadline", "原整改期限"),
        "rechecked_on": ("recheck date", "复查日期"),
        "result": ("recheck result", "复查结论"),
        "new_deadline": ("new deadline", "新的整改期限"),
        "note": ("recheck note", "复查情况"),
    }),
}

# Objects whose absence is reported once (``authority``), not fact by fact.
OBJECTS: dict[str, tuple[str, str]] = {
    "authority": ("no issuing authority covers the enterprise's region", "企业所在地没有对应的执法机关（请先设置文书执法机关）"),
    "order": ("no rectification order was issued for this inspection", "该检查尚未出具责令限期整改指令书"),
    "penalty": ("the administrative penalty case has no decision yet (notice, then decision)", "行政处罚案件尚未作出处罚决定（须先告知、再决定）"),
    "measure": ("the measure was not given", "未指定现场处理措施"),
}

# Facts the request supplies: a missing one is reported under the request's field.
REQUEST_FIELDS: dict[str, str] = {
    "measure.kinds": "measures",
    "measure.facilities": "facilities",
    "measure.period_start": "period_start",
    "measure.period_end": "period_end",
    "measure.decision": "measures",
}


def is_known(fact: str) -> bool:
    """Whether ``fact`` names a scalar fact or a list (``hazards``)."""
    return fact in SCALARS or fact in LISTS


def label(fact: str) -> tuple[str, str]:
    """(English, 中文) for a fact path: ``enterprise.name``, ``hazards``, ``hazards.basis``."""
    if fact in SCALARS:
        return SCALARS[fact]
    if fact in LISTS:
        return LISTS[fact][0], LISTS[fact][1]
    head, _, row_fact = fact.partition(".")
    if head in LISTS and row_fact in LISTS[head][2]:
        return LISTS[head][2][row_fact]
    return fact, fact
