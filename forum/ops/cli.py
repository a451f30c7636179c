"""``flask backup DEST`` and ``flask restore SRC`` (backup.py does the work)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from forum.extensions import db
from forum.ops.backup import BackupError, backup, restore


@click.command("backup")
@click.argument("dest", type=click.Path())
@with_appcontext
def backup_command(dest: str) -> None:
    """Back up the SQLite database (online) and the blobs to DEST: a new folder, or an archive
    when DEST ends in .tar.gz or .tgz. The site may keep running."""
    try:
        manifest = backup(current_app, dest)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(manifest["database"]["tables"].values())
    click.echo(f"Backed up {rows} rows in {len(manifest['database']['tables'])} tables and "
               f"{manifest['blobs']['count']} blobs ({manifest['blobs']['bytes']} bytes) "
               f"to {dest}.")


@click.command("restore")
@click.argument("src", type=click.Path(exists=True))
@click.option("--force", is_flag=True,
              help="Replace the database of an instance that already has data.")
@with_appcontext
def restore_command(src: str, force: bool) -> None:
    """Restore a backup made by `flask backup` into this instance (stop the app servers and
    workers first). Refuses an instance that has data unless --force."""
    db.session.remove()
    db.engine.dispose()  # no pooled connection holds the old file open
    try:
        manifest = restore(current_app, src, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored the backup of {manifest['created_at']} "
               f"({manifest['blobs']['count']} blobs).")
