// The markup of the inspection screen: one card per item (answer controls by kind, the legal
// basis one tap away, photos, the hazard form of a failed item), the sections' navigation and the
// closing block (notes, photos, signatures).
import { allowNa, hazardLevel, isAnswered, isFailed, isRequired, kindOf, rangeText } from '../logic/checklist.js';
import { SIGNATURE_ROLE } from '../logic/labels.js';
import { html } from '../ui/dom.js';

const RESULTS = [['pass', '合格'], ['fail', '不合格'], ['na', '不适用']];

function resultButtons(item, answer, choices) {
  return html`<div class="segmented" role="group" aria-label="${item.code} 检查结论">${choices.filter(([r]) => r !== 'na' || allowNa(item)).map(([r, label]) => html`
    <button type="button" class="seg ${r} ${answer?.result === r ? 'on' : ''}" data-set-result="${r}" aria-pressed="${answer?.result === r}">${label}</button>`)}</div>`;
}

function controls(item, answer) {
  const kind = kindOf(item);
  if (kind === 'pass_fail') return resultButtons(item, answer, RESULTS);
  if (kind === 'photo') return resultButtons(item, answer, RESULTS);
  if (kind === 'number') {
    const na = answer?.result === 'na';
    return html`<div class="number-answer">
      <input type="number" step="any" inputmode="decimal" data-value value="${na ? '' : answer?.value ?? ''}" ${na ? 'disabled' : ''} placeholder="填写数值" aria-label="${item.code} 数值">
      ${item.answer?.unit ? html`<span class="unit">${item.answer.unit}</span>` : ''}
      <span class="range muted small">${rangeText(item)}</span>
      ${allowNa(item) ? html`<button type="button" class="seg na ${na ? 'on' : ''}" data-set-result="${na ? '' : 'na'}">不适用</button>` : ''}
    </div>`;
  }
  const na = answer?.result === 'na';
  return html`<div class="text-answer"><textarea data-value rows="2" ${na ? 'disabled' : ''} placeholder="填写检查情况" aria-label="${item.code} 检查情况">${na ? '' : answer?.value ?? ''}</textarea>
    ${allowNa(item) ? html`<button type="button" class="seg na ${na ? 'on' : ''}" data-set-result="${na ? '' : 'na'}">不适用</button>` : ''}</div>`;
}

/** The hazard form of a failed item. */
export function hazardForm(item, hazard) {
  const level = hazardLevel(item, hazard);
  return html`<div class="hazard-form ${level}" data-hazard-form>
    <h4>⚠ 登记隐患 <span class="level ${level}">${level === 'major' ? '重大隐患' : '一般隐患'}</span></h4>
    <label class="wide">隐患描述 <span class="req">*</span><textarea data-hz="description" rows="2" placeholder="描述发现的问题">${hazard.description || ''}</textarea></label>
    <div class="form-row">
      <label>隐患等级<select data-hz="level" ${item.major_hazard ? 'disabled' : ''}>
        <option value="general" ${level === 'general' ? 'selected' : ''}>一般隐患</option>
        <option value="major" ${level === 'major' ? 'selected' : ''}>重大隐患</option></select></label>
      <label>具体位置<input data-hz="location" value="${hazard.location || ''}" placeholder="如：2号罐区东侧"></label>
      <label>整改责任人<input data-hz="responsible_person" value="${hazard.responsible_person || ''}" placeholder="企业责任人姓名"></label>
    </div>
    ${level === 'major' ? html`<label class="wide">整改方案 <span class="req">*</span><textarea data-hz="rectification_plan" rows="2" placeholder="重大隐患须制定整改方案">${hazard.rectification_plan || ''}</textarea></label>` : ''}
    <div class="wide"><span class="field-label">隐患照片</span><aj-photos data-target="evidence" label="拍摄隐患照片" photos="${JSON.stringify(hazard.evidence || [])}"></aj-photos></div>
    <p class="muted small">${level === 'major'
      ? '重大隐患上传后即挂牌督办；整改期限按治理方案的完成日期，之后在“隐患”中下达。'
      : `填写整改责任人后，上传时即下达限期整改（${item.rectification_days || 30} 天）；否则隐患先登记，之后再下达整改。`}</p>
  </div>`;
}

export function itemClasses(item, answer) {
  return ['item', isAnswered(item, answer) ? 'answered' : 'unanswered', isFailed(item, answer) ? 'failed' : '', answer?.result === 'na' ? 'na' : ''].filter(Boolean).join(' ');
}

export function itemCard(item, answer, hazard) {
  const kind = kindOf(item);
  const na = answer?.result === 'na';
  const failed = isFailed(item, answer);
  return html`<article class="${itemClasses(item, answer)}" id="item-${item.code}" data-code="${item.code}">
    <div class="item-head">
      <span class="code">${item.code}</span>
      <span class="text">${item.text}</span>
      <span class="badges">${isRequired(item) ? html`<span class="badge req" title="必答">必答</span>` : ''}${item.major_hazard ? html`<span class="badge major">重大隐患判定项</span>` : ''}${item.photo_required || kind === 'photo' ? html`<span class="badge photo">须拍照</span>` : ''}</span>
    </div>
    <details class="basis"><summary>依据</summary>
      <ul>${(item.basis || []).map((b) => html`<li>${b.document}${b.article ? ` ${b.article}` : ''}</li>`)}</ul>
      ${item.guidance ? html`<p class="guidance">检查方法：${item.guidance}</p>` : ''}
    </details>
    <div class="controls" data-controls>${controls(item, answer)}</div>
    <div class="item-extra" ${na ? 'hidden' : ''}>
      <aj-photos data-target="answer" label="${item.photo_required || kind === 'photo' ? '拍照（必须）' : '拍照'}" photos="${JSON.stringify(answer?.photos || [])}"></aj-photos>
      <input class="note" data-note value="${answer?.note || ''}" placeholder="备注（可选）" aria-label="${item.code} 备注">
    </div>
    <div data-hazard-slot>${failed && hazard ? hazardForm(item, hazard) : ''}</div>
  </article>`;
}

export function sectionNav(content, draft) {
  return html`${content.sections.map((s) => {
    const done = s.items.filter((i) => isAnswered(i, draft.answers[i.code])).length;
    const failed = s.items.filter((i) => isFailed(i, draft.answers[i.code])).length;
    return html`<a href="#" data-goto="sec-${s.code}" class="${done === s.items.length ? 'done' : ''}">
      <span>${s.code}. ${s.title}</span><span class="count">${done}/${s.items.length}${failed ? html` · <b class="danger-text">${failed} 不合格</b>` : ''}</span></a>`;
  })}`;
}

export function closing(draft) {
  const sig = (role) => {
    const s = draft.signatures?.[role] || {};
    const refused = role === 'enterprise' && draft.enterprise_refused;
    return html`<div class="signature-block" data-signature="${role}">
      <label>${SIGNATURE_ROLE[role]}姓名<input data-sig-name="${role}" value="${s.name || ''}" ${refused ? 'disabled' : ''}></label>
      ${refused ? html`<p class="muted">企业负责人/代表拒绝签字（将记入备注）。</p>` : html`<aj-signature data-role="${role}" sha256="${s.sha256 || ''}"></aj-signature>`}
      ${role === 'enterprise' ? html`<label class="check"><input type="checkbox" data-refused ${draft.enterprise_refused ? 'checked' : ''}> 拒绝签字</label>` : ''}
    </div>`;
  };
  return html`<section class="panel closing" id="closing">
    <h2>检查结论与签字</h2>
    <label class="wide">检查情况说明<textarea data-notes rows="3" placeholder="现场检查总体情况（可选）">${draft.notes || ''}</textarea></label>
    <div class="wide"><span class="field-label">现场照片</span><aj-photos data-target="record" label="拍摄现场照片" photos="${JSON.stringify(draft.photos || [])}"></aj-photos></div>
    <div class="grid-2">${sig('inspector')}${sig('enterprise')}</div>
    <div data-problems></div>
    <button type="button" class="primary wide big" data-finish>完成检查</button>
  </section>`;
}
