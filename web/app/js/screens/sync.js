// 同步: when this device last synced, its clock against the server's, what waits, storage used,
// sync on demand, export/import of unsent data, logout.
import { ROLE } from '../logic/labels.js';
import { errorLines } from '../net/api.js';
import { storageState, persistedText } from '../storage-health.js';
import { UNSENT } from '../store/user-store.js';
import { RETENTION_DAYS } from '../store/photo-retention.js';
import { app, emit } from '../session.js';
import { download, exportUnsent, importUnsent } from '../transfer/export.js';
import { describeError, formatBytes, formatDuration, formatTime, guarded, html, keyboardFileLabel, toast } from '../ui/dom.js';
import { Screen } from './base.js';

const PHASE = { push: '正在上传记录…', upload: '正在上传照片…', pull: '正在下载数据…', offline: '离线' };

class SyncScreen extends Screen {
  static refreshOn = ['outbox', 'sync-state', 'entities', 'network', 'photos-cleared'];

  async render() {
    const store = app.store;
    const engine = app.engine;
    const [lastSync, clock, counts, entities, photosPending, storage, photos] = await Promise.all([
      store.get('last_sync'), store.get('clock'), store.countOutbox(), store.countEntities(), store.photosWithUpload('pending'), storageState(), store.photoSummary(),
    ]);
    const unsent = UNSENT.reduce((n, s) => n + (counts[s] || 0), 0);
    const skew = clock?.skew_ms ?? null;
    const skewText = skew === null ? '尚未与服务器通信'
      : Math.abs(skew) < 60000 ? `与服务器时间一致（相差 ${formatDuration(skew)}）`
        : `本机时间比服务器${skew > 0 ? '慢' : '快'} ${formatDuration(skew)}，请校准平板时间`;
    const u = app.user;
    this.innerHTML = String(html`
      <h1>同步</h1>
      <div class="grid-2">
        <section class="panel">
          <h2>同步状态</h2>
          <table class="facts">
            <tr><th>网络</th><td data-network>${navigator.onLine ? '在线' : '离线'}</td></tr>
            <tr><th>上次同步</th><td data-last-sync>${lastSync ? formatTime(lastSync) : '从未'}</td></tr>
            <tr><th>当前</th><td data-phase>${PHASE[engine?.phase] || (engine?.nextAt ? `将于 ${Math.max(0, Math.round((engine.nextAt - Date.now()) / 1000))} 秒后${engine.failures ? '重试' : '同步'}` : '空闲')}</td></tr>
            ${engine?.lastError ? html`<tr><th>上次失败</th><td class="warn-text" data-last-error>${errorLines(engine.lastError).join('；')}</td></tr>` : ''}
            <tr><th>时钟</th><td data-skew class="${skew !== null && Math.abs(skew) >= 60000 ? 'warn-text' : ''}">${skewText}</td></tr>
            <tr><th>待上传</th><td data-unsent>${unsent} 条记录${photosPending.length ? `，${photosPending.length} 张照片` : ''}${counts.conflict ? `，${counts.conflict} 个冲突待处理` : ''}</td></tr>
            <tr><th>本机数据</th><td data-entities>企业 ${entities.enterprise} · 隐患 ${entities.hazard} · 检查表 ${entities.checklist_version} · 任务 ${entities.assignment} · 过往检查 ${entities.inspection}</td></tr>
          </table>
          <button type="button" class="primary wide" data-sync-now ${navigator.onLine ? '' : 'disabled'}>${navigator.onLine ? '立即同步' : '离线中：联网后自动同步'}</button>
        </section>
        <section class="panel">
          <h2>本机存储</h2>
          <table class="facts">
            <tr><th>已用 / 可用</th><td data-storage>${formatBytes(storage.usage)} / ${formatBytes(storage.quota)}${storage.short ? html` <b class="danger-text">空间不足</b>` : ''}</td></tr>
            <tr><th>持久存储</th><td data-persisted>${persistedText(storage.persisted)}</td></tr>
            <tr><th>照片与签名</th><td data-photo-summary>本机保存 ${photos.kept} 张（${formatBytes(photos.bytes)}）${photos.cleared ? `；另有 ${photos.cleared} 张已由服务器保存，本机副本已清理` : ''}
              <div class="muted small">已上传并被服务器接收的照片在本机保留 ${RETENTION_DAYS} 天后清理；未上传、被退回或冲突记录的照片和草稿中的照片始终保留。</div></td></tr>
          </table>
          <h2>导出 / 导入</h2>
          <p class="muted small">把本机未上传的记录和照片（含未完成的检查）导出为一个文件，可在其他设备或浏览器上以同一用户登录后导入并上传；重复上传不会重复保存。</p>
          <div class="actions">
            <button type="button" data-export>导出未上传数据（${unsent} 条）</button>
            <label class="button">导入数据文件<input type="file" accept=".json,application/json" data-import hidden></label>
          </div>
          <h2>账号与设备</h2>
          <table class="facts">
            <tr><th>用户</th><td>${u.display_name || u.username}（${u.username}，${ROLE[u.role] || u.role}）</td></tr>
            <tr><th>设备编号</th><td class="small" data-device>${app.deviceId || '—'}</td></tr>
            <tr><th>应用版本</th><td data-app-version>${app.version || '—'}</td></tr>
          </table>
          <button type="button" class="danger" data-logout>退出登录</button>
          <p class="muted small">退出登录不会删除本机未上传的记录；下次同一用户登录后自动上传。</p>
        </section>
      </div>`);
    this.querySelector('[data-sync-now]').addEventListener('click', () => app.engine?.run());
    this.querySelector('[data-export]').addEventListener('click', () => guarded(() => this.export()));
    keyboardFileLabel(this.querySelector('label.button'));
    this.querySelector('[data-import]').addEventListener('change', (e) => this.import(e.target.files[0]));
    this.querySelector('[data-logout]').addEventListener('click', async () => {
      const waiting = unsent ? `本机还有 ${unsent} 条未上传的记录，退出后仍会保留，下次登录时上传。` : '';
      if (!confirm(`${waiting}确定退出登录？`)) return;
      emit('logout');
    });
  }

  async export() {
    const out = await exportUnsent(app.store, app.user, app.deviceId);
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
    download(out.blob, `anjian-unsent-${app.user.username}-${stamp}.json`);
    toast(`已导出 ${out.records} 条记录、${out.drafts} 份草稿、${out.photos} 张照片${out.missing ? `；${out.missing} 张照片本机已没有，未能导出` : ''}`, out.missing ? 'error' : 'ok');
  }

  async import(file) {
    if (!file) return;
    try {
      const out = await importUnsent(app.store, app.user, file);
      toast(`已导入 ${out.records} 条记录、${out.drafts} 份草稿、${out.photos} 张照片`, 'ok');
      this.dataset.imported = String(out.records);
      emit('outbox');
      app.engine?.run();
    } catch (error) {
      toast(describeError(error), 'error');
    }
  }
}

customElements.define('aj-sync', SyncScreen);
