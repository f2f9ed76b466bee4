"""Imports every core table module so ``SQLModel.metadata`` knows them (migrations, tests)."""

from core import audit, changes, devices, enterprises, evaluations, regions, sessions, users  # noqa: F401
