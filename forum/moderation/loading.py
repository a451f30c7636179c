"""Load-or-404 then authorise, one helper per object type; and where to go back to.

Each is given the request's permissions (``perms``) by the view: the view reads ``g.perms``,
nothing below it does."""

from __future__ import annotations

from flask import abort, flash, redirect, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.groups.models import Group
from forum.security import is_safe_next
from forum.users.models import User
from forum.users.services import find_by_username


def _visible(perms, group) -> None:
    # Content of a group one may not read does not exist for them (404), unless they run it.
    perms.ensure(perms.can_read(group) or perms.can_moderate(group), hide=True)


def get_group(perms, slug: str) -> Group:
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None:
        abort(404)
    perms.ensure(perms.can_view(group) or perms.can_moderate(group), hide=True)
    return group


def get_post(perms, post_id: int) -> Post:
    post = db.session.scalar(select(Post).options(
        joinedload(Post.thread).joinedload(Thread.group), joinedload(Post.author))
        .where(Post.id == post_id))
    if post is None:
        abort(404)
    _visible(perms, post.thread.group)
    return post


def get_moderated_post(perms, post_id: int, right) -> Post:
    """``get_post``, then ``right(post)`` (a moderator's right on it, asked of ``perms``).

    Whoever may neither use that right nor see the post's words (``can_see_post``) gets a
    404, not a 403: a refusal must not tell them that a hidden, held or removed post exists.
    Moderators reach every post of their groups; the pages print its words only where
    ``perms.can_see_post`` (a post its author removed has none left to show)."""
    post = get_post(perms, post_id)
    allowed = right(post)
    perms.ensure(allowed or perms.can_see_post(post), hide=perms.hides_post(post))
    perms.ensure(allowed)
    return post


def get_thread(perms, thread_id: int) -> Thread:
    thread = db.session.scalar(select(Thread).options(joinedload(Thread.group))
                               .where(Thread.id == thread_id))
    if thread is None:
        abort(404)
    _visible(perms, thread.group)
    return thread


def get_user(username: str) -> User:
    user = find_by_username(username)
    if user is None:
        abort(404)
    return user


def thread_path(thread) -> str:
    return f"/g/{thread.group.slug}/t/{thread.id}"


def back_to(default: str):
    """Redirect to the form's ``next`` when it is one of our own paths, else ``default``."""
    target = request.form.get("next") or request.args.get("next")
    return redirect(target if is_safe_next(target) else default)


def say(outcome) -> None:
    flash(outcome.message, "success" if outcome.changed else "info")
