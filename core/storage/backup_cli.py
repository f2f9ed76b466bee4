"""``anjian backup [OUT]`` and ``anjian restore ARCHIVE [--force]`` (docs/operations.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from core.settings import settings_from_env
from core.storage.backup import BackupError, create_backup
from core.storage.restore import restore_backup


def register_backup(cli: click.Group) -> None:
    """Attach ``backup`` and ``restore`` to the main CLI. Neither opens the server's database
    engine nor migrates: a backup copies what is there, a restore puts back what was."""

    @cli.command()
    @click.argument("out", required=False, type=click.Path(dir_okay=False, path_type=Path))
    def backup(out: Path | None) -> None:
        """Write the database and the data directory (secret, attachments) to OUT, a .tar.gz
        (default: anjian-backup-<UTC time>.tar.gz here). Safe while the server runs."""
        settings = settings_from_env()
        now = datetime.now(UTC)
        target = out or Path(f"anjian-backup-{now:%Y%m%d-%H%M%S}.tar.gz")
        try:
            info = create_backup(settings, target, now=now)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        size = info.path.stat().st_size
        click.echo(
            f"备份完成 backup written: {info.path} ({size:,} bytes; {info.engine} database at {', '.join(info.revisions) or 'no migration'}; "
            f"{info.data_files} files of the data directory)"
        )

    @cli.command()
    @click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Replace a database that already holds tables (stop the server first).")
    def restore(archive: Path, force: bool) -> None:
        """Restore ARCHIVE (from anjian backup) into ANJIAN_DATABASE_URL and ANJIAN_DATA_DIR.
        A database that holds tables is refused unless --force. Stop the server first."""
        settings = settings_from_env()
        try:
            info = restore_backup(settings, archive, force=force)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(
            f"恢复完成 restored: {info.engine} database from the backup of {info.created_at} "
            f"(at {', '.join(info.revisions) or 'no migration'}), {info.data_files} files into {settings.data_dir}; "
            "the server migrates it on start if it is older"
        )
