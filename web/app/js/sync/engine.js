// Moving records: push the outbox, upload the photos the server lacks (resuming), pull by cursor.
// Runs at start, when the network returns, after a record is made, every half minute while
// anything waits, and on demand; a failure waits longer each time (backoff with jitter, at least
// the server's Retry-After). A record leaves the "waiting" states only when a result names it: a
// lost response is simply sent again and the server answers ``duplicate`` (docs/sync.md).
import { ApiError, NetworkError, errorLines } from '../net/api.js';
import { photoRefs } from '../logic/checklist.js';
import { invalidate, warmUp } from '../logic/search.js';
import { PENDING, UserStore } from '../store/user-store.js';
import { sweepPhotos } from '../store/photo-retention.js';
import { app, emit } from '../session.js';

const BATCH = 50;
const PAGE = 2000;
const CHUNK = 256 * 1024;
const UPLOADS_AT_ONCE = 3;
const TICK_MS = 30000;
const MAX_BACKOFF_MS = 5 * 60 * 1000;

export class SyncEngine {
  constructor(store, api) {
    this.store = store;
    this.api = api;
    this.running = null;
    this.timer = null;
    this.failures = 0;
    this.nextAt = null;
    this.lastError = null;
    this.phase = '';
    this.upload = null; // {sha, sent, total}
    this.timings = null; // the last run's phases in ms (what the 同步 screen and bench/field_app.py show)
    this.onOnline = () => {
      this.failures = 0;
      this.schedule(200);
      emit('network');
    };
    this.onOffline = () => emit('network');
  }

  start() {
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
    this.interval = setInterval(() => this.tick(), TICK_MS);
    this.schedule(0);
    this.sweep();
  }

  /** Drop the Blobs of photos the server has held for long enough (store/photo-retention.js). */
  async sweep() {
    try {
      const { cleared } = await sweepPhotos(this.store);
      if (cleared) emit('photos-cleared', cleared);
    } catch { /* a store closed by logout, a full disk: tried again after the next sync */ }
  }

  stop() {
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    clearInterval(this.interval);
    clearTimeout(this.timer);
    this.stopped = true;
  }

  schedule(ms) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.nextAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextAt = null;
      this.run();
    }, ms);
    emit('sync-state');
  }

  /** Every half minute: send what waits (unless a backoff is already scheduled). */
  async tick() {
    if (this.running || this.timer || !navigator.onLine || app.authLost) return;
    const waiting = (await this.store.outboxIn(PENDING)).length;
    const pendingPhotos = (await this.store.photosWithUpload('pending')).length;
    const last = Date.parse((await this.store.get('last_sync')) || 0) || 0;
    if (waiting || pendingPhotos || Date.now() - last > 5 * 60 * 1000) this.run();
  }

  /** One full sync; concurrent calls share the run in progress. */
  run() {
    if (this.running) return this.running;
    if (this.stopped || app.authLost) return Promise.resolve();
    if (!navigator.onLine) {
      this.phase = 'offline';
      emit('sync-state');
      return Promise.resolve();
    }
    this.running = (async () => {
      clearTimeout(this.timer);
      this.timer = null;
      this.nextAt = null;
      try {
        const timings = { started: performance.now(), pull_wait_ms: 0, pull_store_ms: 0, pages: 0, items: 0 };
        const phase = async (name, step) => {
          const t = performance.now();
          this.setPhase(name);
          await step();
          timings[`${name}_ms`] = performance.now() - t;
        };
        this.timings = timings;
        const work = async () => {
          await phase('push', () => this.push());
          await phase('upload', () => this.uploads());
          await phase('pull', () => this.pull(timings));
          await phase('profile', () => this.refreshProfile());
        };
        // One tab syncs at a time: two would send the same records side by side.
        if (navigator.locks) await navigator.locks.request(`anjian-sync-${this.store.userId}`, work);
        else await work();
        this.failures = 0;
        this.lastError = null;
        await this.store.set('last_sync', new Date().toISOString());
        timings.total_ms = performance.now() - timings.started;
        if (this.pulled) {
          this.pulled = false;
          invalidate();
          warmUp(this.store); // the 企业 search answers at once, even after a first sync of 100k
        }
        await this.sweep();
        if ((await this.store.outboxIn(PENDING)).length) this.schedule(1000);
      } catch (error) {
        this.failures += 1;
        this.lastError = error;
        if (!app.authLost && !this.stopped) this.schedule(backoff(this.failures, error));
      } finally {
        this.phase = '';
        this.upload = null;
        this.running = null;
        emit('sync-state');
      }
    })();
    return this.running;
  }

  setPhase(phase) {
    this.phase = phase;
    emit('sync-state');
  }

  async noteServerTime(serverTime, sentAt, answeredAt) {
    const clock = clockOf(serverTime, sentAt, answeredAt);
    if (clock) await this.store.set('clock', clock);
  }

  // --- push ----------------------------------------------------------------------------------
  async push() {
    for (;;) {
      const batch = (await this.store.outboxIn(PENDING)).slice(0, BATCH);
      if (!batch.length) return;
      const ids = batch.map((e) => e.id);
      await this.store.updateOutbox(ids, (e) => {
        e.state = 'sending';
        e.attempts = (e.attempts || 0) + 1;
      });
      emit('outbox');
      const sentAt = Date.now();
      let out;
      try {
        out = await this.api.push(batch.map((e) => e.record));
      } catch (error) {
        const reason = errorLines(error).join('；');
        await this.store.updateOutbox(ids, (e) => {
          if (e.state !== 'sending') return false;
          e.state = 'waiting';
          e.last_error = reason;
          e.last_error_at = new Date().toISOString();
        });
        emit('outbox');
        throw error;
      }
      await this.noteServerTime(out.server_time, sentAt, Date.now());
      await this.applyResults(ids, out.results || []);
    }
  }

  async applyResults(ids, results) {
    const byId = new Map(results.map((r) => [String(r.id).toLowerCase(), r]));
    const now = new Date().toISOString();
    const conflicts = [];
    await this.store.answerOutbox(ids, (e, photoStates) => {
      const r = byId.get(e.id.toLowerCase());
      if (!r) {
        e.state = 'waiting'; // not answered: sent again next time
        return;
      }
      e.state = r.status;
      e.result = r;
      e.answered_at = now;
      e.last_error = null;
      if (r.status === 'rejected') {
        e.rejections = [...(e.rejections || []), { at: now, code: r.code, field: r.field, message: r.message, message_zh: r.message_zh, problems: r.problems }];
      }
      if (r.status === 'accepted' || r.status === 'duplicate') {
        const missing = new Set(r.missing_attachments || []);
        for (const sha of photoRefs(e.record)) photoStates.set(sha, missing.has(sha) ? 'pending' : photoStates.get(sha) || 'done');
      }
      if (r.status === 'conflict' && r.current) conflicts.push(r.current);
    });
    for (const current of conflicts) {
      const known = await this.store.entity('hazard', current.id);
      if (!known || (current.version ?? 0) >= (known.version ?? 0)) await this.store.putEntity('hazard', current.id, current);
    }
    emit('outbox');
    if (conflicts.length) emit('entities');
  }

  // --- photos --------------------------------------------------------------------------------
  /** Upload what the server lacks, a few at once (each a HEAD and small PUTs: latency-bound). */
  async uploads() {
    const queue = await this.store.photosWithUpload('pending');
    const worker = async () => {
      for (let photo = queue.shift(); photo; photo = queue.shift()) await this.uploadOne(photo);
    };
    const count = queue.length;
    await Promise.all(Array.from({ length: UPLOADS_AT_ONCE }, worker));
    if (count) emit('outbox'); // once: every screen showing the outbox reads it all again
  }

  async uploadOne(photo) {
    const { sha256: sha, blob } = photo;
    if (!blob) {
      // Only a photo the server had confirmed loses its Blob; asked for again, it cannot be sent.
      await this.store.updatePhoto(sha, { upload: 'lost' });
      emit('outbox');
      return;
    }
    const total = blob.size;
    let { offset, complete } = await this.api.attachmentState(sha);
    while (!complete && offset < total) {
      this.upload = { sha, sent: offset, total };
      emit('upload-progress', this.upload);
      const chunk = blob.slice(offset, Math.min(total, offset + CHUNK));
      try {
        ({ offset, complete } = await this.api.uploadChunk(sha, chunk, offset, total));
      } catch (error) {
        if (error instanceof ApiError && error.code === 'offset_mismatch') {
          ({ offset, complete } = await this.api.attachmentState(sha));
          continue;
        }
        throw error;
      }
      await this.store.updatePhoto(sha, { offset });
    }
    const at = new Date().toISOString();
    await this.store.updatePhoto(sha, { upload: 'done', offset: total, uploaded_at: at, done_at: at });
    this.upload = { sha, sent: total, total };
    emit('upload-progress', this.upload);
  }

  // --- pull ----------------------------------------------------------------------------------
  /**
   * Pull until ``has_more`` is false. The next page is requested while this one is written (its
   * cursor is in the answer already), so a first sync takes about the longer of network and
   * IndexedDB, not their sum; each page is still stored together with its own cursor.
   */
  async pull(timings = { pull_wait_ms: 0, pull_store_ms: 0, pages: 0, items: 0 }) {
    let cursor = (await this.store.get('cursor')) || null;
    const run = UserStore.pullRun(); // what the pages of this pull share (store/enterprise-chunks.js)
    let next = this.fetchPage(cursor);
    for (;;) {
      let fetched;
      const waiting = performance.now();
      try {
        fetched = await next;
        timings.pull_wait_ms += performance.now() - waiting;
      } catch (error) {
        if (error instanceof ApiError && error.status === 400 && error.field === 'cursor' && cursor) {
          // The cursor is no longer valid: start again, as a full pull.
          await this.store.applyPull([], null, true, null, run);
          cursor = null;
          next = this.fetchPage(cursor);
          continue;
        }
        throw error;
      }
      const { page, sentAt, answeredAt } = fetched;
      next = page.has_more ? this.fetchPage(page.cursor) : null;
      next?.catch(() => {}); // handled when awaited above
      const storing = performance.now();
      await this.store.applyPull(page.items, page.cursor, page.reset, clockOf(page.server_time, sentAt, answeredAt), run);
      timings.pull_store_ms += performance.now() - storing;
      timings.pages += 1;
      timings.items += page.items.length;
      cursor = page.cursor;
      if (page.items.length || page.reset) {
        this.pulled = true;
        emit('entities');
      }
      if (!next) return;
    }
  }

  async fetchPage(cursor) {
    const sentAt = Date.now();
    const page = await this.api.pull(cursor, PAGE);
    return { page, sentAt, answeredAt: Date.now() };
  }

  async refreshProfile() {
    try {
      const profile = await this.api.me();
      await this.store.set('profile', profile);
      Object.assign(app.user, profile);
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
    }
  }
}

/** The tablet's clock against the server's (``server_time`` of an answer, taken mid-request). */
function clockOf(serverTime, sentAt, answeredAt) {
  const server = Date.parse(serverTime);
  if (Number.isNaN(server)) return null;
  return { skew_ms: Math.round(server - (sentAt + answeredAt) / 2), server_time: serverTime, at: new Date().toISOString() };
}

function backoff(failures, error) {
  const base = Math.min(MAX_BACKOFF_MS, 2000 * 2 ** (failures - 1));
  const jittered = base * (0.5 + Math.random());
  const retryAfter = error instanceof ApiError && error.retryAfter ? error.retryAfter * 1000 : 0;
  return Math.max(jittered, retryAfter);
}
