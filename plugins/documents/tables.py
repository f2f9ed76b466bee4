"""Imports every documents table module so ``SQLModel.metadata`` knows them (migrations, tests)."""

from plugins.documents import authorities, numbering, records  # noqa: F401
from plugins.documents.penalties import records as penalties  # noqa: F401
