// Photos the server holds for good leave the tablet after a while. A tablet used for years takes
// thousands of photos (~300 KB each after downscaling); kept forever they would fill its storage
// and, worse, crowd out the unsent work the app exists to protect.
//
// A photo's Blob is dropped (its metadata row stays: sha256, size, when it was uploaded and
// cleared) only when all of this holds:
//   - its upload is complete (``upload: 'done'``: the server has every byte, verified);
//   - at least one record referencing it was answered ``accepted`` or ``duplicate``;
//   - no record referencing it is unsent (waiting, sending), rejected or in conflict, and no draft
//     references it (a rejected record reopens as a draft; a conflict may be re-applied);
//   - RETENTION_DAYS have passed since the later of its upload and the last such answer.
// Taking the same bytes again (putPhoto) brings the Blob back.
import { draftRefs, photoRefs } from '../logic/checklist.js';
import { req, transact } from './db.js';

/** Days a photo the server holds stays on the tablet (to look at it again on site). */
export const RETENTION_DAYS = 7;
const DAY_MS = 86400000;

/** Outbox states in which a record is settled on the server and no longer needs its photos here. */
const SETTLED = ['accepted', 'duplicate', 'resolved'];
const CONFIRMED = ['accepted', 'duplicate'];

const time = (iso) => (iso ? Date.parse(iso) || 0 : 0);

/**
 * Drop the Blobs whose retention has passed; ``now`` (ms since the epoch) is injectable for tests.
 * One transaction over outbox, drafts and photos: nothing can start to reference a photo between
 * the check and the drop. Resolves with ``{cleared, bytes}``.
 */
export function sweepPhotos(store, { now = Date.now(), days = RETENTION_DAYS } = {}) {
  const cutoff = now - days * DAY_MS;
  return transact(store.db, ['outbox', 'drafts', 'photos'], 'readwrite', async ({ outbox, drafts, photos }) => {
    const [entries, openDrafts, done] = await Promise.all([
      req(outbox.getAll()), req(drafts.getAll()), req(photos.index('upload').getAll('done')),
    ]);
    const needed = new Set();
    const confirmedAt = new Map(); // sha256 → the last accepted/duplicate answer of a record using it
    for (const entry of entries) {
      const refs = photoRefs(entry.record || {});
      if (!SETTLED.includes(entry.state)) {
        for (const sha of refs) needed.add(sha);
        if (entry.draft) for (const sha of draftRefs(entry.draft)) needed.add(sha);
      }
      if (CONFIRMED.includes(entry.state)) {
        const at = time(entry.answered_at) || time(entry.updated_at);
        for (const sha of refs) confirmedAt.set(sha, Math.max(confirmedAt.get(sha) || 0, at));
      }
    }
    for (const draft of openDrafts) for (const sha of draftRefs(draft)) needed.add(sha);
    let cleared = 0;
    let bytes = 0;
    const nowIso = new Date(now).toISOString();
    for (const photo of done) {
      if (!photo.blob || needed.has(photo.sha256) || !confirmedAt.has(photo.sha256)) continue;
      const uploaded = time(photo.done_at) || time(photo.uploaded_at);
      if (!uploaded) {
        // Marked done by an older version without a date: the retention starts now.
        photos.put({ ...photo, done_at: nowIso });
        continue;
      }
      if (Math.max(uploaded, confirmedAt.get(photo.sha256)) > cutoff) continue;
      bytes += photo.blob.size || 0;
      cleared += 1;
      photos.put({ ...photo, blob: undefined, cleared_at: nowIso });
    }
    return { cleared, bytes };
  }, { durability: 'strict' });
}
