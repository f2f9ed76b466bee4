"""Reaching the app from a real tablet: over HTTPS under a host name (not localhost) the service
worker registers and the app works offline; over plain HTTP under that name the browser gives no
secure context, and the app says so plainly. A test certificate for ``anjian.test`` is made with
openssl; Chromium maps the name to 127.0.0.1 (``--host-resolver-rules``) and trusts the
certificate's key (``--ignore-certificate-errors-spki-list``), as a tablet trusts the authority's CA."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.web.conftest import APP_SOURCE, FieldServer, launch, new_context
from tests.web.field import Watch

HOST = "anjian.test"


def _certificate(directory: Path) -> tuple[Path, Path, str]:
    """A self-signed certificate for HOST, its key, and the base64 sha256 of its public key."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test certificate")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}"],
        check=True, capture_output=True,
    )
    public = subprocess.run(["openssl", "x509", "-in", str(cert), "-pubkey", "-noout"], check=True, capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=public, check=True, capture_output=True).stdout
    return cert, key, base64.b64encode(hashlib.sha256(der).digest()).decode()


def _server(directory: Path, world, **options) -> FieldServer:  # type: ignore[no-untyped-def]
    directory.mkdir()
    shutil.copyfile(world[0], directory / "anjian.db")
    shutil.copytree(APP_SOURCE, directory / "app")
    server = FieldServer(directory, directory / "app", world[1], host=HOST, **options)
    server.start()
    return server


def test_https_under_a_host_name_registers_the_worker_and_plain_http_warns(playwright, seeded_template, tmp_path, shots) -> None:  # type: ignore[no-untyped-def]
    cert, key, spki = _certificate(tmp_path)
    secure = _server(tmp_path / "https", seeded_template, scheme="https", extra_args=["--ssl-certfile", str(cert), "--ssl-keyfile", str(key)])
    plain = _server(tmp_path / "http", seeded_template)
    browser = launch(playwright, f"--host-resolver-rules=MAP {HOST} 127.0.0.1", f"--ignore-certificate-errors-spki-list={spki}")
    try:
        context = new_context(browser)
        page = context.new_page()
        watch = Watch(page)
        page.goto(secure.app_url)
        page.wait_for_selector("aj-login")
        assert page.evaluate("window.isSecureContext") is True
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30000)
        assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == f"https://{HOST}:{secure.port}/app/sw.js"
        assert page.locator("[data-notice='insecure']").count() == 0
        shots(page, "https-login")
        context.set_offline(True)
        page.reload()
        page.wait_for_selector("aj-login")  # from the worker's cache
        context.close()
        watch.check()

        context = new_context(browser)
        page = context.new_page()
        page.goto(plain.app_url)
        page.wait_for_selector("[data-notice='insecure']")
        assert page.evaluate("window.isSecureContext") is False
        assert page.evaluate("'serviceWorker' in navigator") is False
        assert "当前连接不安全（不是 HTTPS）" in page.inner_text("[data-notice='insecure']")
        page.wait_for_selector("aj-login")  # still usable online, with the warning on top
        shots(page, "plain-http-warning")
        context.close()
    finally:
        browser.close()
        secure.stop()
        plain.stop()
