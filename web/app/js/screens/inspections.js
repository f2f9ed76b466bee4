// 检查: inspections in progress (drafts) on this device; new ones start from 任务 or 企业.
import { progress } from '../logic/checklist.js';
import { checklistOf } from '../drafts.js';
import { app } from '../session.js';
import { formatTime, guarded, html, toast } from '../ui/dom.js';
import { Screen } from './base.js';

class InspectionsScreen extends Screen {
  static refreshOn = ['outbox'];

  async render() {
    const drafts = (await app.store.listDrafts()).sort((a, b) => b.updated_at.localeCompare(a.updated_at));
    const rows = await Promise.all(drafts.map(async (d) => {
      const c = await checklistOf(d);
      return { d, p: c ? progress(d, c.content) : null };
    }));
    this.innerHTML = String(html`
      <h1>进行中的检查</h1>
      <p class="muted">新的检查请从“任务”或“企业”开始。草稿随时自动保存在本机。</p>
      ${rows.length ? html`<ul class="cards">${rows.map(({ d, p }) => html`
        <li class="card" data-draft="${d.id}">
          <div class="card-main">
            <div class="title">${d.enterprise_name}</div>
            <div class="meta">${d.checklist_title}${p ? ` · 已答 ${p.answered}/${p.total}` : ''}${p?.failed ? ` · ${p.failed} 项不合格` : ''} · 更新于 ${formatTime(d.updated_at)}${d.resubmit_of ? ' · 修改被退回的记录' : ''}</div>
          </div>
          <div class="card-actions">
            <a class="button primary" href="#/inspect/${d.id}">继续</a>
            ${d.resubmit_of ? '' : html`<button type="button" class="danger small" data-discard="${d.id}">删除草稿</button>`}
          </div>
        </li>`)}</ul>` : html`<p class="empty">没有进行中的检查。</p>`}`);
    for (const b of this.querySelectorAll('[data-discard]')) {
      b.addEventListener('click', async () => {
        if (!confirm('删除这份检查草稿？已填写的内容将无法恢复。')) return;
        if ((await guarded(() => app.store.deleteDraft(b.dataset.discard).then(() => true))) !== true) return;
        toast('草稿已删除');
        this.refresh();
      });
    }
  }
}

customElements.define('aj-inspections', InspectionsScreen);
