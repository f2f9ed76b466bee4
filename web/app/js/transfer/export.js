// "导出未上传数据": every unsent record, unfinished inspection and the photos they reference in one
// file, to carry to another device or browser and import there. Pushing imported records is
// idempotent like any push (same id, same content: ``duplicate``), so importing twice, or on a
// device that already sent them, stores nothing twice.
import { draftRefs, photoRefs } from '../logic/checklist.js';
import { sha256Hex } from '../media/sha256.js';
import { UNSENT } from '../store/user-store.js';

export const FORMAT = 'anjian-field-export';

function toBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text) {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The export as a Blob, and what it holds. */
export async function exportUnsent(store, user, deviceId) {
  const records = (await store.listOutbox()).filter((e) => UNSENT.includes(e.state));
  const drafts = await store.listDrafts();
  const refs = new Set([...records.flatMap((e) => photoRefs(e.record)), ...drafts.flatMap(draftRefs)]);
  const photos = [];
  const missing = [];
  for (const sha of refs) {
    const p = await store.getPhoto(sha);
    if (p?.blob) photos.push({ sha256: sha, type: p.type, kind: p.kind, data: toBase64(new Uint8Array(await p.blob.arrayBuffer())) });
    else missing.push(sha); // never for unsent work (photo-retention.js keeps those): said, not hidden
  }
  const body = {
    format: FORMAT, version: 1, exported_at: new Date().toISOString(), username: user.username, user_id: user.id, device_id: deviceId,
    records: records.map(({ draft, ...e }) => ({ ...e, draft: draft || null })), drafts, photos,
  };
  return { blob: new Blob([JSON.stringify(body)], { type: 'application/json' }), records: records.length, drafts: drafts.length, photos: photos.length, missing: missing.length };
}

/** Offer ``blob`` as a download. */
export function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(a.href);
    a.remove();
  }, 1000);
}

/**
 * Import an export of the same user: photos (each checked against its sha256), records (a record
 * the server already answered here is left as it is) and drafts (kept when not already here).
 */
export async function importUnsent(store, user, file) {
  let body;
  try {
    body = JSON.parse(await file.text());
  } catch {
    throw new Error('文件无法读取：不是导出的数据文件');
  }
  if (body?.format !== FORMAT) throw new Error('文件格式不对：请选择“导出未上传数据”得到的文件');
  if (body.username !== user.username) throw new Error(`该文件属于用户“${body.username}”，请以该用户登录后再导入`);
  let photos = 0;
  for (const p of body.photos || []) {
    const bytes = fromBase64(p.data);
    if ((await sha256Hex(bytes)) !== p.sha256) throw new Error(`文件已损坏：照片 ${p.sha256.slice(0, 8)}… 校验失败，未导入任何内容`);
    photos += 1;
  }
  for (const p of body.photos || []) {
    const blob = new Blob([fromBase64(p.data)], { type: p.type || 'application/octet-stream' });
    await store.putPhoto({ sha256: p.sha256, blob, type: blob.type, size: blob.size, kind: p.kind || 'photo' });
  }
  let records = 0;
  const now = new Date().toISOString();
  for (const e of body.records || []) {
    const here = await store.getOutbox(e.id);
    if (here && !UNSENT.includes(here.state)) continue;
    const state = e.state === 'rejected' ? 'rejected' : 'waiting';
    await store.putOutbox({ ...e, draft: e.draft || undefined, state, attempts: 0, imported_at: now, updated_at: now });
    records += 1;
  }
  let drafts = 0;
  for (const d of body.drafts || []) {
    if (await store.getDraft(d.id)) continue;
    await store.putDraft(d);
    drafts += 1;
  }
  return { records, drafts, photos };
}
