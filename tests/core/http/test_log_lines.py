"""Log lines have a time, a level, the logger, the request id; JSON when asked; uvicorn's too."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from core.http.log_lines import configure_logging, current_request_id, log_handler


@pytest.fixture
def root_restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


def test_text_lines_have_local_time_level_logger_and_request_id() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("anjian.test.text")
    handler = log_handler("text", stream)
    logger.addHandler(handler)
    token = current_request_id.set("req-42")
    try:
        logger.warning("disk %s", "nearly full")
    finally:
        current_request_id.reset(token)
        logger.removeHandler(handler)
    logger.warning("outside any request")  # not through the handler: nothing more in the stream
    (line,) = stream.getvalue().splitlines()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d WARNING anjian\.test\.text \[req-42\] disk nearly full", line)


def test_json_lines_carry_extra_fields_and_the_exception(root_restored) -> None:
    stream = io.StringIO()
    configure_logging("INFO", "json", stream)
    logging.getLogger("anjian.test.json").info("pushed", extra={"records": 3, "device": object()})
    logging.getLogger("anjian.test.json").debug("below the level")
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("anjian.test.json").exception("failed")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{"))
    assert (first["level"], first["logger"], first["request_id"], first["message"], first["records"]) == ("INFO", "anjian.test.json", "-", "pushed", 3)
    assert first["device"].startswith("<object")
    assert second["level"] == "ERROR" and "ValueError: boom" in second["exc_info"]


def test_uvicorns_lines_go_through_the_same_handler(root_restored) -> None:
    logging.getLogger("uvicorn.error").addHandler(logging.NullHandler())  # as uvicorn's own config leaves it
    logging.getLogger("uvicorn.error").propagate = False
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    stream = io.StringIO()
    configure_logging("INFO", "json", stream)
    logging.getLogger("uvicorn.error").info("Application startup complete.")
    (entry,) = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert (entry["logger"], entry["message"]) == ("uvicorn.error", "Application startup complete.")
