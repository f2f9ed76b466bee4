// The hazard lifecycle as the tablet needs it: the steps (a copy of core/hazards/rules.py's
// table, which the server enforces anyway) and a hazard's state with this tablet's unsent steps
// laid over the pulled one, so further offline steps build on it.
import { PENDING } from '../store/user-store.js';

const OFFICERS = ['admin', 'department_admin', 'inspector'];

export const STEPS = [
  { action: 'order_rectification', from: 'reported', to: 'rectifying', roles: OFFICERS, label: '下达限期整改' },
  { action: 'report_rectified', from: 'rectifying', to: 'awaiting_recheck', roles: [...OFFICERS, 'enterprise_user'], label: '报告整改完成' },
  { action: 'recheck_passed', from: 'awaiting_recheck', to: 'closed', roles: OFFICERS, label: '复查合格销号' },
  { action: 'recheck_failed', from: 'awaiting_recheck', to: 'rectifying', roles: OFFICERS, label: '复查不合格，重新限期整改' },
  { action: 'extend_deadline', from: 'rectifying', to: 'rectifying', roles: ['admin', 'department_admin'], label: '延长整改期限' },
];

export const stepByAction = (action) => STEPS.find((s) => s.action === action);

/** The steps ``role`` may take from ``status``. */
export const allowedSteps = (status, role) => STEPS.filter((s) => s.from === status && s.roles.includes(role));

/** Which step a transition body is, seen from ``status`` (null: it does not fit that status). */
export function stepOf(status, transition) {
  if (status === 'awaiting_recheck' && transition.to_status === 'rectifying') return stepByAction('recheck_failed');
  return STEPS.find((s) => s.from === status && s.to === transition.to_status) || null;
}

/** The transition body of a step (docs/sync.md ``hazard_update``). */
export function transitionFor(action, form) {
  const step = stepByAction(action);
  const t = { to_status: step.to };
  if (form.reason?.trim()) t.reason = form.reason.trim();
  if (form.deadline) t.deadline = form.deadline;
  if (form.responsible_person?.trim()) t.responsible_person = form.responsible_person.trim();
  if (form.rectification_plan?.trim()) t.rectification_plan = form.rectification_plan.trim();
  if ((form.evidence || []).length) t.evidence = [...form.evidence];
  if (action === 'recheck_passed') t.recheck_passed = true;
  if (action === 'recheck_failed') t.recheck_passed = false;
  return t;
}

/** What a step needs before it can be queued (the lifecycle's rules, in Chinese). */
export function stepProblems(action, form, hazard, now = new Date()) {
  const out = [];
  const needsDeadline = ['order_rectification', 'recheck_failed', 'extend_deadline'].includes(action);
  if (needsDeadline) {
    if (!form.deadline) out.push({ field: 'deadline', message: '请选择整改期限' });
    else if (new Date(form.deadline) <= now) out.push({ field: 'deadline', message: '整改期限必须晚于当前时间' });
  }
  if (action === 'order_rectification') {
    if (!form.responsible_person?.trim()) out.push({ field: 'responsible_person', message: '请填写整改责任人' });
    if (hazard.level === 'major' && !form.rectification_plan?.trim()) out.push({ field: 'rectification_plan', message: '重大隐患须填写整改方案' });
  }
  if (action === 'report_rectified' && !(form.evidence || []).length) out.push({ field: 'evidence', message: '请拍摄整改完成的照片' });
  if ((action === 'recheck_failed' || action === 'extend_deadline') && !form.reason?.trim()) out.push({ field: 'reason', message: '请填写原因' });
  return out;
}

/** The end of a local calendar day as an ISO time with this tablet's offset. */
export function endOfDay(dateText) {
  const [y, m, d] = dateText.split('-').map(Number);
  const local = new Date(y, m - 1, d, 23, 59, 59);
  const offset = -local.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n) => String(Math.abs(n)).padStart(2, '0');
  return `${dateText}T23:59:59${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/**
 * The hazard as this tablet sees it: the pulled state plus its unsent steps, in order. Each
 * step moves the status and the version one on, as the server will (``pending`` counts them).
 */
export function effectiveHazard(hazard, outbox) {
  const steps = outbox
    .filter((e) => e.kind === 'hazard_update' && e.record.hazard_id === hazard.id && PENDING.includes(e.state))
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
  let h = { ...hazard, pending: 0 };
  for (const step of steps) {
    const t = step.record.transition;
    h = {
      ...h, status: t.to_status, version: h.version + 1, pending: h.pending + 1,
      deadline: t.deadline ?? h.deadline, responsible_person: t.responsible_person ?? h.responsible_person,
      rectification_plan: t.rectification_plan ?? h.rectification_plan,
    };
  }
  return h;
}

/** Days until the deadline (negative: overdue), by the tablet's clock. */
export function daysLeft(deadline, now = new Date()) {
  if (!deadline) return null;
  return Math.ceil((new Date(deadline) - now) / 86400000);
}
