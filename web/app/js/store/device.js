// What belongs to this browser, not to a user: its install id, the device id each user enrolled
// from it, and who is logged in now. Nothing of a user's work is kept here.
import { openDb, req, transact } from './db.js';
import { uuid4 } from '../logic/ids.js';

const MIGRATIONS = [
  (db) => db.createObjectStore('kv'),
];

let dbPromise;
function db() {
  dbPromise ??= openDb('anjian-device', MIGRATIONS);
  return dbPromise;
}

async function get(key) {
  return transact(await db(), 'kv', 'readonly', ({ kv }) => req(kv.get(key)));
}

async function set(key, value) {
  return transact(await db(), 'kv', 'readwrite', ({ kv }) => req(value === undefined ? kv.delete(key) : kv.put(value, key)));
}

/** Opens the device database; throws StorageUnavailable when the browser has none. */
export async function openDevice() {
  await db();
  if (!(await get('install_id'))) await set('install_id', uuid4());
}

/**
 * The device id this browser uses for ``username``: generated at its first login here and kept.
 * The server ties a device to one user, so each user of a shared tablet enrols their own id.
 */
export async function deviceIdFor(username) {
  const devices = (await get('devices')) || {};
  return devices[username] || uuid4();
}

export async function rememberDevice(username, deviceId) {
  const devices = (await get('devices')) || {};
  devices[username] = deviceId;
  await set('devices', devices);
}

/** Logins ended while offline, whose tokens the server must still revoke (net/revocations.js). */
export const pendingRevocations = async () => (await get('revocations')) || [];

/** Change the list of pending revocations in one transaction (``change(list)`` returns the new list). */
export async function updateRevocations(change) {
  return transact(await db(), 'kv', 'readwrite', async ({ kv }) => {
    const list = change((await req(kv.get('revocations'))) || []);
    await req(list.length ? kv.put(list, 'revocations') : kv.delete('revocations'));
    return list;
  }, { durability: 'strict' });
}

export const currentUser = () => get('current');
export const setCurrentUser = (value) => set('current', value);
export const installId = () => get('install_id');
