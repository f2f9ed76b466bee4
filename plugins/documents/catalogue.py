"""The document types of one application: the built-in files, then what plugins add.

Built-in types (``types/*.yaml`` beside this module) are always there; a broken one is a defect of
anjian and stops start-up with the file, path and reason. A plugin's types come through the
``anjian_document_types`` hook; one that is invalid, or whose code is taken, is refused and
recorded against that plugin (``GET /api/v1/plugins`` shows it; strict mode raises), the rest load.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugins.calling import call_each
from plugins.documents.type_loading import DocumentTypeError, TypeProblem, load_type_file, type_from_data
from plugins.documents.type_schema import DocumentType
from plugins.documents.wire import DocumentTypeOut, SignatureBoxOut
from plugins.registry import PluginRegistry

BUILTIN_DIR = Path(__file__).resolve().parent / "types"
HOOK = "anjian_document_types"
BUILTIN = "builtin"


@dataclass(frozen=True, slots=True)
class ContributedType:
    """A checked type and where it came from (``builtin`` or a plugin's name)."""

    plugin: str
    source: str
    definition: DocumentType


class DocumentTypes:
    """Types by code, in load order (built-ins first)."""

    def __init__(self, types: list[ContributedType]) -> None:
        self.by_code = {t.definition.code: t for t in types}

    def get(self, code: str) -> DocumentType | None:
        contributed = self.by_code.get(code)
        return contributed.definition if contributed else None

    @property
    def codes(self) -> list[str]:
        return list(self.by_code)

    def described(self) -> list[DocumentTypeOut]:
        """Every type for ``GET /api/v1/document-types``, built-ins first."""
        return [_type_out(t) for t in self.by_code.values()]


def _type_out(contributed: ContributedType) -> DocumentTypeOut:
    d = contributed.definition
    return DocumentTypeOut(
        code=d.code, title=d.title, number_class=d.number_class, source=d.source, description=d.description, plugin=contributed.plugin,
        requires=list(d.requires), min_rows=dict(d.min_rows), photos=d.photos, tablet_signatures=d.tablet_signatures,
        signatures=[SignatureBoxOut(role=b.role, label=b.label, per_inspector=b.per_inspector, required=b.required) for b in d.signatures],
    )


@functools.cache
def builtin_types() -> tuple[ContributedType, ...]:
    """Every file in ``types/``; raises :class:`DocumentTypeError` listing every problem of every file.
    Read once per process: every app start (and every test's app) would parse the same files."""
    loaded: list[ContributedType] = []
    problems = []
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        try:
            loaded.append(ContributedType(BUILTIN, str(path), load_type_file(path)))
        except DocumentTypeError as exc:
            problems += exc.problems
    if problems:
        raise DocumentTypeError(problems)
    first: dict[str, ContributedType] = {}
    for contributed in loaded:
        code = contributed.definition.code
        if code in first:
            problems.append(TypeProblem(
                file=contributed.source, path="code", message=f"type code {code} is also defined in {first[code].source}",
                message_zh=f"文书种类编号 {code} 与 {first[code].source} 重复",
            ))
        first.setdefault(code, contributed)
    if problems:
        raise DocumentTypeError(problems)
    return tuple(loaded)


def _plugin_type(plugin: str, index: int, entry: Any) -> ContributedType:
    if isinstance(entry, (Path, os.PathLike)):
        return ContributedType(plugin, str(entry), load_type_file(Path(entry)))
    if isinstance(entry, dict):
        source = f"plugin {plugin}: {HOOK}()[{index}]"
        return ContributedType(plugin, source, type_from_data(entry, source=source))
    raise TypeError(f"{HOOK}()[{index}] is a {type(entry).__name__}; expected a pathlib.Path or a dict")


def collect_document_types(registry: PluginRegistry) -> DocumentTypes:
    """The built-in types and every plugin's valid, unclashing types (called once at start-up)."""
    types = list(builtin_types())
    taken = {t.definition.code: t for t in types}
    order = {name: index for index, name in enumerate(registry.records)}
    outcomes = sorted(call_each(registry.pm, HOOK, {}), key=lambda o: order.get(o.plugin_name, len(order)))
    for outcome in outcomes:
        plugin = outcome.plugin_name
        if outcome.error is not None:
            registry.fail(plugin, HOOK, outcome.error)
            continue
        if not isinstance(outcome.value, (list, tuple)):
            registry.fail(plugin, HOOK, f"{HOOK} must return a list, got {type(outcome.value).__name__}")
            continue
        for index, entry in enumerate(outcome.value):
            try:
                contributed = _plugin_type(plugin, index, entry)
            except (DocumentTypeError, TypeError) as exc:
                registry.fail(plugin, HOOK, str(exc))
                continue
            code = contributed.definition.code
            holder = taken.get(code)
            if holder is not None:
                owner = "a built-in type" if holder.plugin == BUILTIN else f"plugin {holder.plugin!r}"
                registry.fail(
                    plugin, HOOK,
                    f"{contributed.source}: document type code {code!r} is already defined by {owner} ({holder.source}); refused "
                    f"(文书种类编号 {code} 已被占用，未加载)",
                )
                continue
            taken[code] = contributed
            types.append(contributed)
    return DocumentTypes(types)
