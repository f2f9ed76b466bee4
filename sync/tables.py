"""Imports every sync table module so ``SQLModel.metadata`` knows them (migrations, tests)."""

from sync import conflict_table, ledger, quarantine_table, submissions  # noqa: F401
