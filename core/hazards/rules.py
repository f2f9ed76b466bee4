"""The hazard lifecycle as data: which step leads from which status to which, and who may take it.

This table is the one place the state machine is defined; the service, the API's "allowed" lists
and the tests all read it.

    reported ──order_rectification──▶ rectifying ──report_rectified──▶ awaiting_recheck
                                      ▲   │ extend_deadline (same status)      │
                                      │   └────────────────────────────────────┤
                                      └─────────────recheck_failed─────────────┤
                                                                 recheck_passed ▼
                                                                             closed

Roles (DESIGN.md): inspectors order rectification and recheck; an enterprise user reports its own
enterprise's rectification (inspectors and department admins may record it on the enterprise's
behalf, with the same evidence); only a department admin (or admin) extends a deadline; a
department admin may otherwise do what inspectors do within its industries (scope decides that);
evaluators and viewers only read. Creating a hazard is the ``hazard.create`` permission.
"""

from __future__ import annotations

from dataclasses import dataclass

_OFFICERS = frozenset({"admin", "department_admin", "inspector"})


@dataclass(frozen=True)
class Step:
    """One allowed move of the state machine."""

    action: str
    from_status: str
    to_status: str
    roles: frozenset[str]
    label_zh: str


STEPS: tuple[Step, ...] = (
    Step("order_rectification", "reported", "rectifying", _OFFICERS, "下达限期整改"),
    Step("report_rectified", "rectifying", "awaiting_recheck", _OFFICERS | {"enterprise_user"}, "报告整改完成"),
    Step("recheck_passed", "awaiting_recheck", "closed", _OFFICERS, "复查合格销号"),
    Step("recheck_failed", "awaiting_recheck", "rectifying", _OFFICERS, "复查不合格，重新限期整改"),
    Step("extend_deadline", "rectifying", "rectifying", frozenset({"admin", "department_admin"}), "延长整改期限"),
)

CREATE_ROLES = _OFFICERS | {"enterprise_user"}


def step_for(from_status: str, to_status: str) -> Step | None:
    """The step from one status to another, if the state machine has one."""
    for step in STEPS:
        if step.from_status == from_status and step.to_status == to_status:
            return step
    return None


def allowed_steps(from_status: str, role: str) -> list[Step]:
    """Steps ``role`` may take from ``from_status`` (what a 409 lists as allowed)."""
    return [s for s in STEPS if s.from_status == from_status and role in s.roles]
