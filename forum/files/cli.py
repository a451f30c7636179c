"""``flask files …``: maintenance of the group libraries."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from forum import ratelimit
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
    click.echo(purge_all(grace))


def purge_all(grace: int = 3600) -> str:
    """The site's periodic purge; returns what it removed, in words."""
    with writing():
        report = purge()
        # The site's one periodic purge also drops expired one-time form keys
        # (forum/submissions.py); a claim drops its own member's on write anyway.
        keys = purge_expired()
        db.session.commit()
    report = purge_unreferenced_blobs(report, grace_seconds=grace)
    db.session.commit()
    return (f"Purged {report.files} file(s), {report.blobs} blob(s), "
            f"{report.temporary} temporary file(s), {keys} expired form key(s).")


DAILY = ratelimit.Limit(1, 24 * 3600, "1 per day")


def purge_once_a_day() -> str | None:
    """The delivery worker's daily purge: the first worker to ask in a UTC day runs it, every
    other ask that day (this worker's next, another worker's) is refused by the same atomic
    counter the throttles use (the database's, or Redis's) — once a day however many workers
    run. Returns the report, or None when it was not this worker's turn."""
    (count,) = ratelimit.attempt(("job", "files-purge", DAILY))
    return purge_all() if count.allowed else None
