// One user's data on this browser, in a database of its own (``anjian-user-<user id>``): another
// user of the same tablet opens another database and never sees this one. Logout closes it and
// deletes nothing: unsent records wait here until their user logs in again.
//
// Stores (schema version 1):
//   kv        session tokens, profile, pull cursor, sync figures (out-of-line keys)
//   outbox    every record made here, keyed by its id, with its state and the server's answer
//   drafts    unfinished inspections, saved on every change
//   photos    photos and signatures as Blobs, keyed by sha256, with their upload progress
//   entities  what pull delivered: [entity, id] → {entity, id, enterprise_id, data}
import { openDb, req, transact } from './db.js';

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
];

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
    return transact(this.db, 'outbox', 'readwrite', ({ outbox }) => req(outbox.put(entry)));
  }

  getOutbox(id) {
    return transact(this.db, 'outbox', 'readonly', ({ outbox }) => req(outbox.get(id)));
  }

  /** Every outbox entry, oldest first. */
  async listOutbox() {
    const all = await transact(this.db, 'outbox', 'readonly', ({ outbox }) => req(outbox.index('created_at').getAll()));
    return all;
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
    });
  }

  async countOutbox() {
    const counts = {};
    for (const entry of await this.listOutbox()) counts[entry.state] = (counts[entry.state] || 0) + 1;
    return counts;
  }

  // --- drafts ------------------------------------------------------------------------------
  putDraft(draft) {
    return transact(this.db, 'drafts', 'readwrite', ({ drafts }) => req(drafts.put(draft)));
  }

  getDraft(id) {
    return transact(this.db, 'drafts', 'readonly', ({ drafts }) => req(drafts.get(id)));
  }

  listDrafts() {
    return transact(this.db, 'drafts', 'readonly', ({ drafts }) => req(drafts.getAll()));
  }

  deleteDraft(id) {
    return transact(this.db, 'drafts', 'readwrite', ({ drafts }) => req(drafts.delete(id)));
  }

  /** A finished inspection: its record enters the outbox and its draft leaves, in one transaction. */
  finishDraft(draftId, entry) {
    return transact(this.db, ['drafts', 'outbox'], 'readwrite', async ({ drafts, outbox }) => {
      await req(outbox.put(entry));
      await req(drafts.delete(draftId));
    });
  }

  // --- photos ------------------------------------------------------------------------------
  /** Keep a photo (idempotent: the same bytes have the same sha256 and are stored once). */
  putPhoto(photo) {
    return transact(this.db, 'photos', 'readwrite', async ({ photos }) => {
      const old = await req(photos.get(photo.sha256));
      if (!old) await req(photos.put({ upload: 'local', offset: 0, created_at: new Date().toISOString(), ...photo }));
    });
  }

  getPhoto(sha) {
    return transact(this.db, 'photos', 'readonly', ({ photos }) => req(photos.get(sha)));
  }

  updatePhoto(sha, fields) {
    return transact(this.db, 'photos', 'readwrite', async ({ photos }) => {
      const photo = await req(photos.get(sha));
      if (photo) await req(photos.put({ ...photo, ...fields }));
      return photo ? { ...photo, ...fields } : null;
    });
  }

  photosWithUpload(state) {
    return transact(this.db, 'photos', 'readonly', ({ photos }) => req(photos.index('upload').getAll(state)));
  }

  // --- pulled entities ----------------------------------------------------------------------
  entity(entity, id) {
    return transact(this.db, 'entities', 'readonly', async ({ entities }) => (await req(entities.get([entity, id])))?.data ?? null);
  }

  async entities(entity) {
    const rows = await transact(this.db, 'entities', 'readonly', ({ entities }) => req(entities.index('entity').getAll(entity)));
    return rows.map((r) => r.data);
  }

  async ofEnterprise(entity, enterpriseId) {
    const rows = await transact(this.db, 'entities', 'readonly', ({ entities }) => req(entities.index('enterprise').getAll(enterpriseId)));
    return rows.filter((r) => r.entity === entity).map((r) => r.data);
  }

  async countEntities() {
    return transact(this.db, 'entities', 'readonly', async ({ entities }) => {
      const index = entities.index('entity');
      const out = {};
      for (const name of ['enterprise', 'hazard', 'checklist_version', 'assignment']) out[name] = await req(index.count(name));
      return out;
    });
  }

  /** Keep the server's current state of one entity (a conflict's ``current``). */
  putEntity(entity, id, data) {
    return transact(this.db, 'entities', 'readwrite', ({ entities }) => req(entities.put({ entity, id, enterprise_id: data.enterprise_id, data })));
  }

  /**
   * Apply one pulled page and its cursor in one transaction (docs/sync.md: a crash never splits
   * them). ``reset`` drops every pulled record first; an enterprise's tombstone takes its hazards
   * and assignments along.
   */
  applyPull(items, cursor, reset) {
    return transact(this.db, ['entities', 'kv'], 'readwrite', async ({ entities, kv }) => {
      if (reset) await req(entities.clear());
      for (const item of items) {
        if (item.op === 'delete') {
          await req(entities.delete([item.entity, item.id]));
          if (item.entity === 'enterprise') {
            const keys = await req(entities.index('enterprise').getAllKeys(item.id));
            for (const key of keys) if (key[0] === 'hazard' || key[0] === 'assignment') await req(entities.delete(key));
          }
        } else {
          entities.put({ entity: item.entity, id: item.id, enterprise_id: item.data?.enterprise_id, data: item.data });
        }
      }
      await req(kv.put(cursor, 'cursor'));
    });
  }
}
