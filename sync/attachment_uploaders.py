"""Who uploaded an attachment (附件上传人): one row per user who sent its complete content.

Attachments are content-addressed, so one file may be uploaded by several users (the same photo
on two tablets). Having sent the whole content proves holding it: such a user may ask ``HEAD`` and
``GET`` for it whatever records reference it (``sync.attachment_access``). A user who only knows
the sha256 is not recorded and sees nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, String
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.access.scope import Principal
from core.context import Context
from core.storage.audit_log import append_audit
from core.storage.db_types import UTCDateTime


class AttachmentUploader(SQLModel, table=True):
    """User ``user_id`` sent the complete content of attachment ``sha256`` (first from ``device_id``)."""

    __tablename__ = "attachment_uploader"

    sha256: str = Field(sa_column=Column(String(64), primary_key=True))
    user_id: str = Field(sa_column=Column(String(36), primary_key=True))
    device_id: str | None = Field(default=None, max_length=36)
    size: int = Field(sa_column=Column(BigInteger(), nullable=False))
    uploaded_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


async def is_uploader(session: AsyncSession, sha256: str, user_id: str) -> bool:
    """Whether ``user_id`` sent the complete content of ``sha256``."""
    query = select(AttachmentUploader.sha256).where(col(AttachmentUploader.sha256) == sha256, col(AttachmentUploader.user_id) == user_id)
    return (await session.exec(query)).first() is not None


async def record_upload(ctx: Context, principal: Principal, sha256: str, size: int) -> None:
    """Note that the caller sent the whole of ``sha256`` (audited); once per user."""
    now = ctx.clock.now()
    try:
        async with ctx.db.write() as session:
            if await is_uploader(session, sha256, principal.user_id):
                return
            session.add(AttachmentUploader(sha256=sha256, user_id=principal.user_id, device_id=principal.device_id, size=size, uploaded_at=now))
            await append_audit(
                session, actor=principal.actor, action="attachment_uploaded", entity="attachment", entity_id=sha256, at=now,
                after={"size": size, "device_id": principal.device_id},
            )
    except IntegrityError:
        return  # the same user's other device finished the same file at the same moment: recorded once
