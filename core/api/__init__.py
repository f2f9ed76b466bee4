"""HTTP controllers for the core records. ``ROUTES`` is what the app factory registers."""

from core.api.audit import AuditController
from core.api.auth import AuthController
from core.api.devices import DeviceController
from core.api.enterprises import EnterpriseController
from core.api.hazards import HazardController
from core.api.health import healthz
from core.api.regions import RegionController
from core.api.users import UserController

ROUTES = [healthz, AuthController, EnterpriseController, RegionController, UserController, DeviceController, AuditController, HazardController]
