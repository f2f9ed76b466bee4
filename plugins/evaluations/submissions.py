"""Scoring a tablet's stored submission by its id (``checklist.score`` with ``submission_id``).

Submissions are stored by sync (``sync/push/submissions.py``), which plugins may not import: arrows
point down only. So sync provides the reader and ``server.py`` wires it in with
:func:`provide_submissions`, as it adds sync's job to core's catalogue. Without a reader (a plugin
tool running without the server's wiring) a reference is refused, never guessed at.

The submission pins its checklist version and content hash; it is scored on exactly that version,
read from checklist storage, and the stored input keeps the reference with the pinned version and
hash filled in, so it names exactly what was scored and the batch resolves it again alike.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import msgspec

from checklists.versions import get_version
from core.context import Context
from core.errors import Conflict, InvalidInput, NotFound
from plugins.evaluator import decode_input

CHECKLIST_SCORE = "checklist.score"


class StoredSubmission(msgspec.Struct, frozen=True, kw_only=True):
    """What scoring needs of an accepted submission: its enterprise, pinned version and answers
    exactly as the tablet sent them (``{result, value, note, photos}`` per item code)."""

    id: str
    enterprise_id: str
    checklist_id: str
    checklist_version: str
    checklist_hash: str
    answers: dict[str, dict[str, Any]]


SubmissionReader = Callable[[Context, str], Awaitable[StoredSubmission | None]]


class _Source:
    """The one reader of stored submissions, wired by ``server.py``."""

    reader: SubmissionReader | None = None


def provide_submissions(reader: SubmissionReader) -> None:
    """Wire the reader of stored submissions (``server.py`` hands sync's in)."""
    _Source.reader = reader


class SubmissionReference(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A stored submission, named by id; the pinned fields are filled in when it is stored."""

    submission_id: Annotated[str, msgspec.Meta(min_length=1, max_length=36, description="已接收的检查提交编号")]
    checklist_id: Annotated[str | None, msgspec.Meta(description="由服务器填写：提交所用检查表")] = None
    checklist_version: Annotated[str | None, msgspec.Meta(description="由服务器填写：提交所用检查表版本")] = None
    content_hash: Annotated[str | None, msgspec.Meta(description="由服务器填写：检查表内容 sha256")] = None


def _unsupported(message: str, message_zh: str) -> InvalidInput:
    return InvalidInput(message, message_zh, field="submission_id", code="submission_reference_unsupported")


def score_answers(answers: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A tablet's answers (``result``, ``value``, ``note``) as ``checklist.score`` answers
    (``status``, ``value``, ``text``): a number is the measured value, text is the finding."""
    out: dict[str, dict[str, Any]] = {}
    for code, answer in answers.items():
        converted: dict[str, Any] = {}
        if answer.get("result") is not None:
            converted["status"] = answer["result"]
        value = answer.get("value")
        texts = []
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            converted["value"] = value
        elif isinstance(value, str) and value:
            texts.append(value)
        if answer.get("note"):
            texts.append(answer["note"])
        if texts:
            converted["text"] = "；".join(texts)
        out[code] = converted
    return out


async def resolve_submission(ctx: Context, evaluator_id: str, enterprise_id: str, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(stored, evaluated)`` for a reference to a stored submission of ``enterprise_id``.

    400 ``submission_reference_unsupported`` for an evaluator other than ``checklist.score`` or
    when no reader is wired; 400 ``unknown_submission`` for a submission that is absent or of
    another enterprise (alike, so nothing out of scope is revealed); 409 when its pinned version
    is no longer the one stored (it cannot be: versions are immutable).
    """
    if evaluator_id != CHECKLIST_SCORE:
        raise _unsupported(
            f"submission_id is accepted by {CHECKLIST_SCORE} only, not by {evaluator_id}",
            f"只有检查表评分（{CHECKLIST_SCORE}）可以按 submission_id 评分，{evaluator_id} 不支持",
        )
    reader = _Source.reader
    if reader is None:
        raise _unsupported(
            "stored submissions cannot be read here; send checklist_id, checklist_version and answers",
            "此处无法读取已提交的检查记录，请提交 checklist_id、checklist_version 和 answers",
        )
    reference = decode_input(SubmissionReference, data)
    submission = await reader(ctx, reference.submission_id.lower())
    if submission is None or submission.enterprise_id != enterprise_id:
        raise InvalidInput(
            f"submission {reference.submission_id} of this enterprise was not found",
            f"未找到该企业的检查提交 {reference.submission_id}",
            field="submission_id",
            code="unknown_submission",
        )
    pinned = (submission.checklist_id, submission.checklist_version, submission.checklist_hash)
    given = (reference.checklist_id, reference.checklist_version, reference.content_hash)
    for name, mine, theirs in zip(("checklist_id", "checklist_version", "content_hash"), pinned, given):
        if theirs is not None and theirs != mine:
            raise Conflict(
                f"submission {submission.id} was made on {name} {mine}, not {theirs}",
                f"检查提交 {submission.id} 使用的 {name} 为 {mine}，与输入的 {theirs} 不一致",
                field=name,
                code="submission_reference_mismatch",
            )
    try:
        row = await get_version(ctx, submission.checklist_id, submission.checklist_version)
    except NotFound as exc:  # a version is kept forever once published; reaching this is a defect
        raise Conflict(
            f"checklist {submission.checklist_id} version {submission.checklist_version} of the submission is not stored",
            f"检查提交所用的检查表 {submission.checklist_id} {submission.checklist_version} 版不存在",
            field="submission_id",
            code="unknown_checklist_version",
        ) from exc
    if row.content_hash != submission.checklist_hash:
        raise Conflict(
            f"the submission pinned content hash {submission.checklist_hash}, the stored version has {row.content_hash}",
            f"检查提交记录的检查表内容哈希 {submission.checklist_hash} 与已发布版本 {row.content_hash} 不一致",
            field="submission_id",
            code="checklist_hash_mismatch",
        )
    stored = {
        "submission_id": submission.id,
        "checklist_id": submission.checklist_id,
        "checklist_version": submission.checklist_version,
        "content_hash": submission.checklist_hash,
    }
    evaluated = {"checklist": msgspec.json.decode(row.content), "answers": score_answers(submission.answers)}
    return stored, evaluated
