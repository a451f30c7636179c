"""Members' public profiles."""

from __future__ import annotations

from flask import abort, g, render_template

from forum.markup import plain_text
from forum.users import bp
from forum.users.profile import can_see_profile, groups_of, load_profile_user, recent_posts_of


@bp.get("/<username>")
def profile(username: str):
    user = load_profile_user(username)
    if user is None or not can_see_profile(g.perms, user):
        abort(404)
    return render_template(
        "users/profile.html", member=user, groups=groups_of(g.perms, user),
        posts=recent_posts_of(g.perms, user), excerpt=lambda p: plain_text(p.html, 200),
        is_self=g.perms.user_id == user.id,
    )
