"""Imports every core table module so ``SQLModel.metadata`` knows them (migrations, tests)."""

from core import audit, changes, devices, enterprises, evaluations, regions, sessions, users  # noqa: F401
from core import hazards  # noqa: F401
from core import assignments, inspections, inspector_ties, job_runs, notifications, plans, random_draws, report_snapshots  # noqa: F401
