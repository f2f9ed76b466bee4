"""The demo's risk registers: a few 工贸 enterprises with the points a machinery or light-industry
plant really has (dust extraction, presses, forklifts, switch room, a sewage pit, a warehouse),
graded, controlled at every level and placed on an imagined plan, with the demo inspector as
their 联络员 — so a newcomer sees the register, the 四色分布图, the 告知卡 and the 安全码 at once."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlmodel import col, select

from core.access.scope import Principal
from core.context import Context
from core.enterprises.records import Enterprise, EnterpriseIndustry
from core.enterprises.service import update_in_session
from core.enterprises.wire import EnterprisePatch
from core.risk_register.grading import RiskAssessor
from core.risk_register.records import RiskPoint
from core.risk_register.service import create_point
from core.risk_register.wire import RiskPointIn

DEMO_REGISTERS = 3


def _control(kind: str, text: str, level: str, post: str, person: str) -> dict[str, str]:
    return {"kind": kind, "text": text, "level": level, "responsible_post": post, "responsible_person": person}


POINTS: list[dict[str, Any]] = [
    {"name": "抛光打磨除尘系统", "kind": "facility", "location": "2号车间东侧", "posts": ["除尘工", "抛光工"], "hazard_factors": ["21", "2201"],
     "accident_types": ["other_explosion", "fire"], "assessment": {"method": "lec", "inputs": {"l": 3, "e": 6, "c": 40}}, "plan_x": 0.72, "plan_y": 0.35,
     "controls": [_control("engineering", "除尘器设置泄爆装置、隔爆阀和火花探测自动熄灭装置", "company", "设备科", "刘工"),
                  _control("management", "每班清扫作业场所和管道积尘并记录", "post", "除尘工", "陈师傅"),
                  _control("training", "粉尘防爆专项培训每年不少于一次", "workshop", "安全科", "王安全"),
                  _control("emergency", "发生燃爆立即停机断电、撤离人员并报告，禁止用水扑救铝镁粉尘火灾", "team", "班长", "赵班长")],
     "emergency_contact": "应急值班电话 0838-5551100"},
    {"name": "冲压作业", "kind": "operation", "location": "1号车间", "posts": ["冲压工"], "hazard_factors": ["12", "21"],
     "accident_types": ["machinery"], "assessment": {"method": "lec", "inputs": {"l": 3, "e": 6, "c": 7}}, "plan_x": 0.25, "plan_y": 0.4,
     "controls": [_control("engineering", "冲床安装光电保护装置和双手操作按钮", "team", "班长", "赵班长"),
                  _control("ppe", "佩戴防护手套和耳塞", "post", "冲压工", "孙师傅")]},
    {"name": "叉车装卸作业", "kind": "operation", "location": "成品仓库装卸区", "posts": ["叉车司机"], "hazard_factors": ["12", "32"],
     "accident_types": ["vehicle", "struck_by_object"], "assessment": {"method": "ls", "inputs": {"l": 3, "s": 4}}, "plan_x": 0.5, "plan_y": 0.78,
     "controls": [_control("management", "叉车司机持证上岗，作业区限速 5 km/h 并划定人车分流通道", "workshop", "物流部", "周主管"),
                  _control("management", "班前检查制动、喇叭和灯光并记录", "post", "叉车司机", "吴师傅")]},
    {"name": "低压配电室", "kind": "place", "location": "动力站", "posts": ["电工"], "hazard_factors": ["21"],
     "accident_types": ["electric_shock", "fire"], "assessment": {"method": "lec", "inputs": {"l": 1, "e": 6, "c": 15}}, "plan_x": 0.1, "plan_y": 0.15,
     "controls": [_control("management", "执行工作票、操作票制度，停电挂牌上锁", "team", "电工班", "郑电工"),
                  _control("ppe", "使用绝缘手套、绝缘靴", "post", "电工", "郑电工")]},
    {"name": "污水处理池（有限空间）", "kind": "place", "location": "厂区西北角", "posts": ["污水处理工"], "hazard_factors": ["22", "33"],
     "accident_types": ["poisoning_asphyxiation", "drowning"], "assessment": {"method": "lec", "inputs": {"l": 1, "e": 3, "c": 40}}, "plan_x": 0.08, "plan_y": 0.85,
     "controls": [_control("management", "进入前办理有限空间作业审批，先通风、再检测、后作业，设专人监护", "workshop", "安全科", "王安全"),
                  _control("emergency", "配备正压式空气呼吸器和三脚架，禁止盲目施救", "team", "班长", "赵班长")]},
    {"name": "原料仓库", "kind": "place", "location": "3号库房", "posts": ["仓管员"], "hazard_factors": ["21", "43"],
     "accident_types": ["fire"], "assessment": {"method": "ls", "inputs": {"l": 1, "s": 3}}, "plan_x": 0.88, "plan_y": 0.8,
     "controls": [_control("management", "每日巡查消防器材和通道，严禁烟火", "post", "仓管员", "钱仓管")]},
]


async def build_demo_registers(ctx: Context, assessor: RiskAssessor, admin: Principal, liaison_user_id: str | None) -> int:
    """Registers for the first 工贸 enterprises of the demo that have none yet; how many were made."""
    async with ctx.db.read() as session:
        trade = select(EnterpriseIndustry.enterprise_id).where(col(EnterpriseIndustry.industry) == "industrial_trade")
        firms = list((await session.exec(select(Enterprise).where(col(Enterprise.id).in_(trade)).order_by(col(Enterprise.uscc)).limit(DEMO_REGISTERS))).all())
        built = set((await session.exec(select(RiskPoint.enterprise_id).where(col(RiskPoint.enterprise_id).in_([f.id for f in firms])))).all())
    made = 0
    for firm in firms:
        if firm.id in built:
            continue
        for data in POINTS:
            await create_point(ctx, admin, assessor, firm.id, msgspec.convert({**data, "reason": "演示数据：初次辨识"}, RiskPointIn))
        if liaison_user_id and firm.liaison_user_id is None:  # through the service: checked and audited
            async with ctx.db.write() as session:
                await update_in_session(session, ctx, admin, firm.id, EnterprisePatch(liaison_user_id=liaison_user_id))
        made += 1
    return made
