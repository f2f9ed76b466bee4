"""Signatures on a document: the tablet's, attached at issue, and those added later.

The boxes to sign come from the type (``filling.signature_boxes``) and are kept in the snapshot;
each signature fills one box by its ``role`` (``enterprise``, ``inspector_2``). A tablet signature
carries only its tablet role (``inspector``, ``enterprise``): it fills the box of that role whose
signer has its name, else the first free one. A required box without a signature is *awaited*:
the API lists it, the PDF prints 待签.
"""

from __future__ import annotations

from typing import Any

from plugins.documents.records import DocumentSignature
from plugins.documents.sources import SignatureFact
from plugins.documents.wire import SignatureOut


def match_tablet_signatures(boxes: list[dict[str, Any]], signatures: list[SignatureFact]) -> list[tuple[dict[str, Any], SignatureFact]]:
    """(box, signature) for each tablet signature that has a box of its role; the rest are not on this document."""
    free = list(boxes)
    matched = []
    for signature in signatures:
        candidates = [box for box in free if box["base_role"] == signature.role]
        if not candidates:
            continue
        box = next((b for b in candidates if b["name"] and b["name"] == signature.name.strip()), candidates[0])
        free.remove(box)
        matched.append((box, signature))
    return matched


def box_title(box: dict[str, Any]) -> str:
    """``检查人员（签名）：张三`` — per-inspector boxes share a label, the name tells them apart."""
    return f"{box['label']}：{box['name']}" if box.get("name") and box["role"] != box["base_role"] else box["label"]


def awaiting(content: dict[str, Any], signed_roles: set[str]) -> list[str]:
    """The required boxes nobody has signed yet, in the document's order."""
    return [box_title(box) for box in content.get("signature_boxes", []) if box.get("required") and box["role"] not in signed_roles]


def signature_out(content: dict[str, Any], row: DocumentSignature) -> SignatureOut:
    box = next((b for b in content.get("signature_boxes", []) if b["role"] == row.role), None)
    return SignatureOut(
        role=row.role, label=box_title(box) if box else row.role, name=row.name, sha256=row.sha256, source=row.source,
        signed_at=row.signed_at, signed_by=row.signed_by,
    )
