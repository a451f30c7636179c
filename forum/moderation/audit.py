"""The moderation log: one entry per action, written in the action's transaction, never changed.

Filtering and the CSV export's rows live here too (``forum.csv_export`` makes the cells safe
for spreadsheets).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from forum.csv_export import csv_text
from forum.extensions import db
from forum.moderation.common import SYSTEM_NAME
from forum.moderation.models import ModerationLogEntry

ACTIONS = {
    "auto_hide": "Hid a post after flags",
    "dismiss_flags": "Dismissed flags", "hide_post": "Hid a post",
    "restore_post": "Restored a post", "edit_post": "Edited a post",
    "approve_post": "Approved a held post", "warn": "Warned an author",
    "pin": "Pinned a thread", "unpin": "Unpinned a thread", "lock": "Locked a thread",
    "unlock": "Unlocked a thread", "move": "Moved a thread", "split": "Split a thread",
    "merge": "Merged threads", "ban": "Banned a member", "unban": "Lifted a ban",
    "suspend": "Suspended an account", "unsuspend": "Lifted a suspension",
    "settings": "Changed moderation settings",
}


def record(action: str, *, actor, group_id: int | None, target_type: str,
           target_id: int | None, target_label: str = "", reason: str = "",
           details: str = "") -> ModerationLogEntry:
    """Append an entry; ``actor`` None is the system. Flushes; the caller's commit keeps it."""
    entry = ModerationLogEntry(
        actor_id=actor.id if actor is not None else None,
        actor_name=(actor.username if actor is not None else SYSTEM_NAME)[:100],
        action=action, group_id=group_id, target_type=target_type, target_id=target_id,
        target_label=(target_label or "")[:200], reason=(reason or "")[:500],
        details=(details or "")[:500],
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def post_label(post) -> str:
    return f"post #{post.id} in “{post.thread.title}”"


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filtered(group_id: int | None, *, action: str | None = None, actor: str | None = None,
             since: date | None = None, until: date | None = None):
    """A select of log entries, newest first; ``group_id`` None means every group."""
    stmt = select(ModerationLogEntry).order_by(
        ModerationLogEntry.created_at.desc(), ModerationLogEntry.id.desc())
    if group_id is not None:
        stmt = stmt.where(ModerationLogEntry.group_id == group_id)
    if action in ACTIONS:
        stmt = stmt.where(ModerationLogEntry.action == action)
    if actor:
        stmt = stmt.where(ModerationLogEntry.actor_name == actor.strip()[:100])
    if since:
        stmt = stmt.where(ModerationLogEntry.created_at >= datetime.combine(since, time(), UTC))
    if until:
        end = datetime.combine(until + timedelta(days=1), time(), UTC)
        stmt = stmt.where(ModerationLogEntry.created_at < end)
    return stmt


def to_csv(entries) -> str:
    header = ["when (UTC)", "actor", "action", "group", "target type", "target id", "target",
              "reason", "details"]
    return csv_text(header, (
        (e.created_at.isoformat(timespec="seconds"), e.actor_name, e.action,
         e.group.slug if e.group is not None else "", e.target_type, e.target_id,
         e.target_label, e.reason, e.details) for e in entries))
