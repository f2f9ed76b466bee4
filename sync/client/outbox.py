"""The tablet's local state (one SQLite file): outbox, push results, pulled records, cursor, tokens.

Records made offline wait in the outbox until the server answered them (any result, including
``rejected``: the server keeps rejected records in its quarantine). Pull state is just the cursor;
the pulled records are kept so the tablet (and tests) can work with them offline.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    payload TEXT NOT NULL, created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT
);
CREATE TABLE IF NOT EXISTS result (id TEXT PRIMARY KEY, status TEXT NOT NULL, body TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS record (entity TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (entity, id));
CREATE TABLE IF NOT EXISTS attachment (sha256 TEXT PRIMARY KEY, path TEXT NOT NULL);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat()


class LocalStore:
    """The tablet's SQLite file. Each method is one transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn = sqlite3.connect(self.path, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # --- state -----------------------------------------------------------------------------------

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self._conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set(self, **values: str | None) -> None:
        with self._tx() as conn:
            for key, value in values.items():
                if value is None:
                    conn.execute("DELETE FROM state WHERE key = ?", (key,))
                else:
                    conn.execute("INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # --- outbox ----------------------------------------------------------------------------------

    def enqueue(self, record: dict[str, Any]) -> None:
        """Queue a record (idempotent on its id: queuing the same id twice keeps the first)."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO outbox (id, kind, payload, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
                (record["id"], record["kind"], json.dumps(record, ensure_ascii=False), _now()),
            )

    def pending(self, limit: int) -> list[dict[str, Any]]:
        rows = self._conn.execute("SELECT payload FROM outbox ORDER BY seq LIMIT ?", (limit,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def pending_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM outbox").fetchone()[0]

    def note_attempt(self, ids: list[str], error: str | None) -> None:
        with self._tx() as conn:
            conn.executemany("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?", [(error, i) for i in ids])

    def acknowledge(self, results: list[dict[str, Any]]) -> None:
        """Keep each result and drop its record from the outbox: the server has answered it."""
        with self._tx() as conn:
            for result in results:
                conn.execute(
                    "INSERT INTO result (id, status, body, at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, body = excluded.body, at = excluded.at",
                    (result["id"], result["status"], json.dumps(result, ensure_ascii=False), _now()),
                )
                conn.execute("DELETE FROM outbox WHERE id = ?", (result["id"],))

    def result(self, record_id: str) -> dict[str, Any] | None:
        row = self._conn.execute("SELECT body FROM result WHERE id = ?", (record_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def result_counts(self) -> dict[str, int]:
        return dict(self._conn.execute("SELECT status, count(*) FROM result GROUP BY status").fetchall())

    # --- pulled records --------------------------------------------------------------------------

    def apply_pull(self, items: list[dict[str, Any]], cursor: str, reset: bool) -> None:
        """Apply one pulled page and its cursor in one transaction (a crash never splits them)."""
        with self._tx() as conn:
            if reset:
                conn.execute("DELETE FROM record")
            for item in items:
                if item["op"] == "delete":
                    conn.execute("DELETE FROM record WHERE entity = ? AND id = ?", (item["entity"], item["id"]))
                    if item["entity"] == "enterprise":
                        # What hangs on an enterprise leaves with it.
                        for entity in ("hazard", "assignment", "inspection"):
                            conn.execute("DELETE FROM record WHERE entity = ? AND json_extract(data, '$.enterprise_id') = ?", (entity, item["id"]))
                else:
                    conn.execute(
                        "INSERT INTO record (entity, id, data) VALUES (?, ?, ?) ON CONFLICT(entity, id) DO UPDATE SET data = excluded.data",
                        (item["entity"], item["id"], json.dumps(item["data"], ensure_ascii=False)),
                    )
            conn.execute("INSERT INTO state (key, value) VALUES ('cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (cursor,))

    def put_record(self, entity: str, record_id: str, data: dict[str, Any]) -> None:
        """Change a local copy (an offline edit); the next pull overwrites it with the server's state."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO record (entity, id, data) VALUES (?, ?, ?) ON CONFLICT(entity, id) DO UPDATE SET data = excluded.data",
                (entity, record_id, json.dumps(data, ensure_ascii=False)),
            )

    def records(self, entity: str) -> dict[str, dict[str, Any]]:
        return {r[0]: json.loads(r[1]) for r in self._conn.execute("SELECT id, data FROM record WHERE entity = ?", (entity,)).fetchall()}

    def record(self, entity: str, record_id: str) -> dict[str, Any] | None:
        row = self._conn.execute("SELECT data FROM record WHERE entity = ? AND id = ?", (entity, record_id)).fetchone()
        return json.loads(row[0]) if row else None

    def counts(self) -> dict[str, int]:
        return dict(self._conn.execute("SELECT entity, count(*) FROM record GROUP BY entity").fetchall())

    # --- attachments -----------------------------------------------------------------------------

    def add_attachment(self, sha256: str, path: str) -> None:
        with self._tx() as conn:
            conn.execute("INSERT INTO attachment (sha256, path) VALUES (?, ?) ON CONFLICT(sha256) DO UPDATE SET path = excluded.path", (sha256, path))

    def attachment_path(self, sha256: str) -> str | None:
        row = self._conn.execute("SELECT path FROM attachment WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None
