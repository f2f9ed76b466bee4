"""Imports every core table module so ``SQLModel.metadata`` knows them (migrations, tests)."""

from core.access import devices, login_counters, sessions, users  # noqa: F401
from core.audit import anchors  # noqa: F401
from core.dual_prevention import records as dual_prevention  # noqa: F401
from core.enterprises import records as enterprises  # noqa: F401
from core.evaluations import records as evaluations  # noqa: F401
from core.hazards import records as hazards  # noqa: F401
from core.inspections import records as inspections  # noqa: F401
from core.notifications import notices  # noqa: F401
from core.plans import assignments, inspector_ties, random_draws  # noqa: F401
from core.plans import records as plans  # noqa: F401
from core.regions import records as regions  # noqa: F401
from core.reports import snapshots  # noqa: F401
from core.risk_register import plant_plan  # noqa: F401
from core.risk_register import records as risk_register  # noqa: F401
from core.safety_codes import records as safety_codes  # noqa: F401
from core.scheduler import runs  # noqa: F401
from core.self_checks import records as self_checks  # noqa: F401
from core.storage import audit_log, changes  # noqa: F401
