"""Checklist version numbers: ``MAJOR.MINOR.PATCH``, compared numerically (``1.10.0 > 1.9.0``)."""

from __future__ import annotations

import re

from checklists.schema import SEMVER_PATTERN

_SEMVER = re.compile(SEMVER_PATTERN)


def parse_version(version: str) -> tuple[int, int, int]:
    """Split a version into its three numbers; ``ValueError`` when it is not ``X.Y.Z``."""
    match = _SEMVER.match(version)
    if match is None:
        raise ValueError(f"not a MAJOR.MINOR.PATCH version: {version!r}")
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch)


def is_valid_version(version: str) -> bool:
    """Whether ``version`` is ``MAJOR.MINOR.PATCH`` without leading zeros."""
    return _SEMVER.match(version) is not None


def compare_versions(left: str, right: str) -> int:
    """-1, 0 or 1 as ``left`` is lower than, equal to or greater than ``right``."""
    a, b = parse_version(left), parse_version(right)
    return (a > b) - (a < b)


def version_key(version: str) -> tuple[int, int, int]:
    """A sort key: ``sorted(versions, key=version_key)`` orders oldest first."""
    return parse_version(version)
