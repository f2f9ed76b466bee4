"""What guards every console request: the CSRF check before it, the security headers after it.

Every console request that may change something (any method but GET, HEAD and OPTIONS) must carry
the CSRF token (``web.console.session``): the ``_csrf`` field of a form, or the ``X-CSRF-Token``
header htmx sends. Without it, or with a wrong one, the request is refused (403, a Chinese page)
before its handler runs, so nothing changes. Responses forbid framing (clickjacking a form), say
that pages are not to be stored (a shared office computer's back button after logout), and limit
scripts, styles and images to our own origin.
"""

from __future__ import annotations

from litestar import Request, Response

from core.context import Context
from web.console.session import CSRF_FIELD, CSRF_HEADER, LOGIN_COOKIE, CsrfRefused, csrf_token, login_token, same_token, session_of

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOGIN_PATH = "/login"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def expected_token(ctx: Context, request: Request) -> str | None:
    """The token this request must carry: the login form's for ``/login``, else its session's."""
    if request.url.path == LOGIN_PATH:
        nonce = request.cookies.get(LOGIN_COOKIE)
        return login_token(ctx.secret, nonce) if nonce else None
    cookie = session_of(ctx, request)
    return csrf_token(ctx.secret, cookie.session_id) if cookie else None


async def refuse_without_csrf(request: Request) -> None:
    """``before_request`` of the console: 403 (``CsrfRefused``) for a changing request without its token."""
    if request.method in SAFE_METHODS:
        return None
    expected = expected_token(request.app.state.ctx, request)
    given = request.headers.get(CSRF_HEADER)
    if not given and expected is not None:
        form = await request.form()  # parsed once: the handler reads the same form
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if expected is None or not same_token(given, expected):
        raise CsrfRefused()
    return None


async def add_security_headers(response: Response) -> Response:
    """``after_request`` of the console: no framing, no storing, our own origin only."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cache-Control", "no-store")
    return response
