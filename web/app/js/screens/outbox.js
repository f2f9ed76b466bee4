// 待上传: every record made here with its state — waiting, sending, accepted, duplicate, rejected
// (with the server's reason in Chinese), conflict — and the photos' upload progress. A rejected
// record stays until it is corrected and accepted; nothing here is ever dropped silently.
import { photoRefs } from '../logic/checklist.js';
import { OUTBOX_STATE, RECORD_KIND } from '../logic/labels.js';
import { errorLines } from '../net/api.js';
import { app } from '../session.js';
import { go } from '../shell.js';
import { formatBytes, formatTime, guarded, html, toast } from '../ui/dom.js';
import { Screen } from './base.js';

const ORDER = { rejected: 0, conflict: 1, sending: 2, waiting: 3, accepted: 4, duplicate: 4, resolved: 5 };

class OutboxScreen extends Screen {
  static refreshOn = ['outbox', 'sync-state', 'upload-progress'];

  async render() {
    const store = app.store;
    const entries = (await store.listOutbox()).sort((a, b) => ORDER[a.state] - ORDER[b.state] || b.created_at.localeCompare(a.created_at));
    const photoState = new Map();
    for (const e of entries) {
      for (const sha of photoRefs(e.record)) if (!photoState.has(sha)) photoState.set(sha, (await store.getPhoto(sha))?.upload || 'missing');
    }
    const upload = app.engine?.upload;
    const counts = {};
    for (const e of entries) counts[e.state] = (counts[e.state] || 0) + 1;
    const unsent = (counts.waiting || 0) + (counts.sending || 0);
    this.innerHTML = String(html`
      <h1>待上传</h1>
      <div class="toolbar">
        <span>等待上传 <b data-count-waiting>${unsent}</b> · 被退回 <b data-count-rejected>${counts.rejected || 0}</b> · 冲突 <b data-count-conflict>${counts.conflict || 0}</b> · 已上传 <b data-count-sent>${(counts.accepted || 0) + (counts.duplicate || 0)}</b></span>
        <button type="button" class="primary" data-sync ${navigator.onLine ? '' : 'disabled'}>${navigator.onLine ? '立即同步' : '离线中，联网后自动上传'}</button>
      </div>
      ${entries.length ? html`<ul class="cards outbox">${entries.map((e) => {
        const refs = photoRefs(e.record);
        const done = refs.filter((s) => photoState.get(s) === 'done').length;
        const sentState = e.state === 'accepted' || e.state === 'duplicate';
        return html`<li class="card entry ${e.state}" data-entry="${e.id}" data-state="${e.state}">
          <div class="card-main">
            <div class="title"><span class="pill ${e.state}" data-state-label>${OUTBOX_STATE[e.state]}</span> ${RECORD_KIND[e.kind]} · ${e.label || e.id}</div>
            <div class="meta">创建于 ${formatTime(e.created_at)}${e.answered_at ? ` · 服务器答复于 ${formatTime(e.answered_at)}` : ''}${e.attempts ? ` · 已发送 ${e.attempts} 次` : ''}${e.corrected_at ? ' · 已修改' : ''}</div>
            ${e.state === 'duplicate' ? html`<div class="meta">服务器已有此记录（重复提交不会重复保存）${e.result?.first_status ? `，首次结果：${OUTBOX_STATE[e.result.first_status] || e.result.first_status}` : ''}</div>` : ''}
            ${e.last_error && (e.state === 'waiting' || e.state === 'sending') ? html`<div class="meta warn-text">上次发送未完成：${e.last_error}${app.authLost ? '' : '（将自动重试）'}</div>` : ''}
            ${e.state === 'rejected' ? html`<div class="reason" data-reason>${errorLines(e.result).map((l) => html`<p>退回原因：${l}</p>`)}${e.result?.field ? html`<p class="muted small">字段：${e.result.field}</p>` : ''}</div>` : ''}
            ${e.state === 'conflict' ? html`<div class="reason">服务器上的隐患已有更新的状态，需要您决定是否重新应用。</div>` : ''}
            ${refs.length ? html`<div class="meta" data-photos>照片/签名 ${sentState ? `${done}/${refs.length} 已上传` : `${refs.length} 张（记录被接收后上传）`}
              ${upload && refs.includes(upload.sha) && upload.sent < upload.total ? html` · 正在上传 <progress max="${upload.total}" value="${upload.sent}" aria-label="照片上传进度"></progress> ${formatBytes(upload.sent)} / ${formatBytes(upload.total)}` : ''}</div>` : ''}
            ${refs.some((s) => photoState.get(s) === 'lost') ? html`<div class="meta danger-text">服务器缺少 ${refs.filter((s) => photoState.get(s) === 'lost').length} 张照片，而本机副本已按保留期清理，无法重新上传：请联系管理员。</div>` : ''}
          </div>
          <div class="card-actions">
            ${e.state === 'rejected' ? html`<button type="button" class="primary" data-fix="${e.id}">修改后重新提交</button>` : ''}
            ${e.state === 'conflict' ? html`<a class="button primary" href="#/hazard/${e.record.hazard_id}">处理冲突</a>` : ''}
          </div>
        </li>`;
      })}</ul>` : html`<p class="empty">本机没有记录。完成的检查和隐患操作会先保存在这里，联网后自动上传。</p>`}`);
    this.querySelector('[data-sync]')?.addEventListener('click', () => app.engine?.run());
    for (const b of this.querySelectorAll('[data-fix]')) b.addEventListener('click', () => guarded(() => this.fix(entries.find((e) => e.id === b.dataset.fix))));
  }

  async fix(entry) {
    if (entry.kind === 'hazard_update') {
      go(`hazard/${entry.record.hazard_id}?fix=${entry.id}`);
      return;
    }
    if (!entry.draft) {
      toast('此记录没有可修改的草稿（例如由导入得到），请联系管理员在服务器上处理', 'error');
      return;
    }
    const existing = await app.store.getDraft(entry.id);
    if (!existing) await app.store.putDraft({ ...entry.draft, resubmit_of: entry.id, updated_at: new Date().toISOString() });
    go(`inspect/${entry.id}`);
  }
}

customElements.define('aj-outbox', OutboxScreen);
