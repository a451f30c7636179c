"""Moderators' verbs on posts: one POST each (hide, restore, approve, dismiss flags, warn),
and the edit and split forms."""

from __future__ import annotations

from flask import abort, g, render_template
from flask_login import current_user

from forum.extensions import db
from forum.moderation import bp, flags, posts
from forum.moderation.common import ModerationError
from forum.moderation.forms import EditPostForm, ReasonForm, SplitForm, WarnForm
from forum.moderation.loading import back_to, get_moderated_post, say, thread_path
from forum.moderation.split_merge import split_branch


def _one_click(post, verb, form_class=ReasonForm):
    form = form_class()
    if not form.validate_on_submit():
        errors = [e for field in form for e in field.errors]
        abort(400, description=" ".join(errors) or "The form was incomplete.")
    try:
        outcome = verb(post, by=current_user, reason=form.reason.data or "")
    except ModerationError as exc:
        abort(400, description=str(exc))
    db.session.commit()
    say(outcome)
    return back_to(thread_path(post.thread) + f"#post-{post.id}")


@bp.get("/moderation/posts/<int:post_id>")
def post_tools(post_id: int):
    """One post's moderation tools on their own page: the thread page carries a link per post
    instead of every form for every post (a 200-post page was a megabyte of forms)."""
    post = get_moderated_post(g.perms, post_id, g.perms.can_hide_post)
    return render_template("moderation/post_tools.html", post=post, thread=post.thread,
                           group=post.thread.group)


@bp.post("/moderation/posts/<int:post_id>/hide")
def hide_post(post_id: int):
    post = get_moderated_post(g.perms, post_id, g.perms.can_hide_post)
    return _one_click(post, posts.hide_post)


@bp.post("/moderation/posts/<int:post_id>/restore")
def restore_post(post_id: int):
    post = get_moderated_post(g.perms, post_id, g.perms.can_restore_post)
    return _one_click(post, posts.restore_post)


@bp.post("/moderation/posts/<int:post_id>/approve")
def approve_post(post_id: int):
    post = get_moderated_post(g.perms, post_id, g.perms.can_approve_post)
    return _one_click(post, lambda p, by, reason: posts.approve_post(p, by=by))


@bp.post("/moderation/posts/<int:post_id>/dismiss-flags")
def dismiss_flags(post_id: int):
    post = get_moderated_post(g.perms, post_id, g.perms.can_hide_post)
    return _one_click(post, flags.dismiss_flags)


@bp.post("/moderation/posts/<int:post_id>/warn")
def warn_author(post_id: int):
    post = get_moderated_post(g.perms, post_id, g.perms.can_warn_author)
    return _one_click(post, posts.warn_author, WarnForm)


@bp.route("/moderation/posts/<int:post_id>/edit", methods=["GET", "POST"])
def edit_post(post_id: int):
    post = get_moderated_post(g.perms, post_id, g.perms.can_moderator_edit_post)
    g.perms.ensure_can_see_post(post)  # the form holds its source (a removed post has none)
    form = EditPostForm(data={"body": post.source})
    if form.validate_on_submit():
        try:
            outcome = posts.edit_post(post, by=current_user, source=form.body.data,
                                      reason=form.reason.data or "")
        except ModerationError as exc:
            form.body.errors.append(str(exc))
        else:
            db.session.commit()
            say(outcome)
            return back_to(thread_path(post.thread) + f"#post-{post.id}")
    status = 400 if form.is_submitted() else 200
    return render_template("moderation/edit_post.html", form=form, post=post), status


@bp.route("/moderation/posts/<int:post_id>/split", methods=["GET", "POST"])
def split(post_id: int):
    post = get_moderated_post(g.perms, post_id, lambda p: g.perms.can_split_thread(p.thread))
    form = SplitForm()
    if form.validate_on_submit():
        try:
            outcome = split_branch(post, by=current_user, title=form.title.data,
                                   reason=form.reason.data or "")
        except ModerationError as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            say(outcome)
            return back_to(thread_path(post.thread))
    status = 400 if form.is_submitted() else 200
    return render_template("moderation/split.html", form=form, post=post), status
