"""The OpenAPI document, complete enough for a client generator (openapi-python-client, …).

Litestar derives the document from handler signatures, which misses what a few handlers do by
hand. ``DocumentingOpenAPIPlugin`` builds litestar's document and then adds, per operation:

- the request body of a handler that reads its body itself (push and publish decode raw JSON or
  MessagePack for speed, an attachment upload streams bytes): declared in the handler's ``opt``
  with ``raw_body(...)``, its schema made by litestar's own schema creator so that its types
  become components like any other;
- more media types for a response (a report is JSON, CSV or XLSX): ``also_returns(...)``;
- ``security: []`` on operations that need no token (``opt={"exclude_from_auth": True}``: login,
  refresh, health), which the document-wide bearer requirement would otherwise claim;
- a summary of its own: litestar makes it from the function name, and nine handlers are named
  ``list``; the humanised ``operationId`` is unique by construction;
- the error body every 4xx/5xx really has (``core.http.error_docs``).

The handlers' docstrings are the operations' descriptions (``use_handler_docstrings``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from litestar import Litestar
from litestar._openapi.datastructures import OpenAPIContext
from litestar._openapi.path_item import create_path_item_for_route, merge_path_item_operations
from litestar._openapi.plugin import OpenAPIPlugin
from litestar._openapi.schema_generation import SchemaCreator
from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, PathItem, RequestBody, Schema
from litestar.routes import HTTPRoute
from litestar.typing import FieldDefinition

from core.http.error_docs import document_errors

RAW_BODY = "openapi_raw_body"
ALSO_RETURNS = "openapi_also_returns"

BINARY = Schema(type=OpenAPIType.STRING, format="binary")  # type: ignore[arg-type]
"""Raw bytes (an attachment, a spreadsheet): generated clients take and give a file."""
TEXT = Schema(type=OpenAPIType.STRING)


@dataclass(frozen=True)
class RawBody:
    """A request body the handler reads itself: each media type it accepts and what it holds
    there (a type, described as litestar describes a ``data`` parameter, or a ready ``Schema``)."""

    content: Mapping[str, Any]
    description: str | None = None
    required: bool = True


@dataclass(frozen=True)
class AlsoReturns:
    """More representations of a response: status code → media type → type or ``Schema``."""

    content: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)


def raw_body(content: Mapping[str, Any], description: str | None = None) -> dict[str, RawBody]:
    """``opt`` entry of a handler whose body litestar does not decode (see the module docstring)."""
    return {RAW_BODY: RawBody(content=content, description=description)}


def also_returns(status: int, content: Mapping[str, Any]) -> dict[str, AlsoReturns]:
    """``opt`` entry adding media types to the ``status`` response of a handler."""
    return {ALSO_RETURNS: AlsoReturns(content={status: content})}


def summary_of(operation_id: str) -> str:
    """``listSyncConflicts`` → ``List sync conflicts``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", operation_id).replace("_", " ").split()
    return " ".join([words[0].capitalize(), *(w.lower() for w in words[1:])]) if words else operation_id


def _schema(creator: SchemaCreator, declared: Any) -> Any:
    if isinstance(declared, Schema):
        return declared
    return creator.for_field_definition(FieldDefinition.from_annotation(declared))


def _complete(context: OpenAPIContext, route: HTTPRoute, path_item: PathItem) -> None:
    """Add to ``path_item``'s operations what litestar cannot see in the handlers' signatures."""
    creator = SchemaCreator.from_openapi_context(context, prefer_alias=True)
    for method, (handler, _) in route.route_handler_map.items():
        operation: Operation | None = getattr(path_item, method.lower(), None)
        if operation is None:
            continue
        if handler.summary is None and operation.operation_id:
            operation.summary = summary_of(operation.operation_id)
        if handler.opt.get("exclude_from_auth"):
            operation.security = []
        body: RawBody | None = handler.opt.get(RAW_BODY)
        if body is not None:
            operation.request_body = RequestBody(
                content={media: OpenAPIMediaType(schema=_schema(creator, declared)) for media, declared in body.content.items()},
                description=body.description, required=body.required,
            )
        extra: AlsoReturns | None = handler.opt.get(ALSO_RETURNS)
        for status, content in (extra.content.items() if extra else ()):
            response = (operation.responses or {}).get(str(status))
            if isinstance(response, OpenAPIResponse):
                response.content = {
                    **(response.content or {}), **{media: OpenAPIMediaType(schema=_schema(creator, t)) for media, t in content.items()},
                }


class DocumentingOpenAPIPlugin(OpenAPIPlugin):
    """Litestar's OpenAPI plugin building the complete document (see the module docstring)."""

    __slots__ = ()

    def _build_openapi(self) -> OpenAPI:
        # litestar's own ``_build_openapi`` (2.x), with ``_complete`` run on each path item while
        # its schema registry is still open, so declared bodies become components too.
        config = self.openapi_config
        if config.create_examples:
            from litestar._openapi.schema_generation.examples import ExampleFactory

            ExampleFactory.seed_random(config.random_seed)
        openapi = config.to_openapi_schema()
        context = OpenAPIContext(openapi_config=config, plugins=self.app.plugins.openapi)
        path_items: dict[str, PathItem] = {}
        for route in self.included_routes.values():
            path = route.path_format or "/"
            path_item = create_path_item_for_route(context, route)
            _complete(context, route, path_item)
            if existing := path_items.get(path):
                path_item = merge_path_item_operations(existing, path_item, for_path=path)
            path_items[path] = path_item
        openapi.paths = path_items
        openapi.components.schemas = context.schema_registry.generate_components_schemas()
        return document_errors(openapi)


def document_when_built(app: Litestar) -> None:
    """Complete the app's OpenAPI document when it is first built.

    The document is built lazily (on the first request for it, after plugins have added routes at
    start-up) and cached. Building it eagerly cost about a second per app, and most apps — every
    test's — never serve it. Litestar creates its OpenAPI plugin itself and looks it up by exact
    type, so the instance's class is switched to a subclass that adds no state (pinned litestar<3).
    """
    plugin = app.plugins.get(OpenAPIPlugin)
    plugin.__class__ = DocumentingOpenAPIPlugin
