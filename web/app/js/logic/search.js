// Searching the pulled enterprises by name, USCC or address. The list is read from IndexedDB once
// and kept in memory as one lower-case string per enterprise: a substring scan of 100k short
// strings takes a few milliseconds, where an IndexedDB cursor over them takes seconds.

let cache = null; // {store, rows: [{id, hay, data}]}
let building = null; // {store, promise}: one build at a time
let generation = 0; // a build started before the data changed is not kept
const collator = new Intl.Collator('zh'); // one collator: localeCompare per pair is ten times slower

export function invalidate() {
  cache = null;
  building = null;
  generation += 1;
}

/** Build the index while the tablet is idle (after a sync), so the first search is quick too. */
export function warmUp(store) {
  const run = () => rows(store).catch(() => {});
  if (self.requestIdleCallback) requestIdleCallback(run, { timeout: 5000 });
  else setTimeout(run, 1000);
}

async function rows(store) {
  if (cache?.store === store) return cache.rows;
  if (building?.store === store) return building.promise;
  const promise = build(store);
  building = { store, promise };
  try {
    return await promise;
  } finally {
    if (building?.promise === promise) building = null;
  }
}

async function build(store) {
  const started = generation;
  const list = await store.entities('enterprise');
  // Only what a result line shows is kept: 100k full records would hold ~100 MB of a tablet's memory.
  const built = list.map(({ id, name, uscc, address, industries, risk_level: risk }) => ({
    id, hay: `${name}\n${uscc}\n${address || ''}`.toLowerCase(), data: { id, name, uscc, address, industries, risk_level: risk },
  }));
  built.sort((a, b) => collator.compare(a.data.name, b.data.name));
  if (started === generation) cache = { store, rows: built };
  return built;
}

/** Up to ``limit`` enterprises matching every word of ``query``; and how many matched in all. */
export async function searchEnterprises(store, query, limit = 50) {
  const all = await rows(store);
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const found = [];
  let total = 0;
  for (const row of all) {
    if (words.every((w) => row.hay.includes(w))) {
      total += 1;
      if (found.length < limit) found.push(row.data);
    }
  }
  return { found, total, all: all.length };
}
