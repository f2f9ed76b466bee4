"""Built-in industry plugin: 煤矿 (`coal`) checklists.

Written exactly as a third-party plugin would be: it uses only the public hookspecs and ships its
checklist definitions as YAML files in ``checklists/`` beside this module.
"""

from __future__ import annotations

from pathlib import Path

from plugins.hookspecs import hookimpl

CHECKLIST_DIR = Path(__file__).parent / "checklists"


@hookimpl
def anjian_checklists() -> list[Path]:
    """Every ``*.yaml`` definition in this package's ``checklists/`` folder, in name order."""
    return sorted(CHECKLIST_DIR.glob("*.yaml"))
