"""The controlled vocabularies of DESIGN.md's glossary: roles, industries, scales, risk levels.

Chinese labels live beside the identifiers so error messages and reports can show both.
"""

from __future__ import annotations

from typing import Literal, get_args

Role = Literal["admin", "department_admin", "inspector", "evaluator", "enterprise_user", "viewer"]
Industry = Literal[
    "coal",
    "non_coal_mine",
    "hazchem",
    "fireworks",
    "construction",
    "fire",
    "road_transport",
    "industrial_trade",
    "special_equipment",
    "other",
]
Scale = Literal["large_medium", "small_micro"]
RiskLevel = Literal["major", "high", "moderate", "low"]
HighRiskFlag = Literal[
    "metallurgy",
    "dust_explosion",
    "hazardous_process",
    "confined_space",
    "labour_intensive",
    "factory_in_factory",
    "ammonia_refrigeration",
]
# 工贸 sectors: the sector articles of 《工贸企业重大事故隐患判定标准》(应急管理部令第10号) 第四条–第十一条.
Sector = Literal["metallurgy", "nonferrous", "building_materials", "machinery", "light_industry", "textile", "tobacco", "commerce"]
# 生产类 / 仓储类 / 其他: the seeds' deadlines differ (all 生产类/仓储类 by the end of 2025).
ProductionKind = Literal["production", "storage", "other"]

ROLES: tuple[str, ...] = get_args(Role)
INDUSTRIES: tuple[str, ...] = get_args(Industry)
SCALES: tuple[str, ...] = get_args(Scale)
RISK_LEVELS: tuple[str, ...] = get_args(RiskLevel)
HIGH_RISK_FLAGS: tuple[str, ...] = get_args(HighRiskFlag)
SECTORS: tuple[str, ...] = get_args(Sector)
PRODUCTION_KINDS: tuple[str, ...] = get_args(ProductionKind)

ROLE_LABELS = {
    "admin": "安委办管理员",
    "department_admin": "行业主管部门",
    "inspector": "检查人员",
    "evaluator": "评估人员",
    "enterprise_user": "企业用户",
    "viewer": "查看人员",
}
INDUSTRY_LABELS = {
    "coal": "煤矿",
    "non_coal_mine": "非煤矿山",
    "hazchem": "危险化学品",
    "fireworks": "烟花爆竹",
    "construction": "建筑施工",
    "fire": "消防",
    "road_transport": "道路运输",
    "industrial_trade": "工贸",
    "special_equipment": "特种设备",
    "other": "其他",
}
SCALE_LABELS = {"large_medium": "大中型", "small_micro": "小微型"}
RISK_LEVEL_LABELS = {"major": "重大风险（红）", "high": "较大风险（橙）", "moderate": "一般风险（黄）", "low": "低风险（蓝）"}
HIGH_RISK_FLAG_LABELS = {
    "metallurgy": "金属冶炼",
    "dust_explosion": "粉尘涉爆",
    "hazardous_process": "涉重点监管危险化工工艺",
    "confined_space": "有限空间作业",
    "labour_intensive": "劳动密集型",
    "factory_in_factory": "厂中厂",
    "ammonia_refrigeration": "涉氨制冷",
}
SECTOR_LABELS = {
    "metallurgy": "冶金",
    "nonferrous": "有色",
    "building_materials": "建材",
    "machinery": "机械",
    "light_industry": "轻工",
    "textile": "纺织",
    "tobacco": "烟草",
    "commerce": "商贸",
}
PRODUCTION_KIND_LABELS = {"production": "生产类", "storage": "仓储类", "other": "其他"}
