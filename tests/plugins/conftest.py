"""Fixtures for plugin tests: a fresh registry, and installing distributions without a network.

``install_distribution`` writes what an installer leaves behind — the package and a
``*.dist-info`` directory with ``METADATA`` and ``entry_points.txt`` — into a temporary
directory put on ``sys.path``. ``importlib.metadata`` then finds the entry points exactly as it
finds those of a pip-installed distribution, with no build backend and no network.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from plugins.registry import PluginRegistry

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "anjian-plugin-example"


@pytest.fixture
def registry() -> PluginRegistry:
    return PluginRegistry(strict=False)


class Installer:
    def __init__(self, site: Path) -> None:
        self.site = site
        self.packages: list[str] = []

    def install(
        self,
        name: str,
        version: str,
        entry_points: dict[str, str],
        packages: dict[str, Path | str] | None = None,
    ) -> None:
        """Install distribution ``name`` whose ``anjian`` entry points are ``entry_points``.

        ``packages`` maps a top-level package name to a source directory (copied) or to the text
        of a single-module package (``__init__.py``).
        """
        for package, source in (packages or {}).items():
            target = self.site / package
            if isinstance(source, Path):
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.mkdir()
                (target / "__init__.py").write_text(source, encoding="utf-8")
            self.packages.append(package)
        info = self.site / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
        lines = "".join(f"{ep} = {target}\n" for ep, target in entry_points.items())
        (info / "entry_points.txt").write_text(f"[anjian]\n{lines}", encoding="utf-8")
        importlib.invalidate_caches()

    def install_example(self) -> None:
        """Install ``examples/anjian-plugin-example`` as its pyproject.toml describes it."""
        project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        self.install(
            project["name"],
            project["version"],
            project["entry-points"]["anjian"],
            packages={"anjian_plugin_example": EXAMPLE / "anjian_plugin_example"},
        )


@pytest.fixture
def installer(tmp_path: Path) -> Iterator[Installer]:
    site = tmp_path / "site-packages"
    site.mkdir()
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    installer = Installer(site)
    try:
        yield installer
    finally:
        sys.path.remove(str(site))
        for module in list(sys.modules):
            if module.split(".")[0] in installer.packages:
                del sys.modules[module]
        importlib.invalidate_caches()
