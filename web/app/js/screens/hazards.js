// 隐患: the hazards of my scope with their deadlines, overdue first; unsent steps and conflicts marked.
import { daysLeft, effectiveHazard } from '../logic/hazard-steps.js';
import { HAZARD_LEVEL, HAZARD_STATUS } from '../logic/labels.js';
import { app } from '../session.js';
import { formatDate, html } from '../ui/dom.js';
import { Screen } from './base.js';

let showClosed = false;

function deadlineText(h) {
  if (h.status === 'closed') return '已销号';
  const left = daysLeft(h.deadline);
  if (left === null) return '未下达整改期限';
  if (left < 0) return `逾期 ${-left} 天`;
  if (left === 0) return '今天到期';
  return `剩余 ${left} 天`;
}

class HazardsScreen extends Screen {
  async render() {
    const [hazards, outbox] = await Promise.all([app.store.entities('hazard'), app.store.listOutbox()]);
    const names = new Map(); // enterprise id → name
    const conflicts = new Set(outbox.filter((e) => e.state === 'conflict').map((e) => e.record.hazard_id));
    const rejected = new Set(outbox.filter((e) => e.state === 'rejected' && e.kind === 'hazard_update').map((e) => e.record.hazard_id));
    let list = hazards.map((h) => effectiveHazard(h, outbox));
    const openCount = list.filter((h) => h.status !== 'closed').length;
    if (!showClosed) list = list.filter((h) => h.status !== 'closed');
    const rank = (h) => (h.status === 'closed' ? 3 : daysLeft(h.deadline) === null ? 1 : daysLeft(h.deadline) < 0 ? 0 : 2);
    list.sort((a, b) => rank(a) - rank(b) || (a.deadline || '').localeCompare(b.deadline || '') || a.description.localeCompare(b.description, 'zh'));
    for (const [id, e] of await app.store.enterprises(list.map((h) => h.enterprise_id))) names.set(id, e.name);
    this.innerHTML = String(html`
      <h1>隐患（未销号 ${openCount}）</h1>
      <label class="check"><input type="checkbox" data-closed ${showClosed ? 'checked' : ''}> 显示已销号</label>
      ${list.length ? html`<ul class="cards">${list.map((h) => html`
        <li class="card hazard ${rank(h) === 0 ? 'overdue' : ''}" data-hazard="${h.id}"><a class="card-link" href="#/hazard/${h.id}">
          <div class="title"><span class="level ${h.level}">${HAZARD_LEVEL[h.level]}</span> ${h.description}</div>
          <div class="meta">${names.get(h.enterprise_id)} · ${HAZARD_STATUS[h.status]} · 期限 ${formatDate(h.deadline)} · <b class="${rank(h) === 0 ? 'danger-text' : ''}">${deadlineText(h)}</b></div>
          <div class="meta">${h.pending ? html`<span class="pill waiting">${h.pending} 个操作待上传</span>` : ''}${conflicts.has(h.id) ? html`<span class="pill conflict">冲突待处理</span>` : ''}${rejected.has(h.id) ? html`<span class="pill rejected">操作被退回</span>` : ''}${h.listed_supervision ? html`<span class="pill danger">挂牌督办</span>` : ''}</div>
        </a></li>`)}</ul>` : html`<p class="empty">没有隐患。</p>`}`);
    this.querySelector('[data-closed]').addEventListener('change', (e) => {
      showClosed = e.target.checked;
      this.refresh();
    });
  }
}

customElements.define('aj-hazards', HazardsScreen);
export { deadlineText };
