"""系统 (admin): users and scope, devices, plugins, jobs, the audit log, sync quarantine and conflicts."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
