"""The value tables shipped in ``tables.yaml``, loaded and checked once at import."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import msgspec
import yaml

from .bands import RiskBands, check_bands

TABLES_FILE = Path(__file__).with_name("tables.yaml")


class TableValue(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """One allowed value of a factor, with its Chinese meaning."""

    value: float
    label: str


class Factor(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A factor (L, E, C, S) and the only values it may take."""

    title: str
    values: list[TableValue]

    def label_of(self, value: float) -> str | None:
        """The label of ``value``, or None when it is not in the table."""
        for entry in self.values:
            if entry.value == value:
                return entry.label
        return None

    def allowed(self) -> list[float]:
        return [entry.value for entry in self.values]


class LecTables(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    l: Factor
    e: Factor
    c: Factor
    thresholds: RiskBands
    danger: dict[str, str]


class MatrixTables(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    l: Factor
    s: Factor
    thresholds: RiskBands


class Tables(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    lec: LecTables
    matrix: MatrixTables


@cache
def load_tables(path: Path = TABLES_FILE) -> Tables:
    """Parse and validate the tables file; a broken file fails loudly at start-up."""
    tables = msgspec.convert(yaml.safe_load(path.read_text(encoding="utf-8")), Tables)
    check_bands(tables.lec.thresholds, "lec.thresholds")
    check_bands(tables.matrix.thresholds, "matrix.thresholds")
    return tables
