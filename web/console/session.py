"""The console's login session: an HttpOnly cookie naming one core login session, and its CSRF token.

Why a cookie: a page the server renders needs its user on every request, and a token kept by
JavaScript is readable by any script that gets onto the page. The cookie is HttpOnly, SameSite=Lax,
``Secure`` when the request came over HTTPS (directly, or through a proxy uvicorn trusts), path ``/``.

What it holds: ``<user id>.<session id>.<expiry>.<mac>``, the mac an HMAC-SHA256 of the rest with
the server secret. The session is the ``AuthSession`` that core's login opened (same password
check, lockout and audit as ``POST /api/v1/auth/login``); it expires after the refresh token's
lifetime (``refresh_token_ttl``), like a login of the API. The cookie is deliberately *not* an
access token: stolen, it opens no API route (bearer tokens only there), and it cannot be replayed
against the API for the weeks it lives.

Every request checks it through core's ``authenticate`` — the one place that says whether a session,
its user and its device are valid — by handing it a short access token minted for the cookie's
session: a logged-out or revoked session, a deactivated user, a changed password is out on the next
request, exactly as for a tablet.

CSRF: every form carries ``_csrf`` and every htmx request the ``X-CSRF-Token`` header, the HMAC of
the session id (no state kept). The login form has no session yet: it carries the HMAC of a random
nonce kept in a short-lived cookie (``anjian_login``), so another site cannot log a browser into
an account of its choosing either.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from litestar import Request
from litestar.datastructures import Cookie

from core.access import auth
from core.access.scope import Principal
from core.access.tokens import TokenInvalid, decode_access_token, issue_access_token
from core.context import Context
from core.errors import Unauthorized

SESSION_COOKIE = "anjian_session"
LOGIN_COOKIE = "anjian_login"
CSRF_FIELD = "_csrf"
CSRF_HEADER = "x-csrf-token"
LOGIN_NONCE_SECONDS = 2 * 3600
_CHECK_TTL = 60  # the access token minted for one request's check


class LoginRequired(Exception):
    """No valid console session: the browser goes to the login page, told why (``reason``)."""

    def __init__(self, reason: str = "login") -> None:
        super().__init__(reason)
        self.reason = reason


class CsrfRefused(Exception):
    """A console request that changes something came without a valid CSRF token."""


@dataclass(frozen=True)
class SessionCookie:
    """The parts of a console session cookie whose mac checked out."""

    user_id: str
    session_id: str
    expires: int


def _mac(secret: str, purpose: str, value: str) -> str:
    return hmac.new(secret.encode("utf-8"), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def seal(secret: str, user_id: str, session_id: str, expires: int) -> str:
    """The cookie value for a session (ids are UUIDs: no dot inside)."""
    body = f"{user_id}.{session_id}.{expires}"
    return f"{body}.{_mac(secret, 'console-session', body)}"


def unseal(secret: str, value: str | None, now: int) -> SessionCookie | None:
    """The session a cookie names, if its mac is right and it has not expired."""
    if not value or value.count(".") != 3:
        return None
    body, _, mac = value.rpartition(".")
    if not hmac.compare_digest(mac, _mac(secret, "console-session", body)):
        return None
    user_id, session_id, expires = body.split(".")
    if not expires.isdigit() or int(expires) <= now:
        return None
    return SessionCookie(user_id, session_id, int(expires))


def csrf_token(secret: str, session_id: str) -> str:
    """The CSRF token of a console session."""
    return _mac(secret, "console-csrf", session_id)


def login_token(secret: str, nonce: str) -> str:
    """The CSRF token of the login form for the nonce in its cookie."""
    return _mac(secret, "console-login", nonce)


def new_nonce() -> str:
    """A fresh login-form nonce."""
    return secrets.token_urlsafe(24)


def same_token(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a presented token with the expected one."""
    return bool(given) and hmac.compare_digest(str(given), expected)


def session_of(ctx: Context, request: Request) -> SessionCookie | None:
    """The request's console session as its cookie says (signature and expiry only, no database)."""
    return unseal(ctx.secret, request.cookies.get(SESSION_COOKIE), int(ctx.clock.now().timestamp()))


async def principal_of(ctx: Context, request: Request) -> Principal:
    """The signed-in user of a console request, checked against the database; ``LoginRequired`` otherwise."""
    cookie = session_of(ctx, request)
    if cookie is None:
        raise LoginRequired("expired" if request.cookies.get(SESSION_COOKIE) else "login")
    now = ctx.clock.now()
    token = issue_access_token(ctx.secret, user_id=cookie.user_id, session_id=cookie.session_id, device_id=None, now=now, ttl=_CHECK_TTL)
    try:
        return await auth.authenticate(ctx, token)
    except Unauthorized as exc:
        raise LoginRequired("ended") from exc


async def open_session(ctx: Context, username: str, password: str, client: str) -> tuple[str, int]:
    """Log in through core (password, lockout, audit) and return the cookie value and its max-age.

    Core's login answers a token pair for the API; the console keeps neither token (nobody can use
    them: they are dropped here), only the session they name."""
    pair = await auth.login(ctx, username, password, client=client)
    now = ctx.clock.now()
    try:
        claims = decode_access_token(ctx.secret, pair.access_token, now=now)
    except TokenInvalid as exc:  # core just issued it with this secret and clock
        raise Unauthorized("login failed", "登录失败，请重试", code="session_ended") from exc
    ttl = ctx.settings.refresh_token_ttl
    return seal(ctx.secret, claims.sub, claims.sid, int(now.timestamp()) + ttl), ttl


async def close_session(ctx: Context, principal: Principal) -> None:
    """Log out through core: the session is revoked, any copy of the cookie is dead."""
    await auth.logout(ctx, principal)


def is_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS (uvicorn applies a trusted proxy's headers)."""
    return request.url.scheme == "https"


def session_cookie(request: Request, value: str, max_age: int) -> Cookie:
    """The session cookie with its flags."""
    return Cookie(key=SESSION_COOKIE, value=value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=is_https(request))


def cleared_session_cookie(request: Request) -> Cookie:
    """An instruction to forget the session cookie."""
    return Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/", httponly=True, samesite="lax", secure=is_https(request))


def login_cookie(request: Request, nonce: str) -> Cookie:
    """The login form's nonce cookie (Strict: it is only ever needed by our own form)."""
    return Cookie(key=LOGIN_COOKIE, value=nonce, max_age=LOGIN_NONCE_SECONDS, path="/login", httponly=True, samesite="strict", secure=is_https(request))
