"""``flask files …``: maintenance of the group libraries."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from forum.db import writing
from forum.extensions import db
from forum.files.purge import purge, purge_unreferenced_blobs
from forum.submissions import purge_expired

files_cli = AppGroup("files", help="Group libraries: shared files and their blobs.")


@files_cli.command("purge")
@click.option("--grace", default=3600, show_default=True,
              help="Keep unreferenced blobs younger than this many seconds (uploads in flight).")
def purge_command(grace: int) -> None:
    """Remove deleted files past FILE_RETENTION_DAYS, then blobs no version references."""
    with writing():
        report = purge()
        # The site's one periodic purge also drops expired one-time form keys
        # (forum/submissions.py); a claim drops its own member's on write anyway.
        keys = purge_expired()
        db.session.commit()
    report = purge_unreferenced_blobs(report, grace_seconds=grace)
    db.session.commit()
    click.echo(f"Purged {report.files} file(s), {report.blobs} blob(s), "
               f"{report.temporary} temporary file(s), {keys} expired form key(s).")
