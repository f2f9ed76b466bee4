"""The token-signing secret: from ``ANJIAN_SECRET_KEY``, else generated once and kept in the data dir.

It is never a constant in the code: every installation signs with its own key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = "secret_key"


def load_or_create_secret(data_dir: str, configured: str | None = None) -> str:
    """The configured secret, or the one stored in ``data_dir`` (created with mode 0600 on first start)."""
    if configured:
        if len(configured) < 32:
            raise ValueError("ANJIAN_SECRET_KEY must be at least 32 characters")
        return configured
    path = Path(data_dir) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()
