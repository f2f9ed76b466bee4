"""Write the contract snapshots the layout test compares against: the OpenAPI document and the
SQLite schema the migrations build. Run it only when the API or the schema changes on purpose, and
say so in the commit: ``.venv/bin/python -m tests.contract.snapshot``."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from core.bootstrap import prepare_database
from core.settings import Settings
from core.storage.database import Database

HERE = Path(__file__).parent
OPENAPI = HERE / "openapi.json"
SCHEMA = HERE / "sqlite_schema.json"


def without_examples(node: Any) -> Any:
    """The document minus generated examples (litestar derives them from the current time)."""
    if isinstance(node, dict):
        return {key: without_examples(value) for key, value in node.items() if key not in ("example", "examples")}
    if isinstance(node, list):
        return [without_examples(value) for value in node]
    return node


def current_openapi() -> dict[str, Any]:
    """The OpenAPI document a fresh server serves at ``/schema/openapi.json``."""
    from server import create_app

    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{data_dir}/openapi.db", data_dir=data_dir, secret_key="s" * 40, run_scheduler=False)
        with TestClient(create_app(settings)) as client:
            return without_examples(client.get("/schema/openapi.json").json())


def current_sqlite_schema() -> list[str]:
    """Every ``CREATE`` statement of a database migrated from empty, sorted."""
    with tempfile.TemporaryDirectory() as data_dir:
        path = Path(data_dir) / "schema.db"

        async def build() -> None:
            db = Database(f"sqlite+aiosqlite:///{path}")
            try:
                await prepare_database(db)
            finally:
                await db.dispose()

        asyncio.run(build())
        with sqlite3.connect(path) as con:
            rows = con.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")
            return sorted(row[0] for row in rows)


def main() -> None:
    OPENAPI.write_text(json.dumps(current_openapi(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    SCHEMA.write_text(json.dumps(current_sqlite_schema(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OPENAPI} and {SCHEMA}")


if __name__ == "__main__":
    main()
