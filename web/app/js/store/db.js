// IndexedDB in promises: open a versioned database, run one transaction, read one request.
// Each schema version is one migration step, so a new app version upgrades whatever version of
// the data an older one left behind (data is never dropped to "start clean").

export class StorageUnavailable extends Error {
  constructor(cause) {
    super('本机数据库（IndexedDB）不可用：浏览器可能处于无痕/隐私模式或禁止了网站存储数据。应用无法离线保存记录，请使用普通模式打开。');
    this.name = 'StorageUnavailable';
    this.cause = cause;
  }
}

/** The result of one IDBRequest. */
export function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Settles when the transaction commits (rejects when it aborts). */
export function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new DOMException('transaction aborted', 'AbortError'));
  });
}

/**
 * Open ``name`` at ``migrations.length`` (migration ``i`` brings version ``i`` to ``i + 1``).
 * Another tab of a newer version asks this one to close (``versionchange``): it reloads and so
 * runs the newer code too.
 */
export function openDb(name, migrations) {
  const version = migrations.length;
  return new Promise((resolve, reject) => {
    let factory;
    try {
      factory = self.indexedDB;
    } catch (error) {
      reject(new StorageUnavailable(error));
      return;
    }
    if (!factory) {
      reject(new StorageUnavailable());
      return;
    }
    let request;
    try {
      request = factory.open(name, version);
    } catch (error) {
      reject(new StorageUnavailable(error));
      return;
    }
    request.onupgradeneeded = (event) => {
      const db = request.result;
      for (let v = event.oldVersion; v < version; v += 1) migrations[v](db, request.transaction);
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close();
        location.reload();
      };
      resolve(db);
    };
    request.onerror = () => reject(new StorageUnavailable(request.error));
  });
}

/**
 * Run ``work(stores)`` in one transaction over ``names``; resolves with its result after commit.
 * ``durability``: ``'strict'`` for what the inspector made (the commit reaches the disk before it
 * is reported: a power cut right after 完成检查 loses nothing), ``'relaxed'`` for what can be
 * pulled again (Chromium's default is relaxed, so say which).
 */
export async function transact(db, names, mode, work, { durability } = {}) {
  const tx = durability ? db.transaction(names, mode, { durability }) : db.transaction(names, mode);
  const stores = Object.fromEntries([].concat(names).map((n) => [n, tx.objectStore(n)]));
  const finished = done(tx);
  let result;
  try {
    result = await work(stores, tx);
  } catch (error) {
    try { tx.abort(); } catch { /* already finished */ }
    await finished.catch(() => {});
    throw error;
  }
  await finished;
  return result;
}
