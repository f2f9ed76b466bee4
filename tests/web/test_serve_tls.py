"""``anjian serve`` over HTTPS: certificate and key (options or ANJIAN_TLS_CERT/ANJIAN_TLS_KEY)
go to uvicorn, and listening beyond the loopback without TLS is warned about at start."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from click.testing import CliRunner

import server


@pytest.fixture
def uvicorn_calls(monkeypatch) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    monkeypatch.setattr(server, "create_app", lambda settings: object())
    monkeypatch.setattr(server, "configure_logging", lambda *args, **kwargs: None, raising=False)  # keep pytest's log capture
    for name in ("ANJIAN_TLS_CERT", "ANJIAN_TLS_KEY", "ANJIAN_HOST"):
        monkeypatch.delenv(name, raising=False)
    return calls


def test_certificate_and_key_are_passed_to_uvicorn(uvicorn_calls, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(server.cli, ["serve", "--host", "0.0.0.0", "--ssl-certfile", "c.pem", "--ssl-keyfile", "k.pem"])
    assert result.exit_code == 0, result.output
    assert uvicorn_calls[-1]["ssl_certfile"] == "c.pem" and uvicorn_calls[-1]["ssl_keyfile"] == "k.pem"
    monkeypatch.setenv("ANJIAN_TLS_CERT", "/etc/anjian/cert.pem")
    monkeypatch.setenv("ANJIAN_TLS_KEY", "/etc/anjian/key.pem")
    assert CliRunner().invoke(server.cli, ["serve"]).exit_code == 0
    assert (uvicorn_calls[-1]["ssl_certfile"], uvicorn_calls[-1]["ssl_keyfile"]) == ("/etc/anjian/cert.pem", "/etc/anjian/key.pem")


def test_a_certificate_without_its_key_is_refused(uvicorn_calls) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(server.cli, ["serve", "--ssl-certfile", "c.pem"])
    assert result.exit_code == 2 and "both a certificate and its key" in result.output
    assert not uvicorn_calls


def test_plain_http_beyond_the_loopback_is_warned_about(uvicorn_calls, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.WARNING, logger="anjian"):
        assert CliRunner().invoke(server.cli, ["serve", "--host", "127.0.0.1"]).exit_code == 0
        assert not [r for r in caplog.records if "without TLS" in r.getMessage()]
        assert CliRunner().invoke(server.cli, ["serve", "--host", "0.0.0.0"]).exit_code == 0
    warned = [r.getMessage() for r in caplog.records if "without TLS" in r.getMessage()]
    assert len(warned) == 1 and "0.0.0.0" in warned[0] and "未启用 HTTPS" in warned[0]
    assert uvicorn_calls[-1]["ssl_certfile"] is None
