"""``flask`` commands: seed-demo, create-admin, deliver (+ files, digests, backup, restore,
search, mail lmtp / mail ingest)."""

from __future__ import annotations

import importlib
import logging
import time

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from forum.db import writing
from forum.digests.schedule import send_due_digests
from forum.events.rsvps import send_due_reminders
from forum.extensions import db
from forum.files.cli import purge_once_a_day
from forum.mail import deliver_pending
from forum.search.extract import extract_pending
from forum.users.models import User
from forum.users.services import AccountError, create_user

log = logging.getLogger(__name__)

# Each feature that seeds demo content has ``forum/<feature>/seed.py`` with ``seed(ctx)``;
# ``ctx`` is a dict the seeders share (users by handle, groups by slug, …). Order matters.
SEEDERS = (
    "users", "groups", "discussions", "files", "moderation", "volunteering", "events",
    "articles",
    "notifications",
)


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    app.cli.add_command(deliver)
    app.cli.add_command(importlib.import_module("forum.files.cli").files_cli)
    app.cli.add_command(importlib.import_module("forum.digests.sending").digests_command)
    ops_cli = importlib.import_module("forum.ops.cli")
    app.cli.add_command(ops_cli.backup_command)
    app.cli.add_command(ops_cli.restore_command)
    app.cli.add_command(importlib.import_module("forum.search.reindex").search_cli)
    app.cli.add_command(importlib.import_module("forum.inbound.cli").mail_cli)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the site already has accounts.")
def seed_demo(if_empty: bool) -> None:
    """Build the demo site: the section, its groups, demo accounts and their content."""
    if db.session.scalar(select(func.count()).select_from(User)):
        if if_empty:
            click.echo("Demo site already seeded; nothing to do.")
            return
        raise click.ClickException("The database already has accounts; seed an empty database.")
    ctx: dict = {}
    modules = [importlib.import_module(f"forum.{name}.seed") for name in SEEDERS]
    with writing(), click.progressbar(modules, label="Seeding the demo site",
                                      item_show_func=lambda m: m and m.__name__) as bar:
        for module in bar:
            module.seed(ctx)
            db.session.flush()
        db.session.commit()
    click.echo("Demo site ready. Sign in with the accounts listed in the README.")


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--username", prompt=True)
@click.option("--display-name", default=None)
@click.password_option()
def create_admin(email: str, username: str, display_name: str | None, password: str) -> None:
    """Create a verified site administrator."""
    with writing():
        try:
            user = create_user(email=email, username=username,
                               display_name=display_name or username, password=password,
                               verified=True, site_admin=True)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
    click.echo(f"Site admin {user.username} created.")


@click.command("deliver")
@click.option("--loop", is_flag=True, help="Keep running, checking the outbox every few seconds.")
@click.option("--interval", default=2.0, show_default=True)
def deliver(loop: bool, interval: float) -> None:
    """Send the mail waiting in the outbox."""
    while True:
        try:
            _remind()  # the day-before event reminders join the outbox first
            _digests()  # the digests whose hour has come, in each member's zone
            sent = deliver_pending()  # a bad message is marked failed inside; the run goes on
            extract_pending()  # the words inside new uploads, for search (a few per round)
            _purge()  # once a day, by whichever worker asks first
        except Exception:
            if not loop:
                raise
            # The database or the network went away mid-run: a service keeps going, and its
            # claimed rows are taken over after the claim timeout.
            log.exception("delivery run failed; trying again in %s s", interval)
            sent = 0
        if sent:
            click.echo(f"Delivered {sent} message(s).")
        db.session.remove()
        if not loop:
            return
        if not sent:  # a backlog is sent batch after batch; only an idle worker waits
            time.sleep(interval)


_last_digest_check = 0.0
_last_purge_check = 0.0


def _purge() -> None:
    """Ask for the daily purge at most every PURGE_CHECK_SECONDS in this worker (asking
    writes a counter); the day's first ask across all workers runs it (files.cli)."""
    global _last_purge_check
    if _last_purge_check and \
            time.monotonic() - _last_purge_check < current_app.config["PURGE_CHECK_SECONDS"]:
        return
    _last_purge_check = time.monotonic()
    report = purge_once_a_day()
    if report:
        click.echo(report)


def _digests() -> None:
    """Queue due digests, at most every DIGEST_CHECK_SECONDS in this worker (each member's
    digest is sent once per period however many workers look: digests.schedule)."""
    global _last_digest_check
    wait = current_app.config["DIGEST_CHECK_SECONDS"]
    if _last_digest_check and time.monotonic() - _last_digest_check < wait:
        return
    _last_digest_check = time.monotonic()
    queued = send_due_digests()
    if queued:
        click.echo(f"Queued {queued} digest(s).")


def _remind() -> None:
    """Queue the events' day-before reminders (idempotent: each answer is reminded once)."""
    with writing():
        if send_due_reminders():
            db.session.commit()
        else:
            db.session.rollback()
