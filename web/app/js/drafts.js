// Starting an inspection: a draft with the submission id it will be sent under, its checklist
// pinned (id, version, content hash), and GPS when the inspector allows it.
import { uuid4 } from './logic/ids.js';
import { app } from './session.js';

export async function startInspection({ enterprise, checklist, assignmentId = null }) {
  const now = new Date().toISOString();
  const draft = {
    id: uuid4(), enterprise_id: enterprise.id, enterprise_name: enterprise.name,
    checklist_key: `${checklist.checklist_id}@${checklist.version}`, checklist_title: checklist.title,
    assignment_id: assignmentId, started_at: now, updated_at: now,
    answers: {}, hazards: {}, notes: '', photos: [], signatures: { inspector: { name: app.user?.display_name || '' }, enterprise: { name: '' } },
    enterprise_refused: false, gps: null, gps_state: 'pending',
  };
  await app.store.putDraft(draft);
  return draft;
}

/** The current position, or why there is none (never blocks the inspection). */
export function locate() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) {
      resolve({ state: 'unavailable' });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ state: 'ok', gps: { latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy_m: Math.round(p.coords.accuracy * 10) / 10 } }),
      (e) => resolve({ state: e.code === 1 ? 'denied' : 'unavailable' }),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 120000 },
    );
  });
}

/** The pulled checklist version a draft is pinned to. */
export const checklistOf = (draft) => app.store.entity('checklist_version', draft.checklist_key);
