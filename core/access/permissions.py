"""What each role may do (DESIGN.md, "People and what they may do").

Role checks answer 403; scope checks (``core.access.scope``) answer 404. Both run on every request.
"""

from __future__ import annotations

from core.errors import Forbidden
from core.vocabulary import ROLE_LABELS

ALL_ROLES = frozenset(ROLE_LABELS)
_STAFF = frozenset({"admin", "department_admin", "inspector", "evaluator", "viewer"})

PERMISSIONS: dict[str, frozenset[str]] = {
    "enterprise.read": ALL_ROLES,
    "enterprise.write": frozenset({"admin", "department_admin"}),
    "enterprise.import": frozenset({"admin", "department_admin"}),
    "enterprise.override_uscc": frozenset({"admin"}),
    "region.read": ALL_ROLES,
    "grid.write": frozenset({"admin"}),
    "user.manage": frozenset({"admin"}),
    "device.manage": frozenset({"admin"}),
    "audit.read": frozenset({"admin"}),
    "audit.anchor": frozenset({"admin"}),
    "staff.read": _STAFF,
    "checklist.publish": frozenset({"admin", "department_admin"}),
    "plugin.read": frozenset({"admin", "department_admin"}),
    "evaluation.run": frozenset({"admin", "department_admin", "evaluator"}),
    "evaluation.read": frozenset({"admin", "department_admin", "evaluator", "viewer", "inspector", "enterprise_user"}),
    # 自评估: an enterprise scores itself against the standard for its scale (only enterprise standards).
    "evaluation.self_assess": frozenset({"enterprise_user"}),
    "enterprise.set_risk_level": frozenset({"admin", "department_admin", "evaluator"}),
    "sync.push": frozenset({"admin", "inspector", "enterprise_user"}),
    "sync.pull": ALL_ROLES,
    "sync.review": frozenset({"admin"}),
    "hazard.read": ALL_ROLES,
    "inspection.read": _STAFF,
    "plan.read": _STAFF,
    "plan.write": frozenset({"admin", "department_admin"}),
    "random_draw.run": frozenset({"admin", "department_admin"}),
    "inspector_tie.write": frozenset({"admin", "department_admin"}),
    "report.read": _STAFF,
    # 风险清单: the enterprise builds its own register; its supervisors may help and read it.
    "risk_register.read": ALL_ROLES,
    "risk_register.write": frozenset({"admin", "department_admin", "enterprise_user"}),
    # 双重预防 progress and 评估报告: the enterprise submits, its 联络员 (an inspector) reviews.
    "dual_prevention.read": frozenset({"admin", "department_admin", "inspector", "evaluator", "viewer", "enterprise_user"}),
    "dual_prevention.report_submit": frozenset({"admin", "enterprise_user"}),
    "dual_prevention.report_review": frozenset({"admin", "inspector"}),
    "report.rebuild": frozenset({"admin"}),
    "notification.read": ALL_ROLES,
    "job.run": frozenset({"admin"}),
    # 行政处罚 cases: officers handle them, industry departments follow them; enterprises see only
    # the decision (a document), not the case file being built against them.
    "penalty.read": frozenset({"admin", "department_admin", "inspector"}),
    "penalty.manage": frozenset({"admin", "inspector"}),
    # 执法文书: officers issue, void and sign them for enterprises in their scope; whoever sees an
    # enterprise reads its documents (its own enterprise's users too: they were served them). The
    # 电子案卷 holds audit entries and the full record, so it stays with enforcement staff.
    "document.read": ALL_ROLES,
    "document.issue": frozenset({"admin", "inspector"}),
    "document.void": frozenset({"admin", "inspector"}),
    "document.authority": frozenset({"admin"}),
    "case_file.export": frozenset({"admin", "department_admin", "inspector"}),
}


def allowed(role: str, action: str) -> bool:
    """Whether ``role`` may take ``action`` (unknown actions are never allowed)."""
    return role in PERMISSIONS.get(action, frozenset())


def require(role: str, action: str) -> None:
    """Raise 403 unless ``role`` may take ``action``."""
    if not allowed(role, action):
        raise Forbidden(
            f"role {role!r} may not perform {action!r}",
            f"角色“{ROLE_LABELS.get(role, role)}”无权执行此操作（{action}）",
        )
