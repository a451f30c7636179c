"""Members' public profiles."""

from __future__ import annotations

from flask import abort, g, render_template

from forum.pagecache import cached_page
from forum.users import bp
from forum.users.profile import excerpt, load_profile


@bp.get("/<username>")
@cached_page("site")  # a profile lists posts from any group: the site's generation covers it
def profile(username: str):
    perms = g.perms
    profile = load_profile(perms, username)
    if profile is None or not perms.can_see_profile(profile.member):
        abort(404)
    return render_template(
        "users/profile.html", member=profile.member, groups=profile.groups,
        posts=profile.posts, excerpts=[excerpt(p.html) for p in profile.posts],
        is_self=perms.can_edit_profile(profile.member),
    )
