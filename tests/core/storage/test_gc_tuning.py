"""The server tunes CPython's collector once it has started (``core.storage.gc_tuning``): start-up's
objects are frozen out of every later pass and young objects are collected in larger batches."""

from __future__ import annotations

import gc

from litestar.testing import AsyncTestClient

from core.settings import settings_from_env
from server import create_app
from tests.conftest import make_settings


async def test_the_started_app_freezes_its_objects_and_raises_the_threshold(db_url, tmp_path):
    before = gc.get_threshold()
    try:
        gc.unfreeze()
        app = create_app(make_settings(db_url, str(tmp_path / "data"), gc_gen0_threshold=12_345))
        async with AsyncTestClient(app=app) as client:
            assert (await client.get("/healthz")).status_code == 200
            assert gc.get_threshold()[0] == 12_345
            assert gc.get_freeze_count() > 10_000  # the app, its routes and tables are out of the collector
    finally:
        gc.unfreeze()  # give the test process its objects back
        gc.set_threshold(*before)


async def test_zero_leaves_the_collector_alone(db_url, tmp_path):
    gc.unfreeze()
    before = gc.get_threshold()
    app = create_app(make_settings(db_url, str(tmp_path / "data"), gc_gen0_threshold=0))
    async with AsyncTestClient(app=app) as client:
        assert (await client.get("/healthz")).status_code == 200
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_the_threshold_is_read_from_the_environment():
    assert settings_from_env({"ANJIAN_GC_GEN0_THRESHOLD": "50000"}).gc_gen0_threshold == 50_000
    assert settings_from_env({}).gc_gen0_threshold == 10_000
