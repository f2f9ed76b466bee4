"""Versions compare as numbers, not text."""

from __future__ import annotations

import pytest

from checklists.semver import compare_versions, is_valid_version, parse_version, version_key


def test_versions_compare_numerically():
    assert compare_versions("1.10.0", "1.9.0") == 1
    assert compare_versions("1.9.9", "2.0.0") == -1
    assert compare_versions("3.2.1", "3.2.1") == 0
    assert sorted(["1.10.0", "1.2.0", "1.9.3"], key=version_key) == ["1.2.0", "1.9.3", "1.10.0"]


@pytest.mark.parametrize("bad", ["1.0", "01.0.0", "1.0.0-rc1", "v1.0.0", ""])
def test_malformed_versions_are_refused(bad):
    assert not is_valid_version(bad)
    with pytest.raises(ValueError):
        parse_version(bad)
