"""Pulled enterprises are stored many to a record (``web/app/js/store/enterprise-chunks.js``): these
run the app's own store module in Chromium against real IndexedDB — a first sync with a record
repeated across pages, later upserts and tombstones, a reset, and the migration of a database the
first version of the app left (schema 1: one record per enterprise)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import new_context

STORE = """
const { UserStore } = await import('./js/store/user-store.js');
const e = (id, name, extra = {}) => ({ entity: 'enterprise', id, op: 'upsert', data: { id, name, uscc: 'U' + id, ...extra } });
const gone = (entity, id) => ({ entity, id, op: 'delete' });
const names = async (store) => (await store.entities('enterprise')).map((x) => x.name).sort();
const chunks = (store) => new Promise((resolve) => {
  const r = store.db.transaction('enterprise_chunks').objectStore('enterprise_chunks').getAll();
  r.onsuccess = () => resolve(r.result.map((c) => c.ids.length));
});
"""


def _run(page: Any, body: str) -> Any:
    return page.evaluate(f"async () => {{ {STORE} {body} }}")


def test_pages_upserts_tombstones_and_reset(browser, field_server) -> None:  # type: ignore[no-untyped-def]
    context = new_context(browser)
    page = context.new_page()
    page.goto(field_server.app_url)
    page.wait_for_selector("body[data-ready]")
    out = _run(page, """
      const store = await UserStore.open('chunks-test');
      const run = UserStore.pullRun();
      // A first sync: 600 enterprises over two pages; E5 changed while pulling, so page 2 repeats it
      // (taken out of the first chunk; the page fills the last chunk, then starts a new one).
      const first = Array.from({ length: 400 }, (_, i) => e('E' + i, '企业' + i));
      const second = [...Array.from({ length: 200 }, (_, i) => e('E' + (400 + i), '企业' + (400 + i))), e('E5', '企业5（更名）')];
      const hazard = { entity: 'hazard', id: 'H1', op: 'upsert', data: { id: 'H1', enterprise_id: 'E7', description: 'x' } };
      await store.applyPull([...first, hazard], 'c1', false, null, run);
      await store.applyPull(second, 'c2', false, null, run);
      const afterFirst = { count: (await store.countEntities()).enterprise, e5: (await store.entity('enterprise', 'E5')).name,
        all: (await store.entities('enterprise')).length, chunks: await chunks(store) };
      // A later sync (a new run): a rename, a new one, a tombstone taking its hazard along.
      const later = UserStore.pullRun();
      await store.applyPull([e('E10', '企业10（新名）'), e('N1', '新企业'), gone('enterprise', 'E7')], 'c3', false, null, later);
      const many = await store.enterprises(['E10', 'N1', 'E7', 'E599', 'nope']);
      const afterLater = { count: (await store.countEntities()).enterprise, e10: (await store.entity('enterprise', 'E10')).name,
        e7: await store.entity('enterprise', 'E7'), h1: await store.entity('hazard', 'H1'), cursor: await store.get('cursor'),
        many: [...many.keys()].sort(), all: (await store.entities('enterprise')).length, chunks: await chunks(store) };
      // A reset: everything pulled goes, then the page's records are stored.
      await store.applyPull([e('R1', '重置后')], 'c4', true, null, UserStore.pullRun());
      const afterReset = { names: await names(store), count: (await store.countEntities()).enterprise };
      store.close();
      return { afterFirst, afterLater, afterReset };
    """)
    assert out["afterFirst"] == {"count": 600, "e5": "企业5（更名）", "all": 600, "chunks": [249, 250, 101]}
    later = out["afterLater"]
    assert later["count"] == 600 and later["e10"] == "企业10（新名）" and later["e7"] is None and later["h1"] is None
    assert later["cursor"] == "c3" and later["many"] == ["E10", "E599", "N1"] and later["all"] == 600
    assert later["chunks"] == [247, 250, 103], later["chunks"]  # taken out of the first chunk; appended to the last
    assert out["afterReset"] == {"names": ["重置后"], "count": 1}
    context.close()


def test_a_database_of_the_first_version_is_migrated(browser, field_server) -> None:  # type: ignore[no-untyped-def]
    context = new_context(browser)
    page = context.new_page()
    page.goto(field_server.app_url)
    page.wait_for_selector("body[data-ready]")
    out = _run(page, """
      // What the first released version left (schema 1): one record per enterprise in ``entities``,
      // with an ``entity`` index.
      await new Promise((resolve, reject) => {
        const r = indexedDB.open('anjian-user-old', 1);
        r.onupgradeneeded = () => {
          const db = r.result;
          db.createObjectStore('kv');
          const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
          outbox.createIndex('state', 'state'); outbox.createIndex('created_at', 'created_at');
          db.createObjectStore('drafts', { keyPath: 'id' });
          db.createObjectStore('photos', { keyPath: 'sha256' }).createIndex('upload', 'upload');
          const entities = db.createObjectStore('entities', { keyPath: ['entity', 'id'] });
          entities.createIndex('entity', 'entity');
          entities.createIndex('enterprise', 'enterprise_id');
          for (let i = 0; i < 300; i += 1) entities.put({ entity: 'enterprise', id: 'E' + i, data: { id: 'E' + i, name: '企业' + i } });
          entities.put({ entity: 'hazard', id: 'H1', enterprise_id: 'E1', data: { id: 'H1', enterprise_id: 'E1' } });
          outbox.put({ id: 'R1', state: 'waiting', created_at: '2026-01-01T00:00:00Z', record: {} });
        };
        r.onsuccess = () => { r.result.close(); resolve(); };
        r.onerror = () => reject(r.error);
      });
      const store = await UserStore.open('old');
      const indexes = [...store.db.transaction('entities').objectStore('entities').indexNames];
      const out = { version: store.db.version, indexes, count: (await store.countEntities()), e299: (await store.entity('enterprise', 'E299')).name,
        hazard: (await store.entity('hazard', 'H1')).id, outbox: (await store.listOutbox()).map((x) => x.id), chunks: await chunks(store) };
      store.close();
      return out;
    """)
    assert out["version"] == 3 and out["indexes"] == ["enterprise"] and out["e299"] == "企业299" and out["hazard"] == "H1" and out["outbox"] == ["R1"]
    assert out["count"]["enterprise"] == 300 and out["count"]["hazard"] == 1 and out["chunks"] == [250, 50]
    context.close()
