// 一企一档 card: basics, industries and 工贸 sectors, scale, 生产/仓储, safety office and staff, risk
// level, grid, open hazards, past inspections (as pulled: by any inspector, with checklist and
// findings) and this tablet's records not yet among them; start an inspection with a checklist
// that fits the enterprise.
import { applicableChecklists } from '../logic/checklist.js';
import { effectiveHazard } from '../logic/hazard-steps.js';
import {
  HAZARD_LEVEL, HAZARD_STATUS, HIGH_RISK_FLAG, OUTBOX_STATE, PRODUCTION_KIND, RISK, SCALE, industries, safetyStaff, sectors,
} from '../logic/labels.js';
import { startInspection } from '../drafts.js';
import { app } from '../session.js';
import { go } from '../shell.js';
import { formatDate, formatTime, guarded, html } from '../ui/dom.js';
import { Screen } from './base.js';

class EnterpriseScreen extends Screen {
  async render() {
    const [id, query] = (this.getAttribute('arg') || '').split('?');
    const assignmentId = new URLSearchParams(query || '').get('assignment');
    const store = app.store;
    const e = await store.entity('enterprise', id);
    if (!e) {
      this.innerHTML = String(html`<h1>企业</h1><p class="empty">本机没有这家企业的信息（可能已不在您的管辖范围内）。</p>`);
      return;
    }
    const [versions, hazards, past, outbox, drafts] = await Promise.all([
      store.entities('checklist_version'), store.ofEnterprise('hazard', id), store.ofEnterprise('inspection', id), store.listOutbox(), store.listDrafts(),
    ]);
    const lists = applicableChecklists(versions, e);
    const open = hazards.map((h) => effectiveHazard(h, outbox)).filter((h) => h.status !== 'closed');
    past.sort((a, b) => b.inspected_at.localeCompare(a.inspected_at));
    const pulledSubmissions = new Set(past.map((i) => i.submission_id).filter(Boolean));
    // This tablet's records the server has not yet sent back as inspections (unsent, rejected, just accepted).
    const inspections = outbox.filter((x) => x.kind === 'submission' && x.record.enterprise_id === id && !pulledSubmissions.has(x.id));
    const mine = drafts.filter((d) => d.enterprise_id === id);
    const row = (label, value) => html`<tr><th>${label}</th><td>${value || '—'}</td></tr>`;
    this.innerHTML = String(html`
      <a href="#/enterprises" class="back">‹ 企业列表</a>
      <h1>${e.name}</h1>
      <div class="grid-2">
        <section class="panel">
          <h2>基本信息</h2>
          <table class="facts">
            ${row('统一社会信用代码', e.uscc)}
            ${row('行业领域', industries(e.industries))}
            ${(e.industries || []).includes('industrial_trade') || (e.sectors || []).length ? row('行业类别', sectors(e.sectors)) : ''}
            ${row('企业规模', SCALE[e.scale] || e.scale)}
            ${row('生产/仓储类别', PRODUCTION_KIND[e.production_kind] || e.production_kind)}
            ${row('风险等级', e.risk_level ? html`<span class="risk ${e.risk_level}">${RISK[e.risk_level]}</span>` : '未评定')}
            ${row('行政区划', e.region_code)}
            ${row('网格', e.grid_code)}
            ${row('高风险类别', (e.high_risk_flags || []).map((f) => HIGH_RISK_FLAG[f] || f).join('、'))}
            ${row('地址', e.address)}
            ${row('法定代表人', e.legal_representative)}
            ${row('安全管理人员', [e.safety_manager, e.safety_manager_phone].filter(Boolean).join(' '))}
            ${row('安全生产管理机构', e.safety_office === true ? '已设置' : e.safety_office === false ? '未设置' : '')}
            ${row('安全管理人员数', safetyStaff(e))}
            ${e.liaison_user_id && e.liaison_user_id === app.user?.id ? row('联络员', '本人') : ''}
            ${e.blacklisted ? row('信用', html`<span class="danger-text">黑名单（联合惩戒）</span>`) : ''}
          </table>
        </section>
        <section class="panel">
          <h2>开始检查</h2>
          ${mine.map((d) => html`<p><a class="button" href="#/inspect/${d.id}">继续：${d.checklist_title}</a> <span class="muted small">更新于 ${formatTime(d.updated_at)}</span></p>`)}
          ${lists.length ? html`<ul class="choices">${lists.map((c) => html`
            <li><button type="button" class="primary" data-checklist="${c.checklist_id}@${c.version}">${c.title}</button>
              <span class="muted small">${c.checklist_id} 第 ${c.version} 版 · ${c.content.sections.reduce((n, s) => n + s.items.length, 0)} 项</span></li>`)}</ul>`
            : html`<p class="empty">本机没有适用于该企业行业的检查表。请联网同步。</p>`}
          <h2>未销号隐患（${open.length}）</h2>
          ${open.length ? html`<ul class="plain">${open.map((h) => html`<li><a href="#/hazard/${h.id}"><span class="level ${h.level}">${HAZARD_LEVEL[h.level]}</span> ${h.description}</a>
              <span class="muted small">${HAZARD_STATUS[h.status]}${h.deadline ? ` · 期限 ${formatDate(h.deadline)}` : ''}</span></li>`)}</ul>` : html`<p class="muted">无</p>`}
          <h2>过往检查（${past.length}）</h2>
          ${past.length ? html`<ul class="plain past" data-past>${past.map((i) => html`<li data-inspection="${i.id}">
              <div><b>${formatDate(i.inspected_at)}</b> · ${i.inspector_name || '—'} · ${i.checklist_title || '现场登记（无检查表）'}</div>
              ${i.failed_items === null || i.failed_items === undefined ? ''
                : html`<div class="muted small">${i.failed_items ? html`<span class="danger-text">不合格 ${i.failed_items} 项</span>` : '全部合格'} · 隐患 ${i.hazards ?? 0} 项</div>`}</li>`)}</ul>`
            : html`<p class="muted">无（联网同步后显示本企业的检查记录）</p>`}
          ${inspections.length ? html`<h2>本机检查记录（${inspections.length}）</h2><ul class="plain" data-local>${inspections.map((x) => html`<li>${formatTime(x.record.finished_at)} · ${x.label || ''} <span class="pill ${x.state}">${OUTBOX_STATE[x.state]}</span></li>`)}</ul>` : ''}
        </section>
      </div>`);
    for (const button of this.querySelectorAll('[data-checklist]')) {
      button.addEventListener('click', async () => {
        if (this.starting) return; // a double tap starts one inspection, not two
        this.starting = true;
        try {
          const checklist = lists.find((c) => `${c.checklist_id}@${c.version}` === button.dataset.checklist);
          const draft = await guarded(() => startInspection({ enterprise: e, checklist, assignmentId }));
          if (draft) go(`inspect/${draft.id}`);
        } finally {
          this.starting = false;
        }
      });
    }
  }
}

customElements.define('aj-enterprise', EnterpriseScreen);
