"""Members' public profiles."""

from __future__ import annotations

from flask import abort, current_app, g, render_template

from forum.urls import url_format
from forum.users import bp
from forum.users.profile import can_see_profile, excerpt, load_profile


@bp.get("/<username>")
def profile(username: str):
    perms = g.perms
    found = load_profile(perms, username)
    if found is None or not can_see_profile(perms, found[0]):
        abort(404)
    user, groups, posts = found
    return render_template(
        "users/profile.html", member=user, groups=groups,
        posts=posts, excerpts=[excerpt(p.html) for p in posts],
        is_self=perms.user_id == user.id,
        # One url_for per list, not per item: items fill their slug or id into the pattern.
        group_url=_pattern("groups.show", "slug"),
        post_url=_pattern("discussions.permalink", "post_id"),
    )


def _pattern(endpoint: str, key: str) -> str | None:
    """The endpoint's URL pattern, or None where that feature is not installed."""
    if endpoint not in current_app.view_functions:
        return None
    return url_format(endpoint, key)
