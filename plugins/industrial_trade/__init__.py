"""Built-in industry plugin: 工贸 (`industrial_trade`) checklists.

One checklist per article of 《工贸企业重大事故隐患判定标准》（应急管理部令第10号）: 第三条 (management)
for every 工贸 enterprise, one per sector article (narrowed by ``applies_to.sectors``) and one per
special article (粉尘爆炸, 液氨制冷, 有限空间; narrowed by ``applies_to.high_risk_flags``), so an
enterprise sees exactly the items of its sectors and special types. Written exactly as a
third-party plugin would be: public hookspecs and YAML definitions in ``checklists/``.
"""

from __future__ import annotations

from pathlib import Path

from plugins.hookspecs import hookimpl

CHECKLIST_DIR = Path(__file__).parent / "checklists"


@hookimpl
def anjian_checklists() -> list[Path]:
    """Every ``*.yaml`` definition in this package's ``checklists/`` folder, in name order."""
    return sorted(CHECKLIST_DIR.glob("*.yaml"))
