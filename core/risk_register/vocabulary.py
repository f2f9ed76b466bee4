"""The register's controlled words: GB/T 13861 factor categories, GB 6441 accident types, point
kinds, control kinds and levels, and the direct-judgement rules — identifiers with Chinese labels."""

from __future__ import annotations

from typing import Literal, get_args

# GB/T 13861-2022《生产过程危险和有害因素分类与代码》: the four 大类 and their 中类, by code. A
# factor is given by one of these codes or a finer code under one (e.g. 2101 under 21).
HAZARD_FACTOR_CATEGORIES: dict[str, str] = {
    "1": "人的因素",
    "11": "心理、生理性危险和有害因素",
    "12": "行为性危险和有害因素",
    "2": "物的因素",
    "21": "物理性危险和有害因素",
    "22": "化学性危险和有害因素",
    "23": "生物性危险和有害因素",
    "3": "环境因素",
    "31": "室内作业场所环境不良",
    "32": "室外作业场地环境不良",
    "33": "地下（含水下）作业环境不良",
    "39": "其他作业环境不良",
    "4": "管理因素",
    "41": "职业安全卫生管理机构设置和人员配备不健全",
    "42": "职业安全卫生责任制不完善或未落实",
    "43": "职业安全卫生管理制度不完善或未落实",
    "44": "职业安全卫生投入不足",
    "45": "应急管理缺陷",
    "49": "其他管理因素缺陷",
}

# GB 6441-1986《企业职工伤亡事故分类》: the twenty accident types.
AccidentType = Literal[
    "struck_by_object", "vehicle", "machinery", "lifting", "electric_shock", "drowning", "burn", "fire",
    "fall_from_height", "collapse", "roof_fall", "water_inrush", "blasting", "explosive_explosion",
    "gas_explosion", "boiler_explosion", "vessel_explosion", "other_explosion", "poisoning_asphyxiation", "other_injury",
]
ACCIDENT_TYPE_LABELS: dict[str, str] = dict(zip(get_args(AccidentType), (
    "物体打击", "车辆伤害", "机械伤害", "起重伤害", "触电", "淹溺", "灼烫", "火灾",
    "高处坠落", "坍塌", "冒顶片帮", "透水", "放炮", "火药爆炸",
    "瓦斯爆炸", "锅炉爆炸", "容器爆炸", "其它爆炸", "中毒和窒息", "其它伤害",
), strict=True))

PointKind = Literal["place", "facility", "operation", "post"]
POINT_KIND_LABELS = {"place": "场所/区域", "facility": "设备设施", "operation": "作业活动", "post": "岗位"}

ControlKind = Literal["engineering", "management", "training", "ppe", "emergency"]
CONTROL_KIND_LABELS = {"engineering": "工程技术措施", "management": "管理措施", "training": "培训教育措施", "ppe": "个体防护措施", "emergency": "应急处置措施"}

ControlLevel = Literal["company", "workshop", "team", "post"]
CONTROL_LEVELS: tuple[str, ...] = get_args(ControlLevel)
CONTROL_LEVEL_LABELS = {"company": "公司级", "workshop": "车间级", "team": "班组级", "post": "岗位级"}

Frequency = Literal["per_shift", "daily", "weekly", "monthly", "quarterly"]
FREQUENCY_LABELS = {"per_shift": "每班", "daily": "每日", "weekly": "每周", "monthly": "每月", "quarterly": "每季度"}

# 直接判定: situations that make a risk 重大 (red) whatever its assessment says.
DirectRule = Literal["unrectified_major_hazard", "fatal_accident_past_year", "legal_breach"]
DIRECT_RULE_LABELS = {
    "unrectified_major_hazard": "存在未整改的重大事故隐患",
    "fatal_accident_past_year": "近一年内发生过死亡事故",
    "legal_breach": "违反法律法规及国家标准中强制性条款",
}

Method = Literal["lec", "ls"]
METHOD_LABELS = {"lec": "作业条件危险性分析法（LEC）", "ls": "风险矩阵分析法（LS）"}
