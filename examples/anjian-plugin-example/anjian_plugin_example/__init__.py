"""An anjian plugin as a department or vendor would write it.

It contributes one declarative checklist (a YAML file beside this module) and one evaluator. It
imports nothing from anjian but the public hook marker; everything else is plain data and
plain Python.
"""

from __future__ import annotations

from pathlib import Path

from anjian_plugin_example.gas_test import ConfinedSpaceGasTest
from plugins.hookspecs import hookimpl

CHECKLIST_DIR = Path(__file__).parent / "checklists"


@hookimpl
def anjian_checklists() -> list[Path]:
    """The YAML definitions shipped in ``checklists/``."""
    return sorted(CHECKLIST_DIR.glob("*.yaml"))


@hookimpl
def anjian_evaluators() -> list[ConfinedSpaceGasTest]:
    """One evaluator: is the atmosphere of a confined space fit to enter?"""
    return [ConfinedSpaceGasTest()]
