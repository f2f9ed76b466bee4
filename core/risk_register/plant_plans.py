"""Uploading and reading the plant plan (厂区平面图) of the 四色分布图.

The image is checked by Pillow (a real PNG or JPEG, at most 20 MB and 12,000 px a side) before it is
kept, content-addressed like photos (``core.storage.attachment_files``): the same file uploaded
twice is stored once, and a replaced plan's file stays for the history.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import msgspec
from PIL import Image, UnidentifiedImageError

from core.access.permissions import require
from core.access.scope import Principal, enterprise_in_scope
from core.context import Context
from core.errors import InvalidInput
from core.risk_register.plant_plan import PlantPlan
from core.storage.attachment_files import attachment_path
from core.storage.audit_log import append_audit, snapshot

MAX_BYTES = 20 * 1024 * 1024
MAX_SIDE = 12_000
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class PlantPlanOut(msgspec.Struct, kw_only=True):
    enterprise_id: str
    sha256: str
    content_type: str
    width: int
    height: int
    version: int


def _checked(data: bytes) -> tuple[str, int, int]:
    if not data:
        raise InvalidInput("the plan image is empty", "平面图文件为空", field="file")
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"the plan image is larger than {MAX_BYTES // 1024 // 1024} MB", f"平面图文件超过 {MAX_BYTES // 1024 // 1024} MB", field="file")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, width, height = image.format, image.width, image.height
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidInput(f"not a readable PNG or JPEG image: {exc}", "平面图必须是可读取的 PNG 或 JPEG 图片", field="file") from exc
    if kind not in FORMATS:
        raise InvalidInput(f"{kind} images are not accepted; upload PNG or JPEG", f"不支持 {kind} 格式，请上传 PNG 或 JPEG 图片", field="file")
    if max(width, height) > MAX_SIDE:
        raise InvalidInput(f"the image is {width}×{height} px; at most {MAX_SIDE} px a side", f"图片尺寸 {width}×{height} 像素，边长不得超过 {MAX_SIDE} 像素", field="file")
    return FORMATS[kind], width, height


def _store(data_dir: str, digest: str, data: bytes) -> None:
    target = attachment_path(data_dir, digest)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".part")
    temporary.write_bytes(data)
    os.replace(temporary, target)


async def upload_plan(ctx: Context, principal: Principal, enterprise_id: str, data: bytes) -> PlantPlanOut:
    """Keep a new plan image for the enterprise (points keep their fractional places)."""
    require(principal.role, "risk_register.write")
    content_type, width, height = _checked(data)
    digest = hashlib.sha256(data).hexdigest()
    async with ctx.db.read() as session:
        await enterprise_in_scope(session, principal, enterprise_id)
    _store(ctx.settings.data_dir, digest, data)
    now = ctx.clock.now()
    async with ctx.db.write() as session:
        plan = await session.get(PlantPlan, enterprise_id)
        before = snapshot(plan) if plan else None
        if plan is None:
            plan = PlantPlan(enterprise_id=enterprise_id, sha256=digest, content_type=content_type, width=width, height=height, uploaded_at=now, uploaded_by=principal.user_id)
        else:
            plan.sha256, plan.content_type, plan.width, plan.height = digest, content_type, width, height
            plan.version += 1
            plan.uploaded_at, plan.uploaded_by = now, principal.user_id
        session.add(plan)
        await append_audit(session, actor=principal.actor, action="plant_plan_uploaded", entity="plant_plan", entity_id=enterprise_id, at=now, before=before, after=snapshot(plan))
    return PlantPlanOut(enterprise_id=enterprise_id, sha256=digest, content_type=content_type, width=width, height=height, version=plan.version)


async def current_plan(ctx: Context, principal: Principal, enterprise_id: str) -> tuple[PlantPlan, Path] | None:
    """The enterprise's plan and its file (None: no plan yet); 404 out of scope."""
    require(principal.role, "risk_register.read")
    async with ctx.db.read() as session:
        await enterprise_in_scope(session, principal, enterprise_id)
        plan = await session.get(PlantPlan, enterprise_id)
    if plan is None:
        return None
    return plan, attachment_path(ctx.settings.data_dir, plan.sha256)
