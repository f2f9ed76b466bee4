"""How often each control is checked: by its level unless the control says otherwise.

The defaults are the seeds' (岗位 每班, 班组 每日, 车间 每周, 公司 每月); a control's own
``frequency`` overrides its level's.
"""

from __future__ import annotations

DEFAULT_FREQUENCIES = {"post": "per_shift", "team": "daily", "workshop": "weekly", "company": "monthly"}


def frequency_of(control: dict) -> tuple[str, bool]:
    """The control's check frequency and whether it is its level's default."""
    own = control.get("frequency")
    return (own, False) if own else (DEFAULT_FREQUENCIES[control["level"]], True)
