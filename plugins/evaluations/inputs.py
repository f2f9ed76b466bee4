"""Turning what a client sends into what an evaluator scores: the one place references are resolved.

Evaluators are pure, so anything they need must be inside their input. Clients need not send
stored data back to the server, though: an input may *reference* it, and it is resolved here
before evaluating. The stored evaluation keeps the reference, pinned (the checklist's content
hash), so the batch can resolve it again and get the same data.

* ``checklist.score`` accepts ``{checklist_id, checklist_version, content_hash?, answers}``: the
  pinned, published checklist version is read from checklist storage.
* ``checklist.score`` accepts ``{submission_id}``: a tablet's stored submission, scored on the
  version it pinned (``plugins.evaluations.submissions``).
* An evaluator whose input declares ``enterprise_facts`` gets the server's own records about the
  enterprise put there (``plugins.evaluations.facts``).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from checklists.versions import get_version
from core.context import Context
from core.errors import Conflict, InvalidInput, NotFound
from plugins.evaluations.facts import enterprise_facts, wants_facts, with_facts
from plugins.evaluations.submissions import CHECKLIST_SCORE, SubmissionReference, resolve_submission
from plugins.evaluator import decode_input


class ChecklistReference(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Answers to a published checklist version, named instead of sent (``checklist.score``)."""

    checklist_id: Annotated[str, msgspec.Meta(min_length=1, max_length=128, description="检查表编号")]
    checklist_version: Annotated[str, msgspec.Meta(min_length=1, max_length=32, description="检查表版本")]
    content_hash: Annotated[
        str | None, msgspec.Meta(description="检查表内容 sha256；给出时必须与已发布版本一致")
    ] = None
    answers: Annotated[dict[str, Any], msgspec.Meta(description="按检查项编码的答案，格式同 checklist.score")]


class PreparedInput(msgspec.Struct, frozen=True):
    """``stored``: what is kept and hashed (references pinned); ``evaluated``: what is scored."""

    stored: dict[str, Any]
    evaluated: dict[str, Any]


# The forms of reference an evaluator accepts instead of its data (shown as ``input_reference_schema``).
REFERENCE_TYPES: dict[str, tuple[type[msgspec.Struct], ...]] = {CHECKLIST_SCORE: (ChecklistReference, SubmissionReference)}


async def prepare_input(ctx: Context, evaluator: Any, data: dict[str, Any], *, enterprise_id: str) -> PreparedInput:
    """Resolve any reference in ``data`` and add the facts the evaluator asks for; plain inputs
    of evaluators that ask for none pass through unchanged.

    Raises ``InvalidInput`` (field relative to the input) for a malformed or unknown reference and
    ``Conflict`` when a pinned content hash does not match the stored version.
    """
    evaluator_id = evaluator.id
    if "submission_id" in data:
        stored, evaluated = await resolve_submission(ctx, evaluator_id, enterprise_id, data)
        return PreparedInput(stored=stored, evaluated=evaluated)
    if evaluator_id == CHECKLIST_SCORE and "checklist_id" in data:
        return await resolve_checklist(ctx, data, enterprise_id=enterprise_id)
    if wants_facts(evaluator):
        data = with_facts(data, await enterprise_facts(ctx, enterprise_id))
    return PreparedInput(stored=data, evaluated=data)


async def resolve_checklist(ctx: Context, data: dict[str, Any], *, enterprise_id: str) -> PreparedInput:
    """``checklist.score`` by reference: read the published version the answers were given on.

    An enterprise's own generated list (``owner_enterprise_id``) scores only that enterprise; for
    any other it is answered as unpublished, so its existence is not revealed."""
    reference = decode_input(ChecklistReference, data)  # EvaluationInputError names the field
    try:
        row = await get_version(ctx, reference.checklist_id, reference.checklist_version)
        if row.owner_enterprise_id is not None and row.owner_enterprise_id != enterprise_id:
            raise NotFound("checklist version not found")
    except NotFound as exc:
        raise InvalidInput(
            f"checklist {reference.checklist_id} version {reference.checklist_version} is not published",
            f"检查表 {reference.checklist_id} 版本 {reference.checklist_version} 未发布",
            field="checklist_version",
            code="unknown_checklist_version",
        ) from exc
    if reference.content_hash is not None and reference.content_hash != row.content_hash:
        raise Conflict(
            f"checklist {row.checklist_id}@{row.version} has content hash {row.content_hash}, not {reference.content_hash}",
            f"检查表 {row.checklist_id}@{row.version} 的内容哈希为 {row.content_hash}，与提交的 {reference.content_hash} 不一致",
            field="content_hash",
            code="checklist_hash_mismatch",
        )
    stored = {
        "checklist_id": row.checklist_id,
        "checklist_version": row.version,
        "content_hash": row.content_hash,
        "answers": reference.answers,
    }
    definition = msgspec.json.decode(row.content)
    return PreparedInput(stored=stored, evaluated={"checklist": definition, "answers": reference.answers})
