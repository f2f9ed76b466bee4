"""Password hashing with argon2id (argon2-cffi), run off the event loop because it is slow on purpose."""

from __future__ import annotations

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# Verified against when the username is unknown, so timing does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("anjian-no-such-user")

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def check_password(password: str, password_hash: str | None) -> bool:
    """Whether ``password`` matches; False for a malformed hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def check_password_async(password: str, password_hash: str | None) -> bool:
    """``check_password`` in a worker thread."""
    return await anyio.to_thread.run_sync(check_password, password, password_hash)


async def hash_password_async(password: str) -> str:
    """``hash_password`` in a worker thread."""
    return await anyio.to_thread.run_sync(hash_password, password)
