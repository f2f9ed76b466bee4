// 检查 (the heart): answer a checklist for one enterprise. The draft is saved on every change
// (each keystroke too), so a reload, a crash or a flat battery loses nothing; finishing checks
// what the server will check and moves the record into the outbox in one transaction.
import { isFailed, items, photoRefs, problems, progress, submissionRecord } from '../logic/checklist.js';
import { uuid4 } from '../logic/ids.js';
import { checklistOf, locate } from '../drafts.js';
import { app } from '../session.js';
import { FinishConflict } from '../store/user-store.js';
import { go } from '../shell.js';
import { describeError, formatTime, html, toast } from '../ui/dom.js';
import { closing, hazardForm, itemCard, itemClasses, sectionNav } from './inspection-view.js';

const GPS_TEXT = { pending: '正在定位…', denied: '未获定位权限（可在浏览器设置中允许）', unavailable: '暂时无法定位' };

class InspectionScreen extends HTMLElement {
  async connectedCallback() {
    this.saves = 0;
    this.chain = Promise.resolve();
    const started = performance.now();
    this.draft = await app.store.getDraft(this.getAttribute('arg'));
    if (!this.draft) {
      this.innerHTML = String(html`<h1>检查</h1><p class="empty">找不到这份检查草稿（可能已完成并进入“待上传”）。</p><a class="button" href="#/inspections">返回</a>`);
      return;
    }
    this.checklist = await checklistOf(this.draft);
    if (!this.checklist) {
      this.innerHTML = String(html`<h1>检查</h1><p class="empty">本机没有此检查表版本（${this.draft.checklist_key}）。草稿已保留，请联网同步后再打开。</p>`);
      return;
    }
    this.savedAt = this.draft.updated_at; // what this screen last read or wrote (another tab may write too)
    this.content = this.checklist.content;
    this.byCode = new Map(items(this.content).map((i) => [i.code, i]));
    this.render();
    this.dataset.openMs = String(Math.round(performance.now() - started));
    this.dataset.ready = '1';
    if (this.draft.gps_state === 'pending') this.locate();
  }

  render() {
    const d = this.draft;
    this.innerHTML = String(html`
      <a href="#/inspections" class="back">‹ 检查列表</a>
      <header class="inspect-head">
        <div>
          <h1>${d.enterprise_name}</h1>
          <div class="muted">${this.checklist.title} · 第 ${this.checklist.version} 版${d.assignment_id ? ' · 检查任务' : ''}${d.resubmit_of ? html` · <span class="danger-text">修改被退回的记录</span>` : ''}</div>
        </div>
        <div class="head-state">
          <div data-progress></div>
          <div class="muted small" data-saved>草稿已保存</div>
          <div class="muted small" data-gps></div>
        </div>
      </header>
      <div class="inspect-layout">
        <nav class="section-nav" data-sections></nav>
        <div class="inspect-body">
          ${this.content.sections.map((s) => html`<section class="section" id="sec-${s.code}" data-section="${s.code}">
            <h2><span>${s.code}. ${s.title}</span><button type="button" class="small" data-pass-rest="${s.code}">本节未答项全部合格</button></h2>
            ${s.items.map((item) => itemCard(item, d.answers[item.code], d.hazards[item.code]))}
          </section>`)}
          ${closing(d)}
        </div>
      </div>`);
    this.bind();
    this.refreshSummary();
  }

  bind() {
    this.addEventListener('click', (e) => this.onClick(e));
    this.addEventListener('input', (e) => this.onInput(e));
    this.addEventListener('change', (e) => this.onInput(e));
    this.addEventListener('photos-change', (e) => this.onPhotos(e));
    this.addEventListener('signature-change', (e) => {
      const role = e.target.dataset.role;
      this.draft.signatures[role] = { ...(this.draft.signatures[role] || {}), sha256: e.detail.sha256 };
      this.save();
    });
  }

  onClick(e) {
    const target = e.target.closest('button, a');
    if (!target || !this.contains(target)) return;
    if (target.dataset.goto) {
      e.preventDefault();
      this.querySelector(`#${target.dataset.goto}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    } else if (target.dataset.setResult !== undefined) {
      const code = target.closest('[data-code]').dataset.code;
      const answer = this.answer(code);
      const value = target.dataset.setResult;
      answer.result = value && answer.result !== value ? value : undefined;
      this.changed(code, { controls: true });
    } else if (target.dataset.passRest) {
      this.passRest(target.dataset.passRest);
    } else if (target.dataset.finish !== undefined) {
      this.finish();
    } else if (target.dataset.jump) {
      e.preventDefault();
      const el = this.querySelector(target.dataset.jump);
      el?.scrollIntoView({ behavior: 'smooth', block: 'center' });
      el?.classList.add('flash');
      setTimeout(() => el?.classList.remove('flash'), 1500);
    } else if (target.dataset.relocate !== undefined) {
      this.locate();
    }
  }

  onInput(e) {
    const t = e.target;
    const card = t.closest('[data-code]');
    if (card && t.matches('[data-value]')) {
      this.answer(card.dataset.code).value = t.value;
      this.changed(card.dataset.code, { controls: false });
    } else if (card && t.matches('[data-note]')) {
      this.answer(card.dataset.code).note = t.value;
      this.save();
    } else if (card && t.matches('[data-hz]')) {
      const hazard = this.draft.hazards[card.dataset.code];
      hazard[t.dataset.hz] = t.value;
      if (t.dataset.hz === 'level' && e.type === 'change') this.renderHazard(card.dataset.code);
      this.save();
    } else if (t.matches('[data-notes]')) {
      this.draft.notes = t.value;
      this.save();
    } else if (t.matches('[data-sig-name]')) {
      const role = t.dataset.sigName;
      this.draft.signatures[role] = { ...(this.draft.signatures[role] || {}), name: t.value };
      this.save();
    } else if (t.matches('[data-refused]') && e.type === 'change') {
      this.draft.enterprise_refused = t.checked;
      this.save();
      this.querySelector('.closing').outerHTML = String(closing(this.draft));
    }
  }

  onPhotos(e) {
    const target = e.target.dataset.target;
    const card = e.target.closest('[data-code]');
    const photos = e.detail.photos;
    if (target === 'answer' && card) {
      this.answer(card.dataset.code).photos = photos;
      this.changed(card.dataset.code, { controls: false });
      return;
    }
    if (target === 'evidence' && card) this.draft.hazards[card.dataset.code].evidence = photos;
    if (target === 'record') this.draft.photos = photos;
    this.save();
  }

  answer(code) {
    this.draft.answers[code] ??= {};
    return this.draft.answers[code];
  }

  /** An answer changed: keep the hazard of a failed item, update the card and save. */
  changed(code, { controls }) {
    const item = this.byCode.get(code);
    const answer = this.draft.answers[code];
    if (answer && Object.values(answer).every((v) => v === undefined || v === '' || (Array.isArray(v) && !v.length))) delete this.draft.answers[code];
    const failed = isFailed(item, this.draft.answers[code]);
    if (failed && !this.draft.hazards[code]) {
      this.draft.hazards[code] = { id: uuid4(), description: '', level: item.major_hazard ? 'major' : 'general', found_at: new Date().toISOString(), evidence: [] };
    }
    const card = this.querySelector(`#item-${CSS.escape(code)}`);
    if (controls) {
      card.outerHTML = String(itemCard(item, this.draft.answers[code], this.draft.hazards[code]));
    } else {
      card.className = itemClasses(item, this.draft.answers[code]);
      const slot = card.querySelector('[data-hazard-slot]');
      if (failed !== !!slot.firstElementChild) slot.innerHTML = failed ? String(hazardForm(item, this.draft.hazards[code])) : '';
    }
    this.save();
    this.refreshSummary();
  }

  renderHazard(code) {
    const slot = this.querySelector(`#item-${CSS.escape(code)} [data-hazard-slot]`);
    slot.innerHTML = String(hazardForm(this.byCode.get(code), this.draft.hazards[code]));
  }

  passRest(sectionCode) {
    const section = this.content.sections.find((s) => s.code === sectionCode);
    for (const item of section.items) {
      const kind = item.answer?.kind || 'pass_fail';
      if (kind !== 'pass_fail' || this.draft.answers[item.code]?.result) continue;
      this.answer(item.code).result = 'pass';
      this.querySelector(`#item-${CSS.escape(item.code)}`).outerHTML = String(itemCard(item, this.draft.answers[item.code], this.draft.hazards[item.code]));
    }
    this.save();
    this.refreshSummary();
  }

  refreshSummary() {
    const box = this.querySelector('[data-problems]');
    if (box?.firstElementChild) this.showProblems(problems(this.draft, this.content), false);
    const p = progress(this.draft, this.content);
    this.querySelector('[data-progress]').innerHTML = String(html`已答 <b>${p.answered}</b> / ${p.total} 项${p.failed ? html` · <b class="danger-text">${p.failed} 项不合格</b>` : ''}`);
    this.querySelector('[data-sections]').innerHTML = String(sectionNav(this.content, this.draft));
    const gps = this.draft.gps;
    this.querySelector('[data-gps]').innerHTML = String(html`定位：${gps ? `${gps.latitude.toFixed(5)}, ${gps.longitude.toFixed(5)}（±${gps.accuracy_m ?? '?'} 米）` : GPS_TEXT[this.draft.gps_state] || '—'}
      <button type="button" class="link" data-relocate>重新定位</button>`);
  }

  /** List what keeps the draft from being finished (kept up to date while it is shown). */
  showProblems(list, scroll) {
    const box = this.querySelector('[data-problems]');
    box.innerHTML = list.length ? String(html`<div class="problems" role="alert"><h3>还有 ${list.length} 处需要处理，才能完成检查：</h3><ul>${list.slice(0, 30).map((p) => html`
      <li><a href="#" data-jump="${p.code ? `#item-${p.code}` : `[data-signature="${p.field.split('.')[1]}"]`}">${p.message}</a></li>`)}</ul>
      ${list.length > 30 ? html`<p>……另有 ${list.length - 30} 处</p>` : ''}</div>`) : '';
    if (scroll && list.length) box.scrollIntoView({ behavior: 'smooth', block: 'center' });
  }

  /**
   * Save the draft now; writes are queued in order, and ``data-dirty`` says one is still running.
   * A draft changed in another tab since this screen read it is not overwritten: the screen stops
   * saving and says so (``data-stale``).
   */
  save() {
    if (this.stale) return this.chain;
    this.draft.updated_at = new Date().toISOString();
    const snapshot = structuredClone(this.draft);
    this.pending = (this.pending || 0) + 1;
    this.dataset.dirty = '1';
    const label = () => this.querySelector('[data-saved]');
    this.chain = this.chain.then(() => (this.stale ? false : app.store.saveDraft(snapshot, this.savedAt))).then((written) => {
      if (!written) {
        this.markStale();
        return;
      }
      this.savedAt = snapshot.updated_at;
      this.saves += 1;
      const at = new Date(snapshot.updated_at);
      if (label()) {
        label().textContent = `草稿已保存 ${formatTime(snapshot.updated_at).slice(11)}:${String(at.getSeconds()).padStart(2, '0')}`;
        label().classList.remove('danger-text');
      }
    }, (error) => {
      toast(`草稿保存失败：${describeError(error)}`, 'error');
      if (label()) {
        label().textContent = `草稿保存失败：${describeError(error)}`;
        label().classList.add('danger-text');
      }
    }).finally(() => {
      this.pending -= 1;
      if (!this.pending) this.dataset.dirty = '0';
    });
    return this.chain;
  }

  /** The draft was changed, finished or deleted elsewhere: stop, say so, offer to reopen it. */
  markStale() {
    if (this.stale) return;
    this.stale = true;
    this.dataset.stale = '1';
    const box = document.createElement('div');
    box.className = 'banner danger stale';
    box.setAttribute('role', 'alert');
    box.innerHTML = String(html`这份草稿已在另一个窗口中修改或已完成，本窗口不再保存，以免覆盖。 <button type="button" data-reopen>重新打开草稿</button>`);
    box.querySelector('[data-reopen]').addEventListener('click', () => location.reload());
    this.querySelector('.inspect-head')?.after(box);
    box.scrollIntoView({ block: 'center' });
    const label = this.querySelector('[data-saved]'); // in the header, which stays on screen
    if (label) {
      label.textContent = '未保存：草稿已在另一个窗口修改';
      label.classList.add('danger-text');
    }
  }

  async locate() {
    this.draft.gps_state = 'pending';
    this.refreshSummary();
    const found = await locate();
    this.draft.gps_state = found.state;
    if (found.gps) this.draft.gps = found.gps;
    this.save();
    if (this.isConnected) this.refreshSummary();
  }

  /** Finish once: a second tap while the first is being stored does nothing. */
  async finish() {
    if (this.finishing) return;
    this.finishing = true;
    const button = this.querySelector('[data-finish]');
    button.disabled = true;
    try {
      await this.finishNow();
    } finally {
      this.finishing = false;
      if (button.isConnected) button.disabled = false;
    }
  }

  async finishNow() {
    const list = problems(this.draft, this.content);
    const box = this.querySelector('[data-problems]');
    if (list.length) {
      this.showProblems(list, true);
      return;
    }
    box.innerHTML = '';
    await this.chain;
    if (this.stale) return;
    const record = submissionRecord(this.draft, this.checklist, new Date().toISOString());
    for (const sha of photoRefs(record)) {
      if (!(await app.store.getPhoto(sha))) {
        box.innerHTML = String(html`<div class="problems" role="alert">有照片在本机丢失（${sha.slice(0, 8)}…），请重新拍摄后再完成。</div>`);
        return;
      }
    }
    const previous = this.draft.resubmit_of ? await app.store.getOutbox(this.draft.resubmit_of) : null;
    const now = new Date().toISOString();
    const entry = {
      id: record.id, kind: 'submission', record, state: 'waiting', label: `${this.draft.enterprise_name} · ${this.checklist.title}`,
      enterprise_id: record.enterprise_id, created_at: previous?.created_at || now, updated_at: now, attempts: 0,
      draft: { ...structuredClone(this.draft), resubmit_of: undefined }, rejections: previous?.rejections || [], corrected_at: previous ? now : undefined,
    };
    try {
      await app.store.finishDraft(this.draft.id, entry, this.savedAt);
    } catch (error) {
      // Nothing was written: the draft is still the draft (a full disk, another tab, a second tap).
      const text = error instanceof FinishConflict ? error.message : `未能保存，检查仍是草稿：${describeError(error)}`;
      box.innerHTML = String(html`<div class="problems" role="alert">${text}</div>`);
      if (error instanceof FinishConflict && error.changed) this.markStale();
      return;
    }
    toast(previous ? '已修改，等待重新上传' : '检查已完成，等待上传', 'ok');
    app.events.dispatchEvent(new CustomEvent('outbox'));
    app.engine?.run();
    go('outbox');
  }
}

customElements.define('aj-inspection', InspectionScreen);
