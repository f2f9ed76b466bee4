// <aj-shell>: the frame around every screen (title, user, network and sync state, the tabs) and
// the hash router (#/tasks, #/enterprise/<id>, #/inspect/<draft id>, …).
import { PENDING, UNSENT } from './store/user-store.js';
import { app } from './session.js';
import { html, raw } from './ui/dom.js';
import { ROLE } from './logic/labels.js';
import { icon } from './ui/icons.js';

const TABS = [
  { route: 'tasks', label: '任务' },
  { route: 'enterprises', label: '企业' },
  { route: 'inspections', label: '检查' },
  { route: 'hazards', label: '隐患' },
  { route: 'outbox', label: '待上传' },
  { route: 'sync', label: '同步' },
];

/** route name → [custom element, tab it belongs to] */
const SCREENS = {
  tasks: ['aj-tasks', 'tasks'],
  enterprises: ['aj-enterprises', 'enterprises'],
  enterprise: ['aj-enterprise', 'enterprises'],
  scan: ['aj-scan', 'enterprises'],
  inspections: ['aj-inspections', 'inspections'],
  inspect: ['aj-inspection', 'inspections'],
  hazards: ['aj-hazards', 'hazards'],
  hazard: ['aj-hazard', 'hazards'],
  outbox: ['aj-outbox', 'outbox'],
  sync: ['aj-sync', 'sync'],
};

export function go(route) {
  location.hash = `#/${route}`;
}

export function parseRoute() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { name: SCREENS[name] ? name : 'tasks', arg: rest.map(decodeURIComponent).join('/') || null };
}

class Shell extends HTMLElement {
  connectedCallback() {
    this.innerHTML = String(html`
      <header class="topbar">
        <div class="brand">安检 · 现场检查</div>
        <div class="status">
          <span class="net" data-net></span>
          <span class="pending-badge" data-pending hidden></span>
          <span class="who" data-who></span>
        </div>
      </header>
      <div class="banners" data-banners></div>
      <nav class="tabs" aria-label="主菜单">${TABS.map((t) => html`<a href="#/${t.route}" data-tab="${t.route}"><span class="icon">${raw(icon(t.route))}</span><span class="label">${t.label}</span></a>`)}</nav>
      <main data-main></main>`);
    this.main = this.querySelector('[data-main]');
    this.onRoute = () => this.route();
    this.onChange = () => this.refreshStatus();
    addEventListener('hashchange', this.onRoute);
    for (const name of ['outbox', 'network', 'sync-state', 'auth-lost']) app.events.addEventListener(name, this.onChange);
    addEventListener('online', this.onChange);
    addEventListener('offline', this.onChange);
    this.route();
    this.refreshStatus();
  }

  disconnectedCallback() {
    removeEventListener('hashchange', this.onRoute);
    for (const name of ['outbox', 'network', 'sync-state', 'auth-lost']) app.events.removeEventListener(name, this.onChange);
    removeEventListener('online', this.onChange);
    removeEventListener('offline', this.onChange);
  }

  route() {
    const { name, arg } = parseRoute();
    const [tag, tab] = SCREENS[name];
    for (const a of this.querySelectorAll('[data-tab]')) {
      a.classList.toggle('active', a.dataset.tab === tab);
      if (a.dataset.tab === tab) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const screen = document.createElement(tag);
    if (arg) screen.setAttribute('arg', arg);
    this.main.replaceChildren(screen);
    this.main.scrollTop = 0;
    scrollTo(0, 0);
  }

  async refreshStatus() {
    if (!app.store) return;
    const online = navigator.onLine;
    const net = this.querySelector('[data-net]');
    const phase = app.engine?.phase;
    net.textContent = !online ? '离线' : phase ? '同步中…' : '在线';
    net.className = `net ${online ? 'online' : 'offline'}`;
    const counts = await app.store.countOutbox();
    const sum = (states) => states.reduce((n, state) => n + (counts[state] || 0), 0);
    const waiting = sum(PENDING);
    const attention = sum(['rejected', 'conflict']);
    const badge = this.querySelector('[data-pending]');
    badge.hidden = !(waiting || attention);
    badge.textContent = [waiting ? `待上传 ${waiting}` : '', attention ? `需处理 ${attention}` : ''].filter(Boolean).join(' · ');
    badge.classList.toggle('attention', attention > 0);
    const u = app.user || {};
    this.querySelector('[data-who]').textContent = `${u.display_name || u.username || ''}（${ROLE[u.role] || u.role || ''}）`;
    const unsent = sum(UNSENT);
    const banners = [];
    if (app.authLost === 'device_revoked') {
      banners.push(html`<div class="banner danger" data-banner="device-revoked">本设备已被管理员停用（吊销），无法再同步。本机 ${unsent} 条未上传记录仍然保留：请在“同步”页导出后交给管理员，或联系管理员处理。</div>`);
    } else if (app.authLost === 'session_ended') {
      banners.push(html`<div class="banner warn" data-banner="session-ended">登录已失效，请重新登录后继续同步。本机记录不会丢失。 <button type="button" data-relogin>重新登录</button></div>`);
    }
    this.querySelector('[data-banners]').innerHTML = String(raw(banners.join('')));
    this.querySelector('[data-relogin]')?.addEventListener('click', () => this.dispatchEvent(new CustomEvent('relogin', { bubbles: true })));
    document.body.dataset.online = online ? '1' : '0';
  }
}

customElements.define('aj-shell', Shell);
