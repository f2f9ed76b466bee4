"""Password hashing with argon2id (argon2-cffi), run off the event loop because it is slow on purpose.

The cost parameters are settings: production keeps the library's recommended values; tests lower
them so a suite that logs in hundreds of times stays fast.
"""

from __future__ import annotations

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Passwords:
    """Hashes and checks passwords with the configured argon2id cost."""

    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        # Checked when the username is unknown, so timing does not reveal which usernames exist.
        self._dummy = self._hasher.hash("anjian-no-such-user")

    def hash(self, password: str) -> str:
        """An argon2id hash of ``password``."""
        return self._hasher.hash(password)

    def check(self, password: str, password_hash: str | None) -> bool:
        """Whether ``password`` matches; False for a missing or malformed hash."""
        try:
            return self._hasher.verify(password_hash or self._dummy, password) and password_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    async def hash_async(self, password: str) -> str:
        """``hash`` in a worker thread."""
        return await anyio.to_thread.run_sync(self.hash, password)

    async def check_async(self, password: str, password_hash: str | None) -> bool:
        """``check`` in a worker thread."""
        return await anyio.to_thread.run_sync(self.check, password, password_hash)
