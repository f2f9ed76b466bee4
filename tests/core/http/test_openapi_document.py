"""The OpenAPI document says what the server does, and its pages work without the internet."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from core.http.api_docs import STATIC_DIR
from core.http.openapi_document import summary_of

METHODS = ("get", "put", "post", "delete", "patch", "head")


@pytest.fixture
async def document(api) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = await api.client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: op for item in document["paths"].values() for method, op in item.items() if method in METHODS}


async def test_bodies_read_by_hand_are_declared(document) -> None:
    ops = operations(document)
    push = ops["syncPush"]["requestBody"]
    assert push["required"] is True
    assert push["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PushBody"}
    assert "application/msgpack" in push["content"]
    record_kinds = document["components"]["schemas"]["PushBody"]["properties"]["records"]["items"]["oneOf"]
    assert {"$ref": "#/components/schemas/SubmissionRecord"} in record_kinds and {"$ref": "#/components/schemas/HazardUpdateRecord"} in record_kinds
    publish = ops["publishChecklist"]["requestBody"]["content"]
    assert set(publish) == {"application/json", "application/yaml", "application/toml"}
    assert publish["application/json"]["schema"] == {"$ref": "#/components/schemas/Checklist"}
    upload = ops["putAttachment"]["requestBody"]["content"]
    assert upload == {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


async def test_reports_declare_their_json_csv_and_xlsx_forms(document) -> None:
    for operation_id in ("reportHazards", "reportInspectionsByMonth", "reportListedSupervision", "getReportSnapshot"):
        content = operations(document)[operation_id]["responses"]["200"]["content"]
        assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/ReportTable"}, operation_id
        assert content["text/csv"]["schema"] == {"type": "string"}
        assert content["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]["schema"]["format"] == "binary"


async def test_summaries_are_distinct_and_docstrings_describe_operations(document) -> None:
    ops = operations(document)
    summaries = Counter(op["summary"] for op in ops.values())
    assert [s for s, n in summaries.items() if n > 1] == []
    assert ops["listUsers"]["summary"] == "List users" and ops["listSyncConflicts"]["summary"] == "List sync conflicts"
    assert ops["syncPush"]["description"].startswith("Push a batch of offline records")
    assert "Exchange username and password" in ops["login"]["description"]
    assert summary_of("reportInspectionsByInspector") == "Report inspections by inspector"


async def test_only_public_operations_are_marked_as_needing_no_token(document) -> None:
    assert document["security"] == [{"bearer": []}]
    public = {operation_id for operation_id, op in operations(document).items() if op.get("security") == []}
    assert public == {"login", "refresh", "healthz", "readyz"}
    assert all("security" not in op for operation_id, op in operations(document).items() if operation_id not in public)


@pytest.mark.parametrize("page", ["/schema", "/schema/swagger", "/schema/redoc"])
async def test_documentation_pages_load_only_anjians_own_assets(api, page) -> None:
    html = (await api.client.get(page)).text
    head = html.split("<body", 1)[0]
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", head)
    assert assets and not [url for url in assets if not url.startswith(("/schema/assets/", "data:"))], assets
    for url in assets:
        if url.startswith("/schema/assets/"):
            response = await api.client.get(url)  # no token: the page's browser has none
            assert response.status_code == 200 and len(response.content) > 10_000, url


def test_vendored_assets_keep_their_licences_and_pinned_versions() -> None:
    for folder, licences in {"swagger-ui": ["LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt"], "redoc": ["LICENSE", "redoc.standalone.js.LICENSE.txt"]}.items():
        for name in licences:
            assert (STATIC_DIR / folder / name).stat().st_size > 0
    versions = (STATIC_DIR / "VERSIONS.txt").read_text().split()
    assert versions[0] == "swagger-ui-dist" and versions[2] == "redoc" and re.match(r"^\d+\.\d+\.\d+$", versions[1])
