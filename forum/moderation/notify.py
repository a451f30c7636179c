"""Telling an author what a moderator did to their post, and why: by e-mail, queued in the
action's transaction."""

from __future__ import annotations

from flask import current_app

from forum.mail import queue_template

SUBJECTS = {
    "hidden": "A moderator hid your post",
    "restored": "Your post is visible again",
    "edited": "A moderator edited your post",
    "approved": "Your post was approved",
    "warned": "A warning from the moderators",
}


def tell_author(post, action: str, reason: str = "", *, by=None) -> None:
    author = post.author
    if author is None or (by is not None and author.id == by.id):
        return
    link = current_app.config["SITE_URL"] + post_path(post)
    queue_template(
        author.email, SUBJECTS[action], "moderation_outcome",
        user=author, post=post, thread=post.thread, action=action, reason=reason, link=link,
        site_name=current_app.config["SITE_NAME"],
    )


def post_path(post) -> str:
    """The permalink's path (fixed by the team's URL map: /p/<post_id>)."""
    return f"/p/{post.id}"
