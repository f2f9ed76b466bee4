// Who is logged in on this browser, and their store: login (enrolling this browser as the user's
// device at the first login), restoring the session at start (offline too), logout.
import { Api, ApiError } from './net/api.js';
import { flushRevocations, queueRevocation } from './net/revocations.js';
import { currentUser, deviceIdFor, rememberDevice, setCurrentUser } from './store/device.js';
import { UserStore } from './store/user-store.js';

/** The app's shared state: one logged-in user at a time. */
export const app = {
  events: new EventTarget(),
  store: null,
  api: null,
  user: null, // {id, username, display_name, role, region_code, industries, ...}
  deviceId: null,
  authLost: null, // null | 'session_ended' | 'device_revoked'
  engine: null,
};

export function emit(name, detail) {
  app.events.dispatchEvent(new CustomEvent(name, { detail }));
}

function makeApi(store) {
  return new Api({
    tokens: () => store.get('auth'),
    saveTokens: async (pair) => {
      const old = (await store.get('auth')) || {};
      await store.set('auth', { ...old, access_token: pair.access_token, refresh_token: pair.refresh_token, expires_in: pair.expires_in, at: new Date().toISOString() });
    },
    onAuthLost: (reason) => {
      if (app.authLost === reason) return;
      app.authLost = reason;
      store.set('auth_lost', reason);
      emit('auth-lost', reason);
    },
  });
}

/** A device name the admin recognises in the device list. */
function deviceName() {
  const ua = navigator.userAgent;
  const platform = /Android/.test(ua) ? 'Android' : /iPad|iPhone/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : '浏览器';
  return `现场检查应用 · ${platform}`;
}

/** Log in online; opens (or creates) this user's store. Throws the server's error otherwise. */
export async function login(username, password) {
  const deviceId = await deviceIdFor(username);
  const bare = new Api({ tokens: async () => null, saveTokens: async () => {}, onAuthLost: () => {} });
  const pair = await bare.login({ username, password, device_id: deviceId, device_name: deviceName() });
  await rememberDevice(username, deviceId);
  const store = await UserStore.open(pair.user_id);
  await store.set('auth', { access_token: pair.access_token, refresh_token: pair.refresh_token, expires_in: pair.expires_in, at: new Date().toISOString() });
  await store.set('auth_lost', undefined);
  const api = makeApi(store);
  let profile = (await store.get('profile')) || { id: pair.user_id, username, role: pair.role };
  try {
    profile = await api.me();
    await store.set('profile', profile);
  } catch { /* kept from before; refreshed at the next sync */ }
  await store.set('device_id', deviceId);
  await setCurrentUser({ user_id: pair.user_id, username });
  Object.assign(app, { store, api, user: profile, deviceId, authLost: null });
  flushRevocations(); // online now: end the logins left offline earlier on this browser
  return app;
}

/** The session left open on this browser, if any (works offline: the data is local). */
export async function restore() {
  const current = await currentUser();
  if (!current) return null;
  const store = await UserStore.open(current.user_id);
  const auth = await store.get('auth');
  if (!auth) return null;
  const profile = (await store.get('profile')) || { id: current.user_id, username: current.username, role: 'inspector' };
  Object.assign(app, { store, api: makeApi(store), user: profile, deviceId: await store.get('device_id'), authLost: (await store.get('auth_lost')) || null });
  return app;
}

/**
 * Log out: the login ends on the server now, or — offline, or when the server does not answer in
 * a few seconds — at the next online moment (net/revocations.js keeps the tokens until then).
 * The user's store forgets them; nothing else is deleted: unsent records, drafts and photos stay
 * for this user's next login.
 */
export async function logout() {
  const { store, api, user } = app;
  const auth = store ? await store.get('auth') : null;
  let ended = false;
  if (api && auth && navigator.onLine) {
    const attempt = api.logout().then(() => true, (error) => error instanceof ApiError && !error.temporary); // 401/403: already over
    ended = await Promise.race([attempt, new Promise((r) => setTimeout(() => r(false), 3000))]);
  }
  if (auth && !ended && !app.authLost) await queueRevocation({ user_id: user?.id, username: user?.username, ...auth });
  if (store) {
    await store.set('auth', undefined);
    store.close();
  }
  await setCurrentUser(undefined);
  Object.assign(app, { store: null, api: null, user: null, deviceId: null, authLost: null });
}
