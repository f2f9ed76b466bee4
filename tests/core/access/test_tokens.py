"""Access tokens: the verified-claims cache must never let an unverified token through."""

from datetime import UTC, datetime, timedelta

import pytest

from core.access.tokens import TokenInvalid, decode_access_token, issue_access_token

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _token(secret: str = "s" * 32) -> str:
    return issue_access_token(secret, user_id="u", session_id="sid", device_id="dev", now=NOW, ttl=600)


def test_a_cached_token_is_still_checked_for_expiry():
    token = _token()
    assert decode_access_token("s" * 32, token, now=NOW).sid == "sid"
    assert decode_access_token("s" * 32, token, now=NOW + timedelta(seconds=599)).sid == "sid"
    with pytest.raises(TokenInvalid):
        decode_access_token("s" * 32, token, now=NOW + timedelta(seconds=600))


def test_a_token_verified_once_does_not_vouch_for_a_tampered_copy_or_another_secret():
    token = _token()
    decode_access_token("s" * 32, token, now=NOW)
    head, body, signature = token.split(".")
    tampered = f"{head}.{body}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    with pytest.raises(TokenInvalid):
        decode_access_token("s" * 32, tampered, now=NOW)
    with pytest.raises(TokenInvalid):
        decode_access_token("t" * 32, token, now=NOW)
    # a refused token is refused again (failures are not cached as successes)
    with pytest.raises(TokenInvalid):
        decode_access_token("s" * 32, tampered, now=NOW)
