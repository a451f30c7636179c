"""What a member's profile page shows: one query per block, filtered for the viewer in SQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.groups.models import Group, Membership, MembershipStatus
from forum.permissions import readable_groups_clause, visible_groups_clause
from forum.users.models import User
from forum.users.names import NameError_, username_key

RECENT_POSTS = 5


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


def groups_of(perms, user: User) -> list[Group]:
    """The member's groups that the viewer may know exist (private groups stay hidden)."""
    return list(db.session.scalars(
        select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE,
               Group.archived_at.is_(None), visible_groups_clause(perms))
        .order_by(Group.name)
    ))


def recent_posts_of(perms, user: User, limit: int = RECENT_POSTS) -> list[Post]:
    """The member's latest published posts in threads the viewer may read."""
    return list(db.session.scalars(
        select(Post)
        .join(Post.thread)
        .join(Group, Group.id == Thread.group_id)
        .options(contains_eager(Post.thread).contains_eager(Thread.group))
        .where(Post.author_id == user.id, Post.status == PostStatus.PUBLISHED,
               Thread.hidden.is_(False), readable_groups_clause(perms))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit)
    ))
