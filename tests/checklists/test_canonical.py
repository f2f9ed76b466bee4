"""Canonical content depends on meaning only; any change of meaning changes the hash."""

from __future__ import annotations

import msgspec

from checklists.canonical import canonical_bytes, content_hash, from_canonical
from checklists.loading import checklist_from_data
from checklists.schema import Checklist


def load(data):
    return checklist_from_data(data, source="test")


def test_key_order_and_defaults_do_not_change_the_hash(definition):
    reordered = dict(reversed(list(definition.items())))
    explicit = msgspec.json.decode(msgspec.json.encode(definition))
    explicit["sections"][0]["items"][0].update(required=True, major_hazard=False, guidance="")
    explicit["sections"][0]["items"][0]["points"] = 4.0
    hashes = {content_hash(load(d)) for d in (definition, reordered, explicit)}
    assert len(hashes) == 1


def test_any_change_of_meaning_changes_the_hash(definition):
    before = content_hash(load(definition))
    definition["sections"][0]["items"][0]["text"] += "。"
    assert content_hash(load(definition)) != before


def test_canonical_bytes_round_trip(definition):
    checklist = load(definition)
    content = canonical_bytes(checklist)
    assert from_canonical(content) == checklist
    assert "煤矿" in content.decode("utf-8")  # not ASCII-escaped
    assert isinstance(from_canonical(content), Checklist)
