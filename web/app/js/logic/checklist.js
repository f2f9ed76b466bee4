// The checklist rules the server applies (docs/sync.md "Push", sync/push/submission_ingest.py),
// checked on the tablet first so an inspector fixes a problem on site, not days later.

const SEMVER = (v) => v.split('.').map(Number);

function newer(a, b) {
  const [x, y] = [SEMVER(a), SEMVER(b)];
  for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return x[i] > y[i];
  return false;
}

/** The latest pulled version of each checklist that fits the enterprise (industry, scale, flags, sectors, own lists). */
export function applicableChecklists(versions, enterprise) {
  const latest = new Map();
  for (const v of versions) {
    const c = v.content;
    // A ``general`` checklist (通用, e.g. basic fire safety) fits every enterprise.
    if (!c || !(c.general || (enterprise.industries || []).includes(c.industry))) continue;
    const scales = c.applies_to?.scales || [];
    if (scales.length && !scales.includes(enterprise.scale)) continue;
    const flags = c.applies_to?.high_risk_flags || [];
    if (flags.length && !flags.some((f) => (enterprise.high_risk_flags || []).includes(f))) continue;
    // 工贸行业类别 (冶金, 有色 …): a sector checklist fits only an enterprise of one of its sectors.
    const sectors = c.applies_to?.sectors || [];
    if (sectors.length && !sectors.some((s) => (enterprise.sectors || []).includes(s))) continue;
    // 隐患排查清单 generated from an enterprise's own risk register: offered for that enterprise only.
    const owners = c.applies_to?.enterprises || [];
    if (owners.length && !owners.includes(enterprise.id)) continue;
    const known = latest.get(v.checklist_id);
    if (!known || newer(v.version, known.version)) latest.set(v.checklist_id, v);
  }
  return [...latest.values()].sort((a, b) => a.title.localeCompare(b.title, 'zh'));
}

export const items = (content) => content.sections.flatMap((s) => s.items);
export const kindOf = (item) => item.answer?.kind || 'pass_fail';
export const allowNa = (item) => item.answer?.allow_na !== false;
export const isRequired = (item) => item.required !== false;

/** A number typed on the tablet, or null. */
export function parseNumber(value) {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).trim().replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

export function outOfRange(item, value) {
  const a = item.answer || {};
  return value !== null && ((a.min !== undefined && a.min !== null && value < a.min) || (a.max !== undefined && a.max !== null && value > a.max));
}

/** The range of a number item in words, e.g. "19.5～21 %" or "≥ 30 天". */
export function rangeText(item) {
  const a = item.answer || {};
  const unit = a.unit ? ` ${a.unit}` : '';
  const has = (x) => x !== undefined && x !== null;
  if (has(a.min) && has(a.max)) return `合格范围 ${a.min}～${a.max}${unit}`;
  if (has(a.min)) return `合格范围 ≥ ${a.min}${unit}`;
  if (has(a.max)) return `合格范围 ≤ ${a.max}${unit}`;
  return unit ? `单位：${a.unit}` : '';
}

/** Whether an answer counts as answered (the server's "every required item is answered"). */
export function isAnswered(item, answer) {
  if (!answer) return false;
  if (answer.result === 'na') return true;
  switch (kindOf(item)) {
    case 'pass_fail': return answer.result === 'pass' || answer.result === 'fail';
    case 'number': return parseNumber(answer.value) !== null;
    case 'text': return typeof answer.value === 'string' && answer.value.trim() !== '';
    case 'photo': return (answer.photos || []).length > 0;
    default: return false;
  }
}

/** Whether the item failed (a failed item makes a hazard). */
export function isFailed(item, answer) {
  if (!answer || answer.result === 'na') return false;
  switch (kindOf(item)) {
    case 'pass_fail': return answer.result === 'fail';
    case 'number': return outOfRange(item, parseNumber(answer.value)) || answer.result === 'fail';
    case 'photo': return answer.result === 'fail';
    default: return false;
  }
}

/** What keeps a draft from being finished: ``[{code, field, message}]`` in checklist order. */
export function problems(draft, content) {
  const out = [];
  for (const item of items(content)) {
    const answer = draft.answers[item.code];
    const kind = kindOf(item);
    const add = (field, message) => out.push({ code: item.code, field, message: `${item.code}：${message}` });
    if (!isAnswered(item, answer)) {
      if (answer && kind === 'number' && answer.value !== '' && answer.value !== undefined && answer.value !== null) add('value', '请填写有效的数值');
      else if (isRequired(item)) add('answer', kind === 'photo' ? '必答项，须拍照' : '必答项尚未作答');
      continue;
    }
    if (answer.result === 'na') continue;
    if (item.photo_required && !(answer.photos || []).length) add('photos', '此项须附现场照片');
    if (isFailed(item, answer)) {
      const hazard = draft.hazards[item.code];
      if (!hazard || !hazard.description?.trim()) add('hazard.description', '不合格项须填写隐患描述');
      else if (hazardLevel(item, hazard) === 'major' && !hazard.rectification_plan?.trim()) add('hazard.rectification_plan', '重大隐患须填写整改方案');
    }
  }
  for (const role of ['inspector', 'enterprise']) {
    const s = draft.signatures?.[role];
    if (role === 'enterprise' && draft.enterprise_refused) continue;
    if (!s?.sha256) out.push({ code: null, field: `signature.${role}`, message: role === 'inspector' ? '检查人员尚未签名' : '企业负责人/代表尚未签名（或勾选“拒绝签字”）' });
    else if (!s.name?.trim()) out.push({ code: null, field: `signature.${role}`, message: role === 'inspector' ? '请填写检查人员姓名' : '请填写企业负责人/代表姓名' });
  }
  return out;
}

export const hazardLevel = (item, hazard) => (item.major_hazard ? 'major' : hazard?.level === 'major' ? 'major' : 'general');

/** How far a draft is: answered and failed item counts. */
export function progress(draft, content) {
  let answered = 0;
  let failed = 0;
  const all = items(content);
  for (const item of all) {
    const answer = draft.answers[item.code];
    if (isAnswered(item, answer)) answered += 1;
    if (isFailed(item, answer)) failed += 1;
  }
  return { answered, failed, total: all.length };
}

const trimmed = (s) => (typeof s === 'string' ? s.trim() : '');

/** The ``submission`` record of a finished draft (docs/sync.md), fields at their defaults left out. */
export function submissionRecord(draft, checklist, finishedAt) {
  const content = checklist.content;
  const answers = {};
  const hazards = [];
  for (const item of items(content)) {
    const a = draft.answers[item.code];
    if (!isAnswered(item, a)) continue;
    const out = {};
    const kind = kindOf(item);
    if (a.result === 'na') out.result = 'na';
    else if (kind === 'pass_fail') out.result = a.result;
    else if (kind === 'number') {
      out.value = parseNumber(a.value);
      if (a.result === 'fail') out.result = 'fail';
    } else if (kind === 'text') out.value = a.value.trim();
    else if (kind === 'photo' && a.result) out.result = a.result;
    if (trimmed(a.note)) out.note = trimmed(a.note);
    if (a.result !== 'na' && (a.photos || []).length) out.photos = [...a.photos];
    answers[item.code] = out;
    if (isFailed(item, a)) {
      const h = draft.hazards[item.code];
      const hazard = { id: h.id, description: trimmed(h.description), item_code: item.code, level: hazardLevel(item, h), found_at: h.found_at || finishedAt };
      if (trimmed(h.location)) hazard.location = trimmed(h.location);
      if (trimmed(h.responsible_person)) hazard.responsible_person = trimmed(h.responsible_person);
      if (trimmed(h.rectification_plan)) hazard.rectification_plan = trimmed(h.rectification_plan);
      if ((h.evidence || []).length) hazard.evidence = [...h.evidence];
      hazards.push(hazard);
    }
  }
  const record = {
    kind: 'submission', id: draft.id, enterprise_id: draft.enterprise_id,
    checklist_id: checklist.checklist_id, checklist_version: checklist.version, checklist_hash: checklist.content_hash,
    started_at: draft.started_at, finished_at: finishedAt, answers,
  };
  if (draft.gps) record.gps = draft.gps;
  const notes = [trimmed(draft.notes), draft.enterprise_refused ? '企业负责人/代表拒绝签字。' : ''].filter(Boolean).join('\n');
  if (notes) record.notes = notes;
  if ((draft.photos || []).length) record.photos = [...draft.photos];
  const signatures = [];
  for (const role of ['inspector', 'enterprise']) {
    const s = draft.signatures?.[role];
    if (s?.sha256 && !(role === 'enterprise' && draft.enterprise_refused)) signatures.push({ role, name: trimmed(s.name), sha256: s.sha256 });
  }
  if (signatures.length) record.signatures = signatures;
  if (hazards.length) record.hazards = hazards;
  if (draft.assignment_id) record.assignment_id = draft.assignment_id;
  return record;
}

/** Every photo a record references (answers, hazards, signatures, evidence, record photos). */
export function photoRefs(record) {
  const refs = [...(record.photos || [])];
  for (const a of Object.values(record.answers || {})) refs.push(...(a.photos || []));
  for (const s of record.signatures || []) refs.push(s.sha256);
  for (const h of record.hazards || []) refs.push(...(h.evidence || []));
  refs.push(...(record.transition?.evidence || []));
  return [...new Set(refs)];
}

/** Every photo a draft references (site photos, answers' photos, hazard evidence, signatures). */
export function draftRefs(draft) {
  const refs = [...(draft.photos || [])];
  for (const a of Object.values(draft.answers || {})) refs.push(...(a.photos || []));
  for (const h of Object.values(draft.hazards || {})) refs.push(...(h.evidence || []));
  for (const s of Object.values(draft.signatures || {})) if (s?.sha256) refs.push(s.sha256);
  return [...new Set(refs)];
}
