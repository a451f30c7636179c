"""A group's picture: leaders choose it (with its alt text); whoever may know of the group sees it.

The picture is served at an address that names its digest, so a browser may keep it for a year
and a new picture is a new address; an old digest answers 404 rather than the new bytes.
"""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, url_for

from forum.extensions import db
from forum.files.pictures import PictureRefused, chosen_upload, picture_response, receive_picture
from forum.groups import bp
from forum.groups.forms import GroupPictureForm
from forum.groups.models import Visibility
from forum.groups.queries import get_group

YEAR = 365 * 24 * 3600


def _picture_max() -> int:
    return int(current_app.config.get("GROUP_PICTURE_MAX_SIZE", 2 * 1024 * 1024))


@bp.route("/g/<slug>/picture", methods=["GET", "POST"])
def picture(slug: str):
    group = get_group(g.perms, slug, lead=True)
    form = GroupPictureForm(obj=group)
    if form.validate_on_submit():
        problem = _save(group, form)
        if problem is None:
            db.session.commit()
            flash("The group's picture was saved." if group.picture_sha256
                  else "The group's picture was removed.", "success")
            return redirect(url_for("groups.show", slug=group.slug))
        field, message = problem
        field.errors = [*field.errors, message]
    status = 400 if form.is_submitted() else 200
    return render_template("groups/picture.html", group=group, form=form), status


def _save(group, form: GroupPictureForm):
    """Apply the form to the group; on a problem change nothing and say which field is wrong
    and why: (field, message), else None."""
    upload = chosen_upload(form.picture.data)
    alt = form.picture_alt.data or ""
    if form.remove_picture.data and upload is None:
        group.picture_sha256 = group.picture_type = None
        group.picture_alt = ""
        return None
    if (upload is not None or group.picture_sha256) and not alt:
        return form.picture_alt, ("Describe the picture (alt text): readers who cannot see it "
                                  "need to know what it shows.")
    if upload is not None:
        try:
            stored = receive_picture(upload, max_size=_picture_max())
        except PictureRefused as exc:
            return form.picture, str(exc)
        group.picture_sha256, group.picture_type = stored.sha256, stored.content_type
    group.picture_alt = alt if group.picture_sha256 else ""
    return None


@bp.get("/g/<slug>/picture/<digest>")
def picture_file(slug: str, digest: str):
    group = get_group(g.perms, slug)  # 404 for a group this reader may not know of
    if group.picture_sha256 is None or group.picture_sha256[:16] != digest:
        abort(404)
    return picture_response(group.picture_sha256, group.picture_type, max_age=YEAR,
                            shared=group.visibility == Visibility.PUBLIC)
