// Start of the field app: check the browser can keep data, register the service worker, restore
// the session left open (offline too) or ask for a login, then run the screens and the sync.
import './ui/photo-picker.js';
import './ui/signature-pad.js';
import './shell.js';
import './screens/login.js';
import './screens/tasks.js';
import './screens/enterprises.js';
import './screens/enterprise.js';
import './screens/scan.js';
import './screens/inspections.js';
import './screens/inspection.js';
import './screens/hazards.js';
import './screens/hazard.js';
import './screens/outbox.js';
import './screens/sync.js';
import { openDevice } from './store/device.js';
import { app, logout, restore } from './session.js';
import { SyncEngine } from './sync/engine.js';
import { warmUp } from './logic/search.js';
import { registerWorker, workerVersion } from './worker-client.js';
import { startRevocations } from './net/revocations.js';
import { storageState } from './storage-health.js';
import { html, raw } from './ui/dom.js';

const root = document.querySelector('#app');
const notices = document.querySelector('#notices');

/** A notice above every screen (insecure context, storage, new version); replaced by its id. */
function notice(id, kind, content) {
  notices.querySelector(`[data-notice="${id}"]`)?.remove();
  const box = document.createElement('div');
  box.className = `banner ${kind}`;
  box.dataset.notice = id;
  box.innerHTML = String(typeof content === 'string' ? html`${content}` : raw(String(content)));
  notices.append(box);
}

function startSession() {
  app.engine?.stop();
  app.engine = new SyncEngine(app.store, app.api);
  root.replaceChildren(document.createElement('aj-shell'));
  app.engine.start();
  warmUp(app.store);
}

function showLogin(username) {
  const screen = document.createElement('aj-login');
  if (username) screen.setAttribute('username', username);
  root.replaceChildren(screen);
}

app.events.addEventListener('logged-in', () => startSession());
app.events.addEventListener('logout', async () => {
  app.engine?.stop();
  app.engine = null;
  await logout();
  location.hash = '';
  location.reload(); // nothing of this user stays in the page's memory
});
addEventListener('relogin', () => showLogin(app.user?.username));

async function boot() {
  if (!window.isSecureContext) {
    notice('insecure', 'danger', '当前连接不安全（不是 HTTPS）：浏览器不会启用离线功能和持久存储，断网后应用无法打开，数据也可能被清除。请使用管理员提供的 https:// 地址打开本应用。');
  }
  try {
    await openDevice();
  } catch (error) {
    root.innerHTML = String(html`<section class="fatal" data-fatal="storage"><h1>无法保存数据</h1><p>${error.message}</p></section>`);
    document.body.dataset.ready = 'fatal';
    return;
  }
  if (await registerWorker(notice)) return; // reloading into the new version
  startRevocations(); // logins ended offline end on the server as soon as it can be reached
  storageState({ ask: true }).then((s) => {
    app.storage = s;
    if (s.short) notice('storage-short', 'warn', '本机存储空间不足：请尽快联网同步，或导出未上传数据。');
  });
  const showVersion = () => workerVersion().then((v) => {
    app.version = v;
    document.body.dataset.version = v || '';
  });
  showVersion();
  navigator.serviceWorker?.addEventListener('controllerchange', showVersion); // the first install claims the page
  let restored = null;
  try {
    restored = await restore();
  } catch (error) {
    root.innerHTML = String(html`<section class="fatal" data-fatal="storage"><h1>无法读取本机数据</h1><p>${error.message}</p></section>`);
    document.body.dataset.ready = 'fatal';
    return;
  }
  if (restored) startSession();
  else showLogin();
  document.body.dataset.ready = '1';
}

boot();
