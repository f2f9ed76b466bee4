"""A server process that loads everything first and listens only when told:
``python -m tests.reliability.warm_server PORT READY_FILE``: it creates READY_FILE once the app is
built, then a line on stdin starts it.

The kill -9 tests restart the server many times; importing and building the app takes seconds on
a busy CI machine, so the replacement is made ready while the old one still runs and only binds
the port once the old one is dead. What a tablet sees is unchanged: a dead server, then a fresh
process with an empty pool and a database left as the killed process left it.
"""

from __future__ import annotations

import logging
import sys

import uvicorn

from core.settings import settings_from_env
from server import create_app


def main(port: int, ready_file: str) -> None:
    settings = settings_from_env()
    logging.basicConfig(level=settings.log_level)
    app = create_app(settings)
    with open(ready_file, "w"):
        pass
    if not sys.stdin.readline():
        return  # the test ended without needing this standby
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
