// The service worker from the page's side: register it, let a downloaded new version take over
// at the next online start (never in the middle of work, never offline), and tell its version.
import { html } from './ui/dom.js';

/** Register; resolves true when the page is about to reload into a newer version. */
export async function registerWorker(notice) {
  if (!('serviceWorker' in navigator)) {
    if (isSecureContext) notice('no-sw', 'warn', '此浏览器不支持离线缓存（Service Worker），断网后无法打开应用。');
    return false;
  }
  let registration;
  try {
    registration = await navigator.serviceWorker.register('sw.js', { scope: './', updateViaCache: 'none' });
  } catch (error) {
    notice('no-sw', 'warn', `离线缓存注册失败：${error.message}`);
    return false;
  }
  if (registration.waiting && navigator.serviceWorker.controller && navigator.onLine && (await activate(registration.waiting))) return true;
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) {
        notice('update', 'info', html`应用新版本已下载，将在下次联网启动时启用（本机数据不受影响）。 <button type="button" data-update-now>立即启用</button>`);
        document.querySelector('[data-update-now]')?.addEventListener('click', () => activate(worker));
      }
    });
  });
  if (navigator.onLine) registration.update().catch(() => {});
  return false;
}

/** Let ``worker`` take over; resolves true when the page reloads into it (false: it did not, in time). */
function activate(worker) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      clearTimeout(timer);
      resolve(true);
      location.reload();
    }, { once: true });
    worker.postMessage({ type: 'skip-waiting' });
  });
}

/** The version of the service worker serving this page (null without one). */
export async function workerVersion() {
  const controller = navigator.serviceWorker?.controller;
  if (!controller) return null;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data?.version ?? null);
    controller.postMessage({ type: 'version' }, [channel.port2]);
    setTimeout(() => resolve(null), 2000);
  });
}
