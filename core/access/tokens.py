"""Access tokens (short-lived JWTs, pyjwt) and opaque refresh tokens.

Expiry is checked against the injectable clock, not the wall clock, so tests can move time.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

import jwt
import msgspec

ALGORITHM = "HS256"
ISSUER = "anjian"


class AccessClaims(msgspec.Struct, frozen=True):
    """What an access token says: user, session (refresh family), device, expiry."""

    sub: str
    sid: str
    dev: str | None
    iat: int
    exp: int


class TokenInvalid(Exception):
    """The token is malformed, forged or expired."""


def issue_access_token(secret: str, *, user_id: str, session_id: str, device_id: str | None, now: datetime, ttl: int) -> str:
    """A signed access token valid for ``ttl`` seconds from ``now``."""
    iat = int(now.timestamp())
    payload = {"sub": user_id, "sid": session_id, "dev": device_id, "iat": iat, "exp": iat + ttl, "iss": ISSUER}
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def decode_access_token(secret: str, token: str, *, now: datetime) -> AccessClaims:
    """Verify signature and expiry; raise ``TokenInvalid`` otherwise."""
    claims = _verified_claims(secret, token)
    if claims.exp <= int(now.timestamp()):
        raise TokenInvalid("token expired")
    return claims


@lru_cache(maxsize=8192)
def _verified_claims(secret: str, token: str) -> AccessClaims:
    """The claims of a correctly signed token. Cached: a tablet sends the same token with every
    request until it expires, and checking the signature was a tenth of a push's CPU. Only
    successes are cached (an exception is never stored); expiry is checked on every call, and
    whether the session, user and device are still valid is read from the database every time."""
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"verify_exp": False, "require": ["sub", "sid", "exp", "iat"]},
        )
        return msgspec.convert(payload, AccessClaims, strict=False)
    except (jwt.PyJWTError, msgspec.ValidationError) as exc:
        raise TokenInvalid(str(exc)) from exc


def new_refresh_token() -> str:
    """A fresh opaque refresh token (only its hash is stored)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The sha256 under which a refresh token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def expiry(now: datetime, ttl: int) -> datetime:
    """``now`` plus ``ttl`` seconds."""
    return now + timedelta(seconds=ttl)
