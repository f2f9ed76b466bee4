"""The console matrix's entries for the documents area (see matrix_kit.py)."""

from __future__ import annotations

from tests.web.console.matrix_kit import ConsoleEntry

ENTRIES: list[ConsoleEntry] = []
