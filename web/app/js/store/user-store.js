// One user's data on this browser, in a database of its own (``anjian-user-<user id>``): another
// user of the same tablet opens another database and never sees this one. Logout closes it and
// deletes nothing: unsent records wait here until their user logs in again.
//
// Stores (schema version 3):
//   kv        session tokens, profile, pull cursor, sync figures (out-of-line keys)
//   outbox    every record made here, keyed by its id, with its state and the server's answer
//   drafts    unfinished inspections, saved on every change
//   photos    photos and signatures as Blobs, keyed by sha256, with their upload progress; a
//             photo the server holds for good loses its Blob after a while (photo-retention.js)
//   entities  what pull delivered, except enterprises: [entity, id] → {entity, id, enterprise_id?,
//             data}; one entity's records are one key range, and only records of an enterprise
//             (hazards, assignments, inspections) are in the ``enterprise`` index
//   enterprise_chunks  pulled enterprises, up to 250 to a record (enterprise-chunks.js)
import { openDb, req, transact } from './db.js';
import {
  CHUNK, CHUNKS, allEnterprises, applyEnterprises, countEnterprises, createChunks, getEnterprise, getEnterprises, pullRun,
} from './enterprise-chunks.js';

const MIGRATIONS = [
  (db) => {
    db.createObjectStore('kv');
    const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
    outbox.createIndex('state', 'state');
    outbox.createIndex('created_at', 'created_at');
    db.createObjectStore('drafts', { keyPath: 'id' });
    const photos = db.createObjectStore('photos', { keyPath: 'sha256' });
    photos.createIndex('upload', 'upload');
    const entities = db.createObjectStore('entities', { keyPath: ['entity', 'id'] });
    entities.createIndex('entity', 'entity');
    entities.createIndex('enterprise', 'enterprise_id');
  },
  // 2: the ``entity`` index goes (a key range over [entity, id] finds the same records): keeping it
  // cost a fifth of every pulled record's write.
  (db, tx) => tx.objectStore('entities').deleteIndex('entity'),
  // 3: enterprises move into chunks of many (a first sync of 10k–100k writes far fewer records).
  (db, tx) => {
    const chunks = createChunks(db);
    const entities = tx.objectStore('entities');
    const range = IDBKeyRange.bound(['enterprise'], ['enterprise', []]);
    entities.getAll(range).onsuccess = (event) => {
      const rows = event.target.result.map((r) => r.data);
      for (let i = 0; i < rows.length; i += CHUNK) {
        const part = rows.slice(i, i + CHUNK);
        chunks.add({ ids: part.map((r) => r.id), rows: part });
      }
      entities.delete(range);
    };
  },
];

/** Kinds of pulled records that belong to one enterprise and leave with its tombstone. */
export const OF_ENTERPRISE = ['hazard', 'assignment', 'inspection'];
const KINDS = ['enterprise', 'hazard', 'checklist_version', 'assignment', 'inspection'];
const STRICT = { durability: 'strict' };
const RELAXED = { durability: 'relaxed' };

/** Every key ``[entity, …]`` of one entity: arrays sort after strings, so ``[entity, []]`` ends it. */
const kind = (entity) => IDBKeyRange.bound([entity], [entity, []]);

/** The stored row of a pulled record: the enterprise index holds only what belongs to an enterprise. */
function pulledRow(entity, id, data) {
  return OF_ENTERPRISE.includes(entity) ? { entity, id, enterprise_id: data?.enterprise_id, data } : { entity, id, data };
}

/** A draft changed or finished elsewhere (another tab, a second tap) since this screen read it. */
export class FinishConflict extends Error {
  constructor(changed = false) {
    super(changed
      ? '这份检查草稿已在另一个窗口中修改，本窗口的内容未提交。请重新打开草稿核对后再完成。'
      : '这份检查已经完成（可能在另一个窗口中），未重复保存。请在“待上传”中查看。');
    this.name = 'FinishConflict';
    this.changed = changed;
  }
}

/** Records not yet answered by the server, or answered ``rejected``: they must never be lost. */
export const UNSENT = ['waiting', 'sending', 'rejected'];
export const PENDING = ['waiting', 'sending'];

export class UserStore {
  constructor(db, userId) {
    this.db = db;
    this.userId = userId;
  }

  static async open(userId) {
    return new UserStore(await openDb(`anjian-user-${userId}`, MIGRATIONS), userId);
  }

  close() {
    this.db.close();
  }

  // --- key/value ---------------------------------------------------------------------------
  get(key) {
    return transact(this.db, 'kv', 'readonly', ({ kv }) => req(kv.get(key)));
  }

  set(key, value) {
    return transact(this.db, 'kv', 'readwrite', ({ kv }) => req(value === undefined ? kv.delete(key) : kv.put(value, key)));
  }

  // --- outbox ------------------------------------------------------------------------------
  putOutbox(entry) {
    return transact(this.db, 'outbox', 'readwrite', ({ outbox }) => req(outbox.put(entry)), STRICT);
  }

  getOutbox(id) {
    return transact(this.db, 'outbox', 'readonly', ({ outbox }) => req(outbox.get(id)));
  }

  /** Every outbox entry, oldest first. */
  listOutbox() {
    return transact(this.db, 'outbox', 'readonly', ({ outbox }) => req(outbox.index('created_at').getAll()));
  }

  async outboxIn(states) {
    const all = await this.listOutbox();
    return all.filter((e) => states.includes(e.state));
  }

  /** Change entries in one transaction: ``change(entry)`` edits each in place (or returns false to skip). */
  updateOutbox(ids, change) {
    return transact(this.db, 'outbox', 'readwrite', async ({ outbox }) => {
      const changed = [];
      for (const id of ids) {
        const entry = await req(outbox.get(id));
        if (!entry || change(entry) === false) continue;
        entry.updated_at = new Date().toISOString();
        await req(outbox.put(entry));
        changed.push(entry);
      }
      return changed;
    }, STRICT);
  }

  /**
   * The server's answers to a push: ``change(entry, photoStates)`` sets each entry's state and
   * notes the photos its record references (sha256 → ``pending`` when the server lacks it, else
   * ``done``); entries and photos change in one transaction, so a crash never leaves a record
   * accepted whose missing photo is not marked for upload.
   */
  answerOutbox(ids, change) {
    return transact(this.db, ['outbox', 'photos'], 'readwrite', async ({ outbox, photos }) => {
      const now = new Date().toISOString();
      const photoStates = new Map();
      for (const id of ids) {
        const entry = await req(outbox.get(id));
        if (!entry || change(entry, photoStates) === false) continue;
        entry.updated_at = now;
        outbox.put(entry);
      }
      for (const [sha, state] of photoStates) {
        const photo = await req(photos.get(sha));
        if (photo && photo.upload !== 'done') photos.put(state === 'done' ? { ...photo, upload: state, done_at: now } : { ...photo, upload: state });
      }
    }, STRICT);
  }

  /** Entries per state, from the ``state`` index (no record is read: the frame asks often). */
  countOutbox() {
    return transact(this.db, 'outbox', 'readonly', async ({ outbox }) => {
      const index = outbox.index('state');
      const states = ['waiting', 'sending', 'accepted', 'duplicate', 'rejected', 'conflict', 'resolved'];
      const counts = await Promise.all(states.map((state) => req(index.count(state))));
      return Object.fromEntries(states.map((state, i) => [state, counts[i]]).filter(([, n]) => n));
    });
  }

  // --- drafts ------------------------------------------------------------------------------
  putDraft(draft) {
    return transact(this.db, 'drafts', 'readwrite', ({ drafts }) => req(drafts.put(draft)), STRICT);
  }

  /**
   * Save a draft this screen read at ``expected`` (its ``updated_at``): refused (false, nothing
   * written) when it was changed, finished or deleted since — in another tab — so one tab never
   * silently overwrites what the other saved.
   */
  saveDraft(draft, expected) {
    return transact(this.db, 'drafts', 'readwrite', async ({ drafts }) => {
      const stored = await req(drafts.get(draft.id));
      if (!stored || stored.updated_at !== expected) return false;
      await req(drafts.put(draft));
      return true;
    }, STRICT);
  }

  getDraft(id) {
    return transact(this.db, 'drafts', 'readonly', ({ drafts }) => req(drafts.get(id)));
  }

  listDrafts() {
    return transact(this.db, 'drafts', 'readonly', ({ drafts }) => req(drafts.getAll()));
  }

  deleteDraft(id) {
    return transact(this.db, 'drafts', 'readwrite', ({ drafts }) => req(drafts.delete(id)), STRICT);
  }

  /**
   * A finished inspection: its record enters the outbox and its draft leaves, in one transaction.
   * Refused (``FinishConflict``, nothing written) when the draft is gone or its record is already
   * queued or answered (a second tap, another tab): the same id with other bytes would be refused
   * by the server as ``id_in_use``. Only a rejected record may be replaced by its correction.
   */
  finishDraft(draftId, entry, expected) {
    return transact(this.db, ['drafts', 'outbox'], 'readwrite', async ({ drafts, outbox }) => {
      const [draft, queued] = await Promise.all([req(drafts.get(draftId)), req(outbox.get(entry.id))]);
      if (!draft || (queued && queued.state !== 'rejected')) throw new FinishConflict();
      if (expected !== undefined && draft.updated_at !== expected) throw new FinishConflict(true);
      await req(outbox.put(entry));
      await req(drafts.delete(draftId));
    }, STRICT);
  }

  /**
   * A conflict settled: the entry becomes ``resolved`` and, when the step is re-applied, its new
   * record is queued — in one transaction, so a crash never leaves both or neither.
   */
  resolveConflict(entryId, fields, newEntry = null) {
    return transact(this.db, 'outbox', 'readwrite', async ({ outbox }) => {
      const entry = await req(outbox.get(entryId));
      if (!entry || entry.state !== 'conflict') return false;
      if (newEntry) await req(outbox.put(newEntry));
      await req(outbox.put({ ...entry, ...fields, state: 'resolved', updated_at: new Date().toISOString() }));
      return true;
    }, STRICT);
  }

  // --- photos ------------------------------------------------------------------------------
  /**
   * Keep a photo (idempotent: the same bytes have the same sha256 and are stored once). A photo
   * whose bytes were cleared after the server confirmed it gets them back (taken again).
   */
  putPhoto(photo) {
    return transact(this.db, 'photos', 'readwrite', async ({ photos }) => {
      const old = await req(photos.get(photo.sha256));
      if (!old) await req(photos.put({ upload: 'local', offset: 0, created_at: new Date().toISOString(), ...photo }));
      else if (!old.blob) await req(photos.put({ ...old, blob: photo.blob, size: photo.size, cleared_at: undefined }));
    }, STRICT);
  }

  getPhoto(sha) {
    return transact(this.db, 'photos', 'readonly', ({ photos }) => req(photos.get(sha)));
  }

  /**
   * Change a photo's row (upload progress). Default durability: a lost offset or ``done`` only
   * costs a ``HEAD`` that tells the upload where it stands (the photo itself is put strictly).
   */
  updatePhoto(sha, fields) {
    return transact(this.db, 'photos', 'readwrite', async ({ photos }) => {
      const photo = await req(photos.get(sha));
      if (photo) await req(photos.put({ ...photo, ...fields }));
      return photo ? { ...photo, ...fields } : null;
    });
  }

  /** How many photos are kept here, how many of them only as metadata (cleared), and the bytes kept. */
  async photoSummary() {
    const all = await transact(this.db, 'photos', 'readonly', ({ photos }) => req(photos.getAll()));
    const kept = all.filter((p) => p.blob);
    return { total: all.length, kept: kept.length, cleared: all.length - kept.length, bytes: kept.reduce((n, p) => n + (p.blob.size || 0), 0) };
  }

  photosWithUpload(state) {
    return transact(this.db, 'photos', 'readonly', ({ photos }) => req(photos.index('upload').getAll(state)));
  }

  // --- pulled entities ----------------------------------------------------------------------
  entity(entity, id) {
    if (entity === 'enterprise') return transact(this.db, CHUNKS, 'readonly', (stores) => getEnterprise(stores[CHUNKS], id));
    return transact(this.db, 'entities', 'readonly', async ({ entities }) => (await req(entities.get([entity, id])))?.data ?? null);
  }

  /** Several pulled enterprises at once (lists showing an enterprise name per line): Map id → record. */
  enterprises(ids) {
    return transact(this.db, CHUNKS, 'readonly', (stores) => getEnterprises(stores[CHUNKS], ids));
  }

  async entities(entity) {
    if (entity === 'enterprise') return transact(this.db, CHUNKS, 'readonly', (stores) => allEnterprises(stores[CHUNKS]));
    const rows = await transact(this.db, 'entities', 'readonly', ({ entities }) => req(entities.getAll(kind(entity))));
    return rows.map((r) => r.data);
  }

  async ofEnterprise(entity, enterpriseId) {
    const rows = await transact(this.db, 'entities', 'readonly', ({ entities }) => req(entities.index('enterprise').getAll(enterpriseId)));
    return rows.filter((r) => r.entity === entity).map((r) => r.data);
  }

  async countEntities() {
    return transact(this.db, ['entities', CHUNKS], 'readonly', async (stores) => {
      const out = {};
      for (const name of KINDS) out[name] = await (name === 'enterprise' ? countEnterprises(stores[CHUNKS]) : req(stores.entities.count(kind(name))));
      return out;
    });
  }

  /** Keep the server's current state of one entity (a conflict's ``current``: a hazard). */
  putEntity(entity, id, data) {
    if (entity === 'enterprise') return this.applyPull([{ entity, id, op: 'upsert', data }], undefined, false);
    return transact(this.db, 'entities', 'readwrite', ({ entities }) => req(entities.put(pulledRow(entity, id, data))));
  }

  /** What one pull run carries from page to page (``applyPull``'s ``run``). */
  static pullRun() {
    return pullRun();
  }

  /**
   * Apply one pulled page and its cursor in one transaction (docs/sync.md: a crash never splits
   * them). ``reset`` drops every pulled record first; an enterprise's tombstone takes its hazards,
   * assignments and inspections along. ``run`` (``UserStore.pullRun()``) is shared by the pages
   * of one pull; ``cursor`` undefined leaves the stored one. Relaxed durability: a page lost to a
   * power cut is lost with its cursor, and pulled again.
   */
  applyPull(items, cursor, reset, clock = null, run = pullRun()) {
    return transact(this.db, ['entities', CHUNKS, 'kv'], 'readwrite', async (stores) => {
      const { entities, kv } = stores;
      if (reset) entities.clear();
      const upserts = [];
      const deletes = [];
      const gone = [];
      for (const item of items) {
        if (item.entity === 'enterprise') {
          if (item.op === 'delete') {
            deletes.push(item.id);
            gone.push(item.id);
          } else upserts.push(item.data);
        } else if (item.op === 'delete') entities.delete([item.entity, item.id]);
        else entities.put(pulledRow(item.entity, item.id, item.data));
      }
      await applyEnterprises(stores[CHUNKS], upserts, deletes, run, reset);
      for (const id of gone) {
        const keys = await req(entities.index('enterprise').getAllKeys(id));
        for (const key of keys) if (OF_ENTERPRISE.includes(key[0])) entities.delete(key);
      }
      if (clock) kv.put(clock, 'clock');
      if (cursor !== undefined) await req(kv.put(cursor, 'cursor'));
    }, RELAXED);
  }
}
