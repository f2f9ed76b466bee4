"""The hazard tests' world and settings, shared with the reports tests (they build on the same records)."""

from tests.core.hazards.conftest import settings, world  # noqa: F401
