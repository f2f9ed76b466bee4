"""The OpenAPI document describes the error body the server really sends.

Litestar documents a 400 as its own ``{status_code, detail, extra}``, but ``core/http/errors.py``
renders every error as ``{code, message, message_zh?, field?, …}``. ``document_errors`` rewrites
each declared 4xx/5xx response to that body and adds it as the ``default`` response, so clients
(and the schemathesis tests) can rely on the document for every status, not only for success.
``core.http.openapi_document`` applies it when the document is built.
"""

from __future__ import annotations

from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Reference, Schema

ERROR_BODY = "ErrorBody"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def error_body_schema() -> Schema:
    """``{code, message, message_zh?, field?}``; some errors add fields (``problems``, ``current_version`` …)."""
    return Schema(
        type=OpenAPIType.OBJECT,
        required=["code", "message"],
        properties={
            "code": Schema(type=OpenAPIType.STRING, description="stable error code, e.g. not_found, invalid_input"),
            "message": Schema(type=OpenAPIType.STRING, description="English message"),
            "message_zh": Schema(type=OpenAPIType.STRING, description="中文提示"),
            "field": Schema(type=OpenAPIType.STRING, description="path of the offending field, e.g. industries[0]"),
        },
        description="Every error: a stable code, English and Chinese messages, the field it is about.",
    )


def _error_response(description: str) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=description,
        content={"application/json": OpenAPIMediaType(schema=Reference(ref=f"#/components/schemas/{ERROR_BODY}"))},
    )


def document_errors(openapi: OpenAPI) -> OpenAPI:
    """Point every error response of ``openapi`` at ``ErrorBody`` (in place; idempotent)."""
    if openapi.components.schemas is None:
        openapi.components.schemas = {}
    openapi.components.schemas[ERROR_BODY] = error_body_schema()
    for path_item in (openapi.paths or {}).values():
        for method in _METHODS:
            operation = getattr(path_item, method, None)
            if operation is None or operation.responses is None:
                continue
            for status, response in list(operation.responses.items()):
                if status[:1] in ("4", "5") and isinstance(response, OpenAPIResponse):
                    operation.responses[status] = _error_response(response.description or "Error")
            operation.responses["default"] = _error_response("Error (错误): any status not listed above")
    return openapi
