"""``python -m tests.web.serve_app APP_DIR [anjian serve options…]``: ``anjian serve`` with the
field app served from ``APP_DIR`` (a copy the test may change, e.g. to publish a new version of
the service worker) instead of the packaged ``web/app``."""

from __future__ import annotations

import sys
from pathlib import Path

from web import routes


def main() -> None:
    routes.ROUTES = [routes.field_app_router(Path(sys.argv[1]))]
    import server  # after the swap: create_app reads each module's ROUTES when it builds the app

    server.cli(["serve", *sys.argv[2:]], standalone_mode=True)


if __name__ == "__main__":
    main()
