"""Arrows point down only (docs/architecture.md, "Rooms"): server → web, sync, checklists, plugins → core
(web — the field app's files and the office console — is wiring-level like server.py);
inside core, the kernel and storage never reach up into a domain. Read from the import statements."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "sync", "checklists", "plugins", "web")
# The kernel modules at core/ top that every room may use; they import only each other and storage.
PURE_KERNEL = {"core.clock", "core.errors", "core.ids", "core.settings", "core.vocabulary", "core.local_time", "core.wire"}
# What each room may import from anjian's own code (module prefixes).
ALLOWED = {
    "core": ("core",),
    "checklists": ("core", "checklists"),
    "plugins": ("core", "checklists", "plugins"),
    "sync": ("core", "checklists", "plugins", "sync"),
    "web": ("core", "checklists", "plugins", "sync", "web"),
}


def _modules() -> dict[str, set[str]]:
    imports: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module)
                    found.update(f"{node.module}.{alias.name}" for alias in node.names)
                elif isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
            imports[module] = {name for name in found if name.split(".")[0] in (*PACKAGES, "server")}
    return imports


IMPORTS = _modules()


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_rooms_import_only_what_lies_below(room: str) -> None:
    wrong = {
        (module, name)
        for module, names in IMPORTS.items() if _under(module, room)
        for name in names if not any(_under(name, allowed) for allowed in ALLOWED[room])
    }
    assert not wrong, f"{room} reaches up: {sorted(wrong)}"


def test_storage_and_the_pure_kernel_never_import_a_domain() -> None:
    wrong = set()
    for module, names in IMPORTS.items():
        if _under(module, "core.storage"):
            allowed = ("core.storage", *PURE_KERNEL)
        elif module in PURE_KERNEL:
            allowed = tuple(PURE_KERNEL)
        else:
            continue
        wrong |= {(module, name) for name in names if not any(_under(name, prefix) for prefix in allowed) and name != "core"}
    assert not wrong, f"storage or kernel imports a domain: {sorted(wrong)}"


def test_core_has_at_most_a_dozen_top_level_modules_and_none_too_long() -> None:
    top = [path for path in (ROOT / "core").glob("*.py") if path.name != "__init__.py"]
    assert len(top) <= 12, sorted(path.name for path in top)
    long = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES for path in (ROOT / package).rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 420
    }
    assert not long, f"modules over ~400 lines: {long}"


def test_package_inits_hold_only_their_docstring_in_core_and_sync() -> None:
    """An ``__init__`` that imports would run on every import of a sibling and tie rooms in knots."""
    busy = []
    for package in ("core", "sync"):
        for path in (ROOT / package).rglob("__init__.py"):
            body = ast.parse(path.read_text(encoding="utf-8")).body
            if any(not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) for node in body):
                busy.append(str(path.relative_to(ROOT)))
    assert not busy, busy
