"""Per-group moderation settings, kept in our own table (the groups model stays untouched)."""

from __future__ import annotations

from forum.extensions import db
from forum.moderation import audit
from forum.moderation.common import Outcome
from forum.moderation.models import GroupModerationSettings


def holds_first_posts(group_id: int) -> bool:
    row = db.session.get(GroupModerationSettings, group_id)
    return bool(row and row.hold_first_posts)


def set_hold_first_posts(group, *, by, hold: bool) -> Outcome:
    row = db.session.get(GroupModerationSettings, group.id)
    if (row.hold_first_posts if row else False) == hold:
        return Outcome(False, "No change: the setting was already so.")
    if row is None:
        row = GroupModerationSettings(group_id=group.id)
        db.session.add(row)
    row.hold_first_posts = hold
    db.session.flush()
    audit.record("settings", actor=by, group_id=group.id, target_type="group",
                 target_id=group.id, target_label=group.name,
                 details=f"hold new members' first posts: {'on' if hold else 'off'}")
    return Outcome(True, "New members' first posts now wait for approval." if hold
                   else "New members' posts are published at once.")
