"""A realistic demo: one county (广汉市, 德阳市, 四川省) with grids, 240 enterprises, one user per role.

Deterministic (fixed seed) except the passwords, which are random and printed once.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from core.access.password_policy import weakness
from core.access.scope import Principal
from core.access.user_service import create_user
from core.access.users import User
from core.access.wire import UserIn
from core.bootstrap import prepare_database
from core.context import Context
from core.enterprises.records import Enterprise
from core.enterprises.service import create_in_session
from core.enterprises.uscc import ALPHABET, make_uscc
from core.enterprises.wire import EnterpriseIn
from core.regions.records import Grid, read_shipped_csv
from core.risk_register.demo import build_demo_registers
from core.risk_register.grading import RiskAssessor
from core.storage.audit_log import SYSTEM, append_audit

DEMO_COUNTY = "510681"
DEMO_ENTERPRISES = 240
_SYSTEM_ADMIN = Principal(user_id="system", username="system", role="admin")

_WORDS = ["金雁", "雒城", "三星", "鸭子河", "连山", "高坪", "向阳", "小汉", "金轮", "南丰", "金鱼", "三水", "汉州", "蜀汉", "天府", "广益", "兴隆", "和兴", "顺达", "宏远", "鑫源", "恒通", "瑞丰", "永安"]
_BY_INDUSTRY = {
    "hazchem": (["化工有限公司", "精细化工有限公司", "气体有限公司", "化学品经营有限公司", "石化加油站"], ["hazardous_process"]),
    "construction": (["建筑工程有限公司", "建设集团有限公司", "市政工程有限公司", "建筑劳务有限公司"], []),
    "fire": (["商贸城", "大酒店有限公司", "购物广场有限公司", "养老院", "KTV娱乐有限公司"], ["labour_intensive"]),
    "road_transport": (["汽车运输有限公司", "客运有限公司", "物流有限公司", "危险货物运输有限公司"], []),
    "industrial_trade": (["机械制造有限公司", "食品有限公司", "铝制品有限公司", "木业有限公司", "金属制品有限公司"], ["dust_explosion", "confined_space", "metallurgy"]),
    "coal": (["煤业有限公司"], []),
}
# 工贸 sectors by the name's suffix (《工贸企业重大事故隐患判定标准》 第四条–第十一条).
_TRADE_SECTORS = {
    "机械制造有限公司": ["machinery"], "食品有限公司": ["light_industry"], "铝制品有限公司": ["nonferrous"],
    "木业有限公司": ["light_industry"], "金属制品有限公司": ["machinery"],
}
_SMELTERS = ("铝制品有限公司", "金属制品有限公司")  # the only ones with 金属冶炼
_PEOPLE = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨军", "赵磊", "黄丽", "周涛", "吴敏", "徐强", "孙燕", "胡斌", "朱琳", "高峰", "林霞"]
_ROLES = [
    ("admin", "admin", None, []),
    ("dept_hazchem", "department_admin", DEMO_COUNTY, ["hazchem"]),
    ("inspector", "inspector", DEMO_COUNTY, ["hazchem", "fire", "industrial_trade"]),
    ("evaluator", "evaluator", DEMO_COUNTY, []),
    ("enterprise", "enterprise_user", None, []),
    ("viewer", "viewer", "510600", []),
]


def new_password() -> str:
    """A random password that meets the password policy (16 URL-safe characters; the rare draw of
    a single kind of character is drawn again)."""
    while True:
        candidate = secrets.token_urlsafe(12)
        if weakness(candidate) is None:
            return candidate


@dataclass
class DemoResult:
    """What the demo created, and the new users' passwords (shown once)."""

    enterprises: int
    grids: int
    credentials: list[tuple[str, str, str]]
    skipped_users: list[str]
    registers: int = 0  # 工贸 enterprises given a demo risk register (needs the plugins' assessor)


def _trade_facts(seed: int, index: int, suffix: str, scale: str, flags: list[str]) -> dict[str, Any]:
    """A 工贸 enterprise's sectors, 生产/仓储, safety office and staff, and its flags: 金属冶炼 only
    for a smelter, 涉氨制冷 for some food plants (each a 冷库, counted 仓储类). Drawn from a
    generator of their own, so every other field of the demo is what it was before these facts."""
    rng = random.Random(f"{seed}-trade-{index}")
    cold = suffix == "食品有限公司" and rng.random() < 0.5
    large = scale == "large_medium"
    return {
        "sectors": _TRADE_SECTORS[suffix],
        "production_kind": "storage" if cold else "production",
        "high_risk_flags": sorted({*(f for f in flags if f != "metallurgy" or suffix in _SMELTERS), *(["ammonia_refrigeration"] if cold else [])}),
        "safety_office": large or rng.random() < 0.3,
        "safety_staff_full_time": rng.randint(1, 4) if large else rng.choice([0, 0, 1]),
        "safety_staff_part_time": rng.randint(0, 6),
    }


def _enterprise(rng: random.Random, index: int, grids: list[Grid], seed: int = 2026) -> EnterpriseIn:
    industry = rng.choices(list(_BY_INDUSTRY), weights=[6, 5, 5, 4, 8, 1])[0]
    suffixes, flags = _BY_INDUSTRY[industry]
    industries = [industry] + (["fire"] if industry in ("hazchem", "industrial_trade") and rng.random() < 0.3 else [])
    grid = grids[index % len(grids)] if grids else None
    subject = "".join(rng.choice(ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    name = f"广汉市{rng.choice(_WORDS)}{rng.choice(_WORDS)}"
    suffix = rng.choice(suffixes)
    scale = "large_medium" if rng.random() < 0.2 else "small_micro"
    chosen = [f for f in flags if rng.random() < 0.4]
    facts = _trade_facts(seed, index, suffix, scale, chosen) if industry == "industrial_trade" else {"high_risk_flags": chosen}
    return EnterpriseIn(
        name=f"{name}{suffix}",
        uscc=make_uscc("9", "1", DEMO_COUNTY, subject),
        region_code=DEMO_COUNTY,
        grid_code=grid.code if grid else None,
        industries=industries,
        scale=scale,
        risk_level=rng.choices(["major", "high", "moderate", "low"], weights=[1, 3, 8, 12])[0],
        legal_representative=rng.choice(_PEOPLE),
        safety_manager=rng.choice(_PEOPLE),
        safety_manager_phone=f"138{rng.randrange(10**8):08d}",
        address=f"四川省德阳市广汉市{grid.township if grid else ''}{rng.choice(_WORDS)}路{rng.randrange(1, 300)}号",
        longitude=round(104.28 + rng.uniform(-0.12, 0.12), 6),
        latitude=round(30.98 + rng.uniform(-0.1, 0.1), 6),
        blacklisted=rng.random() < 0.02,
        **facts,
    )


async def _ensure_grids(ctx: Context) -> list[Grid]:
    async with ctx.db.write() as session:
        existing = {g.code: g for g in (await session.exec(select(Grid).where(Grid.region_code == DEMO_COUNTY))).all()}
        for index, row in enumerate(read_shipped_csv(f"demo_grids_{DEMO_COUNTY}.csv"), start=1):
            code = f"{DEMO_COUNTY}-{index:03d}"
            if code in existing:
                continue
            grid = Grid(code=code, region_code=row["region_code"], township=row["township"], name=row["grid_name"], responsible_person=_PEOPLE[index % len(_PEOPLE)], responsible_phone=f"139{index:08d}")
            session.add(grid)
            existing[code] = grid
            await session.flush()
            await append_audit(session, actor=SYSTEM, action="grid_created", entity="grid", entity_id=code, at=ctx.clock.now(), after={"name": grid.name})
    return sorted(existing.values(), key=lambda g: g.code)


async def build_demo(ctx: Context, *, enterprises: int = DEMO_ENTERPRISES, seed: int = 2026, assessor: RiskAssessor | None = None) -> DemoResult:
    """Fill the database with the demo (idempotent: existing records and users are kept); with an
    ``assessor`` (the plugins' LEC/LS, handed in by the CLI) a few 工贸 enterprises get a register."""
    await prepare_database(ctx.db)
    grids = await _ensure_grids(ctx)
    rng = random.Random(seed)
    created = 0
    for index in range(enterprises):
        data = _enterprise(rng, index, grids, seed)
        async with ctx.db.write() as session:
            if (await session.exec(select(Enterprise.id).where(Enterprise.uscc == data.uscc))).first():
                continue
            await create_in_session(session, ctx, _SYSTEM_ADMIN, data)
            created += 1
    async with ctx.db.read() as session:
        first = (await session.exec(select(Enterprise).where(Enterprise.region_code == DEMO_COUNTY).order_by(Enterprise.uscc).limit(1))).first()
        taken = set((await session.exec(select(User.username))).all())
    credentials, skipped = [], []
    for username, role, region, industries in _ROLES:
        if username in taken:
            skipped.append(username)
            continue
        password = new_password()
        await create_user(
            ctx,
            SYSTEM,
            UserIn(username=username, password=password, role=role, region_code=region, industries=industries, enterprise_id=first.id if role == "enterprise_user" and first else None, display_name=f"演示{role}"),
        )
        credentials.append((username, role, password))
    registers = 0
    if assessor is not None:
        async with ctx.db.read() as session:
            inspector = (await session.exec(select(User.id).where(User.username == "inspector"))).first()
        registers = await build_demo_registers(ctx, assessor, _SYSTEM_ADMIN, inspector)
    return DemoResult(enterprises=created, grids=len(grids), credentials=credentials, skipped_users=skipped, registers=registers)
