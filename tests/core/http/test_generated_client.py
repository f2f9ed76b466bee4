"""A client generated from the served OpenAPI document works: a tablet team can build on it.

openapi-python-client generates a package from ``/schema/openapi.json`` of a running server; the
test imports it and, through it alone, logs in, publishes a checklist, creates an enterprise,
enrols a tablet (login with a device id), uploads a photo and pushes a submission naming it.
Before the document declared the bodies that push, publish and upload read themselves, the
generated functions sent no body at all (400 ``malformed_body``).
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import io
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from core.access.user_service import create_user
from core.access.wire import UserIn
from core.storage.audit_log import SYSTEM
from server import build_context, create_app
from tests.conftest import PASSWORD, valid_uscc
from tests.sync.conftest import CHECKLIST

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a thread; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", loop="asyncio", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(300):
            if server.started:
                break
            if not thread.is_alive():
                raise RuntimeError("server did not start")
            threading.Event().wait(0.05)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def generate_client(document: Path, into: Path) -> None:
    config = into.parent / "generator.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run: nothing here is for reading
    done = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(document), "--meta", "none", "--output-path", str(into), "--config", str(config)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[Any]:
    """Import the package generated into ``tmp_path/anjian_client``, forgotten afterwards."""
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda name: importlib.import_module(f"anjian_client.{name}" if name else "anjian_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == "anjian_client" or n.startswith("anjian_client.")]:
            del sys.modules[name]


@pytest.mark.skipif(not GENERATOR.exists(), reason="openapi-python-client is not installed (pip install -e '.[test]')")
def test_a_generated_client_enrols_a_tablet_and_pushes_a_submission(settings, tmp_path, generated) -> None:
    direct = build_context(settings)
    for name, role, scope in [("admin", "admin", {}), ("li", "inspector", {"region_code": "510681", "industries": ["hazchem"]})]:
        asyncio.run(create_user(direct, SYSTEM, UserIn(username=name, password=PASSWORD, role=role, **scope)))  # type: ignore[arg-type]
    asyncio.run(direct.db.dispose())

    with serving(create_app(settings)) as base_url:
        document = tmp_path / "openapi.json"
        document.write_bytes(httpx.get(f"{base_url}/schema/openapi.json").content)
        generate_client(document, tmp_path / "anjian_client")

        client_module, models = generated(""), generated("models")
        login, publish = generated("api.auth.login"), generated("api.checklists.publish_checklist")
        create_enterprise, put_attachment, push = generated("api.enterprises.create_enterprise"), generated("api.sync.put_attachment"), generated("api.sync.sync_push")
        File = generated("types").File
        anonymous = client_module.Client(base_url=base_url)

        def signed_in(username: str, device_id: str | None = None) -> Any:
            body = models.LoginIn(username=username, password=PASSWORD, device_id=device_id) if device_id else models.LoginIn(username=username, password=PASSWORD)
            tokens = login.sync(client=anonymous, body=body)
            assert isinstance(tokens, models.TokenPair), tokens
            return client_module.AuthenticatedClient(base_url=base_url, token=tokens.access_token)

        admin = signed_in("admin")
        published = publish.sync_detailed(client=admin, body=models.Checklist.from_dict(CHECKLIST))
        assert published.status_code == 201, published.content
        enterprise = create_enterprise.sync(client=admin, body=models.EnterpriseIn.from_dict(
            {"name": "广汉市测试化工有限公司", "uscc": valid_uscc(), "region_code": "510681", "industries": ["hazchem"], "scale": "small_micro"},
        ))
        assert isinstance(enterprise, models.EnterpriseOut), enterprise

        tablet = signed_in("li", device_id=str(uuid.uuid4()))  # logging in with a device id enrols the tablet
        photo = b"\xff\xd8\xff\xe0 a photo of the store room"
        sha = hashlib.sha256(photo).hexdigest()
        uploaded = put_attachment.sync(sha256=sha, client=tablet, body=File(payload=io.BytesIO(photo), mime_type="application/octet-stream"))
        assert isinstance(uploaded, models.AttachmentStatus) and uploaded.complete, uploaded

        submission = models.SubmissionRecord(
            kind="submission", id=str(uuid.uuid4()), enterprise_id=enterprise.id, checklist_id=CHECKLIST["id"],
            checklist_version=CHECKLIST["version"], checklist_hash=published.parsed.content_hash,
            started_at=_at("2026-03-02T08:00:00+08:00"), finished_at=_at("2026-03-02T08:40:00+08:00"),
            answers=models.SubmissionRecordAnswers.from_dict(
                {"CC-1": {"result": "pass", "photos": [sha]}, "CC-2": {"value": 21.5}, "CC-3": {"result": "pass"}},
            ),
        )
        outcome = push.sync(client=tablet, body=models.PushBody(records=[submission]))

    assert isinstance(outcome, models.PushOut), outcome
    (result,) = outcome.results
    assert (result.id, result.status) == (submission.id, models.PushResultStatus.ACCEPTED)
    assert not result.missing_attachments


def _at(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text)
