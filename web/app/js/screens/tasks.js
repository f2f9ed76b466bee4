// 任务: my assignments, overdue first, then today's, then upcoming; each with the plan (or random
// draw) it comes from, and the enterprise's name even before the enterprise itself has arrived.
import { applicableChecklists } from '../logic/checklist.js';
import { ASSIGNMENT_KIND } from '../logic/labels.js';
import { startInspection } from '../drafts.js';
import { app } from '../session.js';
import { go } from '../shell.js';
import { guarded, html, today, toast } from '../ui/dom.js';
import { Screen } from './base.js';

function bucket(a, day) {
  if (a.due_until < day) return 'overdue';
  if (a.due_from <= day) return 'today';
  return 'upcoming';
}

const BUCKETS = [['overdue', '已逾期'], ['today', '今天可检查'], ['upcoming', '即将开始']];

class TasksScreen extends Screen {
  async render() {
    const store = app.store;
    const day = today();
    const [assignments, drafts, outbox] = await Promise.all([store.entities('assignment'), store.listDrafts(), store.listOutbox()]);
    const open = assignments.filter((a) => a.status === 'pending');
    const pulled = await store.enterprises(open.map((a) => a.enterprise_id));
    const names = new Map(); // the pulled enterprise's own name first (it may have been renamed since)
    for (const a of open) names.set(a.enterprise_id, pulled.get(a.enterprise_id)?.name || a.enterprise_name || '（企业信息未同步）');
    const draftFor = new Map(drafts.filter((d) => d.assignment_id).map((d) => [d.assignment_id, d]));
    const sentFor = new Set(outbox.filter((e) => e.kind === 'submission' && e.record.assignment_id && e.state !== 'rejected').map((e) => e.record.assignment_id));
    const groups = Object.fromEntries(BUCKETS.map(([k]) => [k, []]));
    for (const a of open) groups[bucket(a, day)].push(a);
    for (const list of Object.values(groups)) list.sort((x, y) => x.due_until.localeCompare(y.due_until) || x.due_from.localeCompare(y.due_from));
    this.innerHTML = String(html`
      <h1>检查任务</h1>
      ${open.length ? '' : html`<p class="empty">暂无待检查任务。联网同步后显示分配给您的任务。</p>`}
      ${BUCKETS.filter(([k]) => groups[k].length).map(([k, title]) => html`
        <h2 class="bucket ${k}">${title}（${groups[k].length}）</h2>
        <ul class="cards">${groups[k].map((a) => html`
          <li class="card task ${k}" data-assignment="${a.id}">
            <div class="card-main">
              <div class="title">${names.get(a.enterprise_id)}</div>
              <div class="meta" data-plan>${ASSIGNMENT_KIND[a.kind] || a.kind}${a.plan_name ? html`：<b>${a.plan_name}</b>` : ''}</div>
              <div class="meta">检查期限 ${a.due_from} 至 ${a.due_until}${k === 'overdue' ? html` · <span class="danger-text">已逾期</span>` : ''}</div>
            </div>
            <div class="card-actions">
              ${sentFor.has(a.id) ? html`<span class="pill ok">已提交</span>`
                : draftFor.has(a.id) ? html`<a class="button" href="#/inspect/${draftFor.get(a.id).id}">继续检查</a>`
                  : html`<button type="button" class="primary" data-start="${a.id}">开始检查</button>`}
            </div>
          </li>`)}</ul>`)}`);
    for (const button of this.querySelectorAll('[data-start]')) {
      button.addEventListener('click', async () => {
        if (button.disabled) return;
        button.disabled = true; // a double tap starts one inspection, not two
        try {
          await guarded(() => this.start(open.find((a) => a.id === button.dataset.start)));
        } finally {
          button.disabled = false;
        }
      });
    }
  }

  async start(assignment) {
    const existing = (await app.store.listDrafts()).find((d) => d.assignment_id === assignment.id);
    if (existing) {
      go(`inspect/${existing.id}`);
      return;
    }
    const enterprise = await app.store.entity('enterprise', assignment.enterprise_id);
    if (!enterprise) {
      toast('该企业的信息尚未同步，请联网同步后再试', 'error');
      return;
    }
    const lists = applicableChecklists(await app.store.entities('checklist_version'), enterprise);
    if (lists.length !== 1) {
      go(`enterprise/${enterprise.id}?assignment=${assignment.id}`);
      return;
    }
    const draft = await startInspection({ enterprise, checklist: lists[0], assignmentId: assignment.id });
    go(`inspect/${draft.id}`);
  }
}

customElements.define('aj-tasks', TasksScreen);
