// Logout while offline: the login must still end on the server. Its tokens are kept (in the
// browser's device database, not the user's) until the server has revoked them; at the next
// online moment — start, the ``online`` event, a login, or a retry every minute — each queued
// login is ended with ``POST /auth/logout`` (after a refresh when its access token has expired).
// Until then a stolen tablet's copy of the refresh token would still work; afterwards it does not.
import { Api, ApiError, NetworkError } from './api.js';
import { pendingRevocations, updateRevocations } from '../store/device.js';

const RETRY_MS = 60000;
let flushing = null;
let timer = null;

/** Keep a logout's tokens until the server has revoked them. */
export async function queueRevocation({ user_id: userId, username, access_token: access, refresh_token: refresh }) {
  if (!refresh && !access) return;
  await updateRevocations((list) => [
    ...list.filter((r) => r.refresh_token !== refresh),
    { user_id: userId, username, access_token: access, refresh_token: refresh, queued_at: new Date().toISOString() },
  ]);
  schedule();
}

/** End one queued login; true when it is over on the server (revoked now, or already dead). */
async function revoke(entry) {
  const tokens = { ...entry };
  const api = new Api({
    tokens: async () => tokens,
    saveTokens: async (pair) => {
      Object.assign(tokens, { access_token: pair.access_token, refresh_token: pair.refresh_token });
      // The refresh used the old token up: keep the new one in case the logout itself is lost.
      await updateRevocations((list) => list.map((r) => (r.refresh_token === entry.refresh_token ? { ...r, ...tokens } : r)));
      entry.refresh_token = tokens.refresh_token;
    },
    onAuthLost: () => {},
  });
  try {
    await api.logout();
    return true;
  } catch (error) {
    if (error instanceof NetworkError) return false;
    // 401/403: the session is over already (ended, expired, revoked with its device, token reused).
    if (error instanceof ApiError && !error.temporary) return true;
    return false;
  }
}

/** Send every queued revocation the server can be reached for; resolves with how many are left. */
export function flushRevocations() {
  if (flushing) return flushing;
  flushing = (async () => {
    try {
      for (const entry of await pendingRevocations()) {
        if (!navigator.onLine) break;
        const before = entry.refresh_token;
        if (await revoke(entry)) await updateRevocations((list) => list.filter((r) => r.refresh_token !== before && r.refresh_token !== entry.refresh_token));
      }
      const left = (await pendingRevocations()).length;
      if (left) schedule();
      return left;
    } catch {
      schedule();
      return null;
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => flushRevocations(), RETRY_MS);
}

/** At start: flush now (when online) and whenever the network returns. */
export function startRevocations() {
  addEventListener('online', () => flushRevocations());
  if (navigator.onLine) flushRevocations();
}
