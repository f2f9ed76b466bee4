// Small helpers for screens: HTML templates that escape every value, times in Chinese, toasts.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escape = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);

class Raw {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

/** Trusted markup (already built with ``html``). */
export const raw = (text) => new Raw(text);

function render(value) {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === false || value === null || value === undefined) return '';
  return escape(value);
}

/** ``html`...${value}...` `` escapes each value (arrays are joined; ``raw()`` passes through). */
export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new Raw(out);
}

const pad = (n) => String(n).padStart(2, '0');

export function formatTime(value) {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDate(value) {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const d = new Date(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export const today = (now = new Date()) => `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;

export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** A duration in Chinese words, e.g. "3 天 2 小时" or "15 秒". */
export function formatDuration(ms) {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} 秒`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} 分钟`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} 小时 ${m % 60} 分钟`;
  return `${Math.floor(h / 24)} 天 ${h % 24} 小时`;
}

/** An error in words an inspector can act on (the browser's own messages are English). */
export function describeError(error) {
  if (error?.name === 'QuotaExceededError') return '本机存储空间已满：请联网上传，或导出未上传数据后清理平板空间';
  if (error?.name === 'InvalidStateError') return '本机数据库已关闭（可能已退出登录），请重新打开应用';
  return error?.message || String(error);
}

/** Run a tap's work; an error is told (a toast), never lost in the console. */
export async function guarded(work) {
  try {
    return await work();
  } catch (error) {
    toast(`操作失败：${describeError(error)}`, 'error');
    return undefined;
  }
}

/** A ``<label>`` around a hidden file input, usable from the keyboard too (Enter or Space). */
export function keyboardFileLabel(label) {
  label.tabIndex = 0;
  label.setAttribute('role', 'button');
  label.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    label.querySelector('input[type=file]')?.click();
  });
}

/** A short message at the bottom of the screen. */
export function toast(message, kind = 'info') {
  let box = document.querySelector('#toasts');
  if (!box) {
    box = document.createElement('div');
    box.id = 'toasts';
    box.setAttribute('role', 'status');
    document.body.append(box);
  }
  const item = document.createElement('div');
  item.className = `toast ${kind}`;
  item.textContent = message;
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** Object URLs of stored photos, made once per sha256 for the page's lifetime. */
const urls = new Map();
export async function photoUrl(store, sha) {
  if (urls.has(sha)) return urls.get(sha);
  const photo = await store.getPhoto(sha);
  if (!photo?.blob) return null; // not here, or cleared after the server kept it (photo-retention.js)
  const url = URL.createObjectURL(photo.blob);
  urls.set(sha, url);
  return url;
}
