"""``anjian documents issue|pdf|case-file|authority`` act as a named user, like the API."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from sqlmodel import col, select

from core.storage.audit_log import AuditEntry
from server import cli
from tests.conftest import SECRET
from tests.plugins.documents.conftest import DocWorld


async def run(world: DocWorld, *args: str) -> Result:
    """The command in a thread of its own (it runs its own event loop), on the world's database."""
    settings = world.api.app.state.settings
    env = {"ANJIAN_DATABASE_URL": settings.database_url, "ANJIAN_DATA_DIR": settings.data_dir, "ANJIAN_SECRET_KEY": SECRET}
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args), env=env, catch_exceptions=False)


async def test_issue_print_and_export_from_the_command_line(inspected: DocWorld, tmp_path: Path) -> None:
    world = inspected
    refused = await run(world, "documents", "issue", "--as", "zhang", "--type", "on_site_measures", "--inspection", world.inspection_id)
    assert refused.exit_code == 1
    assert "缺少现场处理措施" in refused.output and "measures" in refused.output
    issued = await run(
        world, "documents", "issue", "--as", "zhang", "--type", "on_site_measures", "--inspection", world.inspection_id,
        "--measure", "stop_production", "--period-start", "2026-03-02", "--period-end", "2026-03-09",
    )
    assert issued.exit_code == 0, issued.output
    assert "issued 广应急处理〔2026〕1号 (现场处理措施决定书)" in issued.output and "待签" in issued.output
    document_id = issued.output.split("id=")[1].split(";")[0].strip()

    pdf = tmp_path / "order.pdf"
    printed = await run(world, "documents", "pdf", "--as", "zhang", document_id, "-o", str(pdf))
    assert printed.exit_code == 0, printed.output
    assert pdf.read_bytes().startswith(b"%PDF")
    outsider = await run(world, "documents", "pdf", "--as", "nobody", document_id, "-o", str(pdf))
    assert outsider.exit_code == 1 and "nobody" in outsider.output

    target = tmp_path / "case.zip"
    exported = await run(world, "documents", "case-file", "--as", "zhang", world.inspection_id, "-o", str(target))
    assert exported.exit_code == 0, exported.output
    manifest: dict[str, Any] = json.loads(zipfile.ZipFile(io.BytesIO(target.read_bytes())).read("manifest.json"))
    assert [d["number"] for d in manifest["documents"]] == ["广应急处理〔2026〕1号"]
    async with world.api.direct.db.read() as session:
        actors = (await session.exec(select(AuditEntry.actor_name).where(col(AuditEntry.action).in_(["document.issue", "case_file.export"])))).all()
    assert list(actors) == ["zhang", "zhang"]


async def test_authorities_are_set_and_listed_from_the_command_line(world: DocWorld) -> None:
    created = await run(world, "documents", "authority", "set", "510600", "--name", "德阳市应急管理局", "--short-name", "德",
                        "--review-body", "德阳市人民政府", "--court", "德阳市旌阳区人民法院")
    assert created.exit_code == 0, created.output
    assert "created authority 510600 德阳市应急管理局 (德), version 1" in created.output
    clash = await run(world, "documents", "authority", "set", "510603", "--name", "旌阳区应急管理局", "--short-name", "德",
                      "--review-body", "旌阳区人民政府", "--court", "旌阳区人民法院")
    assert clash.exit_code == 1 and "short_name" in clash.output
    listed = await run(world, "documents", "authority", "list")
    assert listed.output.splitlines()[0].startswith("510600  德  德阳市应急管理局")
    assert "510681  广  广汉市应急管理局" in listed.output
