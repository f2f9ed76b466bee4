"""Password hashing with argon2id (argon2-cffi), run off the event loop because it is slow on purpose.

The cost parameters are settings: production keeps the library's recommended values; tests lower
them so a suite that logs in hundreds of times stays fast. Every hash waits for a slot of the
process's ``HashGate`` (core/access/hash_gate.py): argon2id's memory cost times unbounded
parallel logins is how a server runs out of memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core.access.hash_gate import HashGate


class Passwords:
    """Hashes and checks passwords with the configured argon2id cost, a bounded number at once."""

    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int, max_concurrent: int = 1, max_queued: int = 32) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        # Checked when the username is unknown, so timing does not reveal which usernames exist.
        self._dummy = self._hasher.hash("anjian-no-such-user")
        self.gate = HashGate(limit=max_concurrent, queue=max_queued)

    def hash(self, password: str) -> str:
        """An argon2id hash of ``password``."""
        return self._hasher.hash(password)

    def check(self, password: str, password_hash: str | None) -> bool:
        """Whether ``password`` matches; False for a missing or malformed hash (one real
        verification either way, against a dummy hash when there is none)."""
        try:
            return self._hasher.verify(password_hash or self._dummy, password) and password_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    @contextmanager
    def turn(self) -> Iterator[PasswordTurn]:
        """Admission to hash (429 ``busy`` when the queue is full), held until the block ends.

        A login takes its turn before its database work, so a request refused for being one too
        many has changed nothing."""
        with self.gate.admit():
            yield PasswordTurn(self)

    async def hash_async(self, password: str) -> str:
        """``hash`` in a worker thread, in turn."""
        with self.turn() as turn:
            return await turn.hash(password)

    async def check_async(self, password: str, password_hash: str | None) -> bool:
        """``check`` in a worker thread, in turn."""
        with self.turn() as turn:
            return await turn.check(password, password_hash)


class PasswordTurn:
    """An admitted caller's hashing: each call waits for a free slot, then runs on a worker thread."""

    def __init__(self, passwords: Passwords) -> None:
        self._passwords = passwords

    async def hash(self, password: str) -> str:
        """``Passwords.hash`` once a slot is free."""
        return await self._passwords.gate.run(self._passwords.hash, password)

    async def check(self, password: str, password_hash: str | None) -> bool:
        """``Passwords.check`` once a slot is free."""
        return await self._passwords.gate.run(self._passwords.check, password, password_hash)
