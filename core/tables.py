"""Imports every core table module so ``SQLModel.metadata`` knows them (migrations, tests)."""

from core import audit, changes, devices, enterprises, regions, sessions, users  # noqa: F401
from core import hazards  # noqa: F401
