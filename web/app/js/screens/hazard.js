// One hazard: its state (with my unsent steps), the lifecycle steps I may take offline, and a
// conflict (my step met a newer server state) shown beside the server's state: re-apply or drop.
import { allowedSteps, effectiveHazard, endOfDay, stepByAction, stepOf, stepProblems, transitionFor } from '../logic/hazard-steps.js';
import { HAZARD_LEVEL, HAZARD_STATUS } from '../logic/labels.js';
import { uuid4 } from '../logic/ids.js';
import { errorLines } from '../net/api.js';
import { app } from '../session.js';
import { describeError, formatDate, formatTime, guarded, html, toast } from '../ui/dom.js';
import { Screen } from './base.js';
import { deadlineText } from './hazards.js';

function transitionFacts(t) {
  return html`<ul class="plain">
    <li>目标状态：${HAZARD_STATUS[t.to_status] || t.to_status}</li>
    ${t.deadline ? html`<li>整改期限：${formatDate(t.deadline)}</li>` : ''}
    ${t.responsible_person ? html`<li>整改责任人：${t.responsible_person}</li>` : ''}
    ${t.rectification_plan ? html`<li>整改方案：${t.rectification_plan}</li>` : ''}
    ${t.reason ? html`<li>说明：${t.reason}</li>` : ''}
    ${(t.evidence || []).length ? html`<li>照片 ${t.evidence.length} 张</li>` : ''}
  </ul>`;
}

function hazardFacts(h) {
  return html`<ul class="plain">
    <li>状态：<b>${HAZARD_STATUS[h.status] || h.status}</b>（版本 ${h.version}）</li>
    <li>整改期限：${formatDate(h.deadline)}</li>
    <li>整改责任人：${h.responsible_person || '—'}</li>
    ${h.updated_at ? html`<li>服务器更新时间：${formatTime(h.updated_at)}</li>` : ''}
  </ul>`;
}

class HazardScreen extends Screen {
  async render() {
    const [id, query] = (this.getAttribute('arg') || '').split('?');
    const fixId = new URLSearchParams(query || '').get('fix');
    const store = app.store;
    const pulled = await store.entity('hazard', id);
    if (!pulled) {
      this.innerHTML = String(html`<a href="#/hazards" class="back">‹ 隐患列表</a><p class="empty">本机没有这条隐患（可能已不在您的管辖范围内）。</p>`);
      return;
    }
    const outbox = await store.listOutbox();
    const h = effectiveHazard(pulled, outbox);
    const enterprise = await store.entity('enterprise', h.enterprise_id);
    const mine = outbox.filter((e) => e.kind === 'hazard_update' && e.record.hazard_id === id);
    const conflicts = mine.filter((e) => e.state === 'conflict');
    const fixing = fixId ? mine.find((e) => e.id === fixId && e.state === 'rejected') : null;
    const steps = allowedSteps(h.status, app.user.role);
    this.hazard = h;
    // A sync re-renders this screen whenever it pushes or pulls, and a saved step does twice: the
    // form being filled in (its text, a photo still being stored) moves over as it is.
    const open = this.querySelector('[data-step-form]');
    this.innerHTML = String(html`
      <a href="#/hazards" class="back">‹ 隐患列表</a>
      <h1><span class="level ${h.level}">${HAZARD_LEVEL[h.level]}</span> ${h.description}</h1>
      <div class="grid-2">
        <section class="panel">
          <table class="facts">
            <tr><th>企业</th><td>${enterprise ? html`<a href="#/enterprise/${enterprise.id}">${enterprise.name}</a>` : '—'}</td></tr>
            <tr><th>状态</th><td data-status>${HAZARD_STATUS[h.status]}${h.pending ? html` <span class="pill waiting">含 ${h.pending} 个待上传操作</span>` : ''}</td></tr>
            <tr><th>整改期限</th><td>${formatDate(h.deadline)}（${deadlineText(h)}）</td></tr>
            <tr><th>整改责任人</th><td>${h.responsible_person || '—'}</td></tr>
            ${h.rectification_plan ? html`<tr><th>整改方案</th><td>${h.rectification_plan}</td></tr>` : ''}
            <tr><th>位置</th><td>${h.location || '—'}</td></tr>
            <tr><th>检查项</th><td>${h.item_code || '—'}</td></tr>
            <tr><th>发现时间</th><td>${formatTime(h.found_at)}</td></tr>
            ${h.listed_supervision ? html`<tr><th>督办</th><td class="danger-text">挂牌督办</td></tr>` : ''}
          </table>
        </section>
        <section class="panel">
          ${conflicts.map((c) => this.conflictPanel(c, h))}
          ${fixing ? html`<div class="problems"><h3>被退回的操作：${stepByAction(fixing.action)?.label || ''}</h3>${errorLines(fixing.result).map((l) => html`<p>${l}</p>`)}<p>请修改后重新提交。</p></div>` : ''}
          <h2>可进行的操作</h2>
          ${fixing ? '' : steps.length ? html`<div class="step-buttons">${steps.map((s) => html`<button type="button" data-step="${s.action}">${s.label}</button>`)}</div>`
            : html`<p class="muted">当前状态下您没有可进行的操作。</p>`}
          <div data-form>${fixing ? this.stepForm(fixing.action, fixing.record.transition, fixing.id) : ''}</div>
          <h2>本机对此隐患的操作</h2>
          ${mine.length ? html`<ul class="plain">${mine.map((e) => html`<li>${formatTime(e.created_at)} · ${stepByAction(e.action)?.label || e.record.transition.to_status} · <span class="pill ${e.state}">${e.state === 'resolved' ? (e.resolution === 'reapplied' ? '已重新应用' : '已放弃') : { waiting: '等待上传', sending: '正在上传', accepted: '已接收', duplicate: '已上传', rejected: '被退回', conflict: '冲突' }[e.state]}</span></li>`)}</ul>` : html`<p class="muted">无</p>`}
        </section>
      </div>`);
    for (const b of this.querySelectorAll('[data-step]')) {
      b.addEventListener('click', () => {
        this.querySelector('[data-form]').innerHTML = String(this.stepForm(b.dataset.step, {}, null));
        this.bindForm();
      });
    }
    // The open form stays unless the route changed under it (a fix opened, or saved and left).
    if (open && open.dataset.fix === (fixId || '')) this.querySelector('[data-form]').replaceChildren(open);
    else if (fixing) this.bindForm();
    for (const b of this.querySelectorAll('[data-resolve]')) b.addEventListener('click', () => guarded(() => this.resolve(b.dataset.entry, b.dataset.resolve)));
  }

  conflictPanel(entry, h) {
    const current = entry.result?.current || {};
    const fits = stepOf(h.status, entry.record.transition);
    const allowed = fits && fits.roles.includes(app.user.role);
    return html`<div class="conflict" data-conflict="${entry.id}">
      <h3>⚠ 冲突：您离线时的操作与服务器上更新的状态不一致</h3>
      <div class="side-by-side">
        <div><h4>服务器当前状态</h4>${hazardFacts({ ...current, ...(h.version > (current.version || 0) ? h : {}) })}</div>
        <div><h4>我的操作（${stepByAction(entry.action)?.label || ''}，基于版本 ${entry.record.base_version}）</h4>${transitionFacts(entry.record.transition)}
          <p class="muted small">操作时间 ${formatTime(entry.record.made_at)}</p></div>
      </div>
      ${allowed ? '' : html`<p class="muted">隐患现在是“${HAZARD_STATUS[h.status]}”，我的操作已不适用，只能放弃。</p>`}
      <div class="actions">
        <button type="button" class="primary" data-resolve="reapply" data-entry="${entry.id}" ${allowed ? '' : 'disabled'}>在当前状态上重新应用我的操作</button>
        <button type="button" data-resolve="drop" data-entry="${entry.id}">放弃我的操作</button>
      </div>
    </div>`;
  }

  stepForm(action, t, fixId) {
    const step = stepByAction(action);
    const needsDeadline = ['order_rectification', 'recheck_failed', 'extend_deadline'].includes(action);
    const dateValue = t.deadline ? t.deadline.slice(0, 10) : '';
    return html`<form class="step-form" data-step-form="${action}" data-fix="${fixId || ''}" novalidate>
      <h3>${step.label}</h3>
      ${needsDeadline ? html`<label>整改期限<input type="date" name="deadline" value="${dateValue}" required></label>` : ''}
      ${action === 'order_rectification' ? html`<label>整改责任人<input name="responsible_person" value="${t.responsible_person || this.hazard.responsible_person || ''}"></label>
        <label>整改方案${this.hazard.level === 'major' ? html` <span class="req">*</span>` : ''}<textarea name="rectification_plan" rows="2">${t.rectification_plan || ''}</textarea></label>` : ''}
      ${['report_rectified', 'recheck_passed'].includes(action) ? html`<div><span class="field-label">${action === 'report_rectified' ? '整改完成照片' : '复查照片'}</span><aj-photos data-target="step" label="拍照" photos="${JSON.stringify(t.evidence || [])}"></aj-photos></div>` : ''}
      <label>${action === 'recheck_failed' || action === 'extend_deadline' ? '原因' : '说明（可选）'}<textarea name="reason" rows="2">${t.reason || ''}</textarea></label>
      <p class="error" data-error role="alert"></p>
      <button type="submit" class="primary">${fixId ? '修改后重新提交' : '保存（离线也可，联网后自动上传）'}</button>
    </form>`;
  }

  bindForm() {
    const form = this.querySelector('[data-step-form]');
    if (!form) return;
    form.evidence = JSON.parse(form.querySelector('aj-photos')?.getAttribute('photos') || '[]');
    form.addEventListener('photos-change', (e) => {
      form.evidence = e.detail.photos;
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const button = form.querySelector('button[type=submit]');
      if (button.disabled) return; // a second tap: the step is being stored once
      button.disabled = true;
      try {
        await this.submitStep(form);
      } catch (error) {
        form.querySelector('[data-error]').textContent = `未能保存：${describeError(error)}`;
      } finally {
        button.disabled = false;
      }
    });
  }

  async submitStep(form) {
    const action = form.dataset.stepForm;
    const values = {
      deadline: form.deadline?.value ? endOfDay(form.deadline.value) : null,
      responsible_person: form.responsible_person?.value, rectification_plan: form.rectification_plan?.value,
      reason: form.reason?.value, evidence: form.evidence,
    };
    const found = stepProblems(action, values, this.hazard);
    if (found.length) {
      form.querySelector('[data-error]').textContent = found.map((p) => p.message).join('；');
      return;
    }
    const transition = transitionFor(action, values);
    const fixId = form.dataset.fix || null;
    const now = new Date().toISOString();
    if (fixId) {
      const changed = await app.store.updateOutbox([fixId], (e) => {
        if (e.state !== 'rejected') return false; // corrected in another tab meanwhile
        e.record = { ...e.record, base_version: this.hazard.version, transition, made_at: now };
        e.state = 'waiting';
        e.attempts = 0;
        e.corrected_at = now;
      });
      toast(changed.length ? '已修改，等待重新上传' : '这条操作已不是“被退回”状态（可能已在另一个窗口修改），未重复保存', changed.length ? 'ok' : 'error');
    } else {
      await this.enqueue(action, transition, this.hazard.version);
      toast('操作已保存，联网后自动上传', 'ok');
    }
    form.remove(); // stored: no render carries it over any more
    app.events.dispatchEvent(new CustomEvent('outbox'));
    app.engine?.run();
    if (this.isConnected) { // still on this screen: show the hazard with the step taken (no ?fix)
      this.setAttribute('arg', this.hazard.id);
      history.replaceState(null, '', `#/hazard/${this.hazard.id}`);
      this.refresh();
    }
  }

  /** The outbox entry of a new step on this hazard (a record of its own, with a new id). */
  entryFor(action, transition, baseVersion, extra = {}) {
    const now = new Date().toISOString();
    const h = this.hazard;
    const record = { kind: 'hazard_update', id: uuid4(), hazard_id: h.id, base_version: baseVersion, transition, made_at: now };
    return {
      id: record.id, kind: 'hazard_update', record, action, state: 'waiting', label: `${stepByAction(action).label} · ${h.description.slice(0, 40)}`,
      hazard_id: h.id, enterprise_id: h.enterprise_id, created_at: now, updated_at: now, attempts: 0, ...extra,
    };
  }

  async enqueue(action, transition, baseVersion) {
    const entry = this.entryFor(action, transition, baseVersion);
    await app.store.putOutbox(entry);
    return entry.id;
  }

  /**
   * Re-apply my step on the hazard as it is now (a new record based on the current version), or
   * drop it — in one transaction with the conflict's settling, so a double tap or a second tab
   * never queues the step twice.
   */
  async resolve(entryId, how) {
    const entry = await app.store.getOutbox(entryId);
    if (!entry || entry.state !== 'conflict') return;
    const fields = { resolution: how === 'reapply' ? 'reapplied' : 'dropped', resolved_at: new Date().toISOString() };
    let newEntry = null;
    if (how === 'reapply') {
      const action = stepOf(this.hazard.status, entry.record.transition)?.action || entry.action;
      newEntry = this.entryFor(action, entry.record.transition, this.hazard.version, { reapplies: entry.id });
      fields.reapplied_as = newEntry.id;
    }
    if (!(await app.store.resolveConflict(entryId, fields, newEntry))) return;
    toast(how === 'reapply' ? '已在当前状态上重新应用，等待上传' : '已放弃我的操作', 'ok');
    app.events.dispatchEvent(new CustomEvent('outbox'));
    app.engine?.run();
  }
}

customElements.define('aj-hazard', HazardScreen);
