"""HTTP controllers for the core records. ``ROUTES`` is what the app factory registers."""

from core.api.audit import AuditController
from core.api.auth import AuthController
from core.api.devices import DeviceController
from core.api.enterprises import EnterpriseController
from core.api.hazards import HazardController
from core.api.health import healthz
from core.api.inspections import InspectionController
from core.api.jobs import JobController
from core.api.notifications import NotificationController
from core.api.plans import AssignmentController, InspectorTieController, PlanController, RandomDrawController
from core.api.regions import RegionController
from core.api.reports import ReportController
from core.api.users import UserController

ROUTES = [healthz, AuthController, EnterpriseController, RegionController, UserController, DeviceController, AuditController]
ROUTES += [HazardController, InspectionController, PlanController, AssignmentController, RandomDrawController, InspectorTieController]
ROUTES += [NotificationController, ReportController, JobController]
