"""Reading one stored submission for scoring (``checklist.score`` with ``submission_id``).

The evaluation feature lives in plugins, which may not import sync; ``server.py`` hands this
reader to ``plugins.evaluations.submissions.provide_submissions``.
"""

from __future__ import annotations

import msgspec

from core.context import Context
from plugins.evaluations.submissions import StoredSubmission
from sync.push.submissions import Submission


async def stored_submission(ctx: Context, submission_id: str) -> StoredSubmission | None:
    """The accepted submission ``submission_id`` (ids are stored lower case), or None."""
    async with ctx.db.read() as session:
        row = await session.get(Submission, submission_id.lower())
    if row is None:
        return None
    return StoredSubmission(
        id=row.id, enterprise_id=row.enterprise_id, checklist_id=row.checklist_id, checklist_version=row.checklist_version,
        checklist_hash=row.checklist_hash, answers=msgspec.to_builtins(row.answers),
    )
