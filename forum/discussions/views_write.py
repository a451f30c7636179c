"""Writing discussions: new threads, replies, edits, removal, recommendations, read marks.

Flow: view → form → permissions → posting policy → service → commit. An invalid form
re-renders with its errors and status 400; a refusal by the posting policy is a form error too.
"""

from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from forum.discussions import bp
from forum.discussions.forms import EditPostForm, NewThreadForm, ReplyForm
from forum.discussions.loading import (
    ensure_can_reply,
    load_group,
    load_post,
    load_thread,
    load_thread_with_post,
)
from forum.discussions.models import Post, PostRevision, PostStatus
from forum.discussions.services import (
    DiscussionError,
    delete_post,
    edit_post,
    mark_all_read,
    mark_read,
    render_body,
    reply,
    start_thread,
    toggle_recommendation,
)
from forum.extensions import db
from forum.files import attachments
from forum.files.services import UploadError
from forum.forms import ActionForm
from forum.permissions.posting import PostingPolicy
from forum.submissions import claim


def _refusal(policy: PostingPolicy, source: str) -> tuple[str | None, int]:
    """The posting policy's refusal, and the status to answer it with."""
    message = policy.refusal(source)
    if not message:
        return None, 200
    too_often = any(w in message.lower() for w in ("wait", "too many posts", "per hour"))
    return message, 429 if too_often else 400


def _attach(post) -> str | None:
    """Store the uploads; a refusal comes back as a message (the view rolls back)."""
    uploads = [f for f in request.files.getlist("attachments") if f and f.filename]
    if not uploads:
        return None
    try:
        attachments.attach_uploads(post, uploads, current_user)
    except UploadError as exc:
        return str(exc)
    return None


def _held_message(status: PostStatus) -> None:
    if status == PostStatus.PENDING:
        flash("Your post is waiting for a moderator's approval; only you and the moderators "
              "can see it until then.", "info")


@bp.route("/g/<slug>/t/new", methods=["GET", "POST"])
def new_thread(slug: str):
    group = load_group(g.perms, slug, read=True)
    g.perms.ensure(g.perms.can_start_thread(group))
    form = NewThreadForm()
    if not form.validate_on_submit() or form.wants_preview:
        return _render_new(group, form)
    once = claim(current_user, form.submission_key.data)  # first: a repeat waits here
    if once.repeated:
        return once.repeat()
    policy = PostingPolicy(g.perms, group)
    refusal, status = _refusal(policy, form.body.data)
    if refusal:
        form.form_errors.append(refusal)
        return _render_new(group, form, status)
    try:
        initial = policy.initial_status()
        thread = start_thread(group, current_user, form.title.data, form.body.data, initial)
    except DiscussionError as exc:
        form.form_errors.append(str(exc))
        return _render_new(group, form)
    root = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.depth == 0))
    upload_refusal = _attach(root)
    if upload_refusal:
        db.session.rollback()
        form.attachments.errors = [upload_refusal]
        return _render_new(group, form)
    target = once.remember(url_for("discussions.thread", slug=group.slug, thread_id=thread.id))
    db.session.commit()
    _held_message(initial)
    return redirect(target)


def _render_new(group, form, status: int | None = None):
    preview = None
    if form.is_submitted() and form.wants_preview and not form.body.errors:
        preview = render_body(form.body.data)
    if status is None:
        status = 400 if form.is_submitted() and not form.wants_preview else 200
        if form.wants_preview and form.errors:
            status = 400
    return render_template("discussions/new_thread.html", group=group, form=form,
                           preview=preview), status


@bp.route("/g/<slug>/t/<int:thread_id>/reply", methods=["GET", "POST"], endpoint="reply")
def reply_view(slug: str, thread_id: int):
    form = ReplyForm()
    if request.method == "GET":
        form.parent_id.data = request.args.get("parent_id", "")
    thread, parent = load_thread_with_post(g.perms, slug, thread_id, form.parent_post_id())
    ensure_can_reply(g.perms, thread)
    parent = _checked_parent(form, parent)
    if request.method == "GET" or not form.validate_on_submit() or form.wants_preview:
        return _render_reply(thread, parent, form)
    once = claim(current_user, form.submission_key.data)  # first: a repeat waits here
    if once.repeated:
        return once.repeat()
    policy = PostingPolicy(g.perms, thread.group)
    refusal, status = _refusal(policy, form.body.data)
    if refusal:
        form.form_errors.append(refusal)
        return _render_reply(thread, parent, form, status)
    try:
        initial = policy.initial_status()
        post = reply(thread, parent, current_user, form.body.data, initial)
    except DiscussionError as exc:
        form.form_errors.append(str(exc))
        return _render_reply(thread, parent, form)
    upload_refusal = _attach(post)
    if upload_refusal:
        db.session.rollback()
        form.attachments.errors = [upload_refusal]
        return _render_reply(thread, parent, form)
    target = once.remember(url_for("discussions.permalink", post_id=post.id))
    db.session.commit()
    _held_message(initial)
    return redirect(target)


def _checked_parent(form, parent: Post | None) -> Post:
    """What the reply answers (the opening post by default; loaded with the thread): a post
    of another thread is a 404, a removed one cannot be answered."""
    if form.parent_id.data and form.parent_post_id() is None:
        abort(400, description="The reply did not say which post it answers.")
    if parent is None:
        abort(404)
    if parent.status == PostStatus.PENDING and not g.perms.can_see_post_body(parent):
        abort(404)
    if parent.status in (PostStatus.DELETED, PostStatus.HIDDEN):
        abort(400, description="That post was removed, so it cannot be answered.")
    form.parent_id.data = str(parent.id)
    return parent


def _render_reply(thread, parent, form, status: int | None = None):
    preview = None
    if form.is_submitted() and form.wants_preview and not form.body.errors:
        preview = render_body(form.body.data)
    if status is None:
        status = 200 if not form.is_submitted() or (form.wants_preview and not form.errors) \
            else 400
    return render_template("discussions/reply.html", thread=thread, group=thread.group,
                           parent=parent, form=form, preview=preview), status


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
def edit(post_id: int):
    post = load_post(g.perms, post_id)
    g.perms.ensure_can_see_post(post)  # the form holds its source
    g.perms.ensure(g.perms.can_edit_post(post))
    form = EditPostForm(data={"body": post.source} if request.method == "GET" else None)
    if not form.validate_on_submit() or form.wants_preview:
        preview = render_body(form.body.data) if form.wants_preview and not form.errors else None
        status = 200 if request.method == "GET" or (form.wants_preview and not form.errors) \
            else 400
        return render_template("discussions/edit.html", post=post, thread=post.thread,
                               group=post.thread.group, form=form, preview=preview), status
    try:
        changed = edit_post(post, current_user, form.body.data)
    except DiscussionError as exc:
        form.form_errors.append(str(exc))
        return render_template("discussions/edit.html", post=post, thread=post.thread,
                               group=post.thread.group, form=form, preview=None), 400
    db.session.commit()
    flash("Your post was updated." if changed else "Nothing changed.", "info")
    return redirect(url_for("discussions.permalink", post_id=post.id))


@bp.post("/p/<int:post_id>/delete")
def delete(post_id: int):
    post = load_post(g.perms, post_id)
    g.perms.ensure(g.perms.can_delete_post(post))
    if not ActionForm().validate_on_submit():
        abort(400)
    changed = delete_post(post, current_user)
    db.session.commit()
    flash("The post was removed; replies to it stay." if changed else
          "That post was already removed.", "info")
    return redirect(url_for("discussions.permalink", post_id=post.id))


@bp.get("/p/<int:post_id>/history")
def history(post_id: int):
    post = load_post(g.perms, post_id)
    g.perms.ensure_can_see_post(post)  # earlier texts are its words too
    g.perms.ensure(g.perms.can_see_history(post), hide=g.perms.hides_thread(post.thread) or
                   post.thread.group.visibility == "private")
    revisions = db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id)
                                   .order_by(PostRevision.id.desc())).all()
    return render_template("discussions/history.html", post=post, thread=post.thread,
                           group=post.thread.group, revisions=revisions)


@bp.post("/p/<int:post_id>/recommend")
def recommend(post_id: int):
    post = load_post(g.perms, post_id)
    g.perms.ensure(g.perms.can_recommend(post))
    if not ActionForm().validate_on_submit():
        abort(400)
    now = toggle_recommendation(post, current_user)
    db.session.commit()
    if _wants_json():
        return jsonify(recommended=now, count=post.recommend_count)
    flash("You recommended this post." if now else "You took back your recommendation.", "info")
    return redirect(url_for("discussions.permalink", post_id=post.id))


@bp.post("/g/<slug>/t/<int:thread_id>/read")
def mark_thread_read(slug: str, thread_id: int):
    """Mark read up to ``up_to`` (the last post the reader saw) or the whole thread."""
    thread = load_thread(g.perms, slug, thread_id)
    g.perms.ensure(g.perms.can_mark_read(thread))
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    up_to = request.form.get("up_to", type=int)
    last = thread.last_post_id or 0
    mark_read(current_user, thread, min(max(up_to, 0), last) if up_to is not None else last)
    db.session.commit()
    if _wants_json():
        return jsonify(ok=True)
    flash("Marked as read.", "info")
    return redirect(url_for("discussions.thread", slug=slug, thread_id=thread.id))


@bp.post("/g/<slug>/read-all")
def mark_group_read(slug: str):
    group = load_group(g.perms, slug, read=True)
    g.perms.ensure(g.perms.is_member)
    if not ActionForm().validate_on_submit():
        abort(400)
    mark_all_read(current_user, group)
    db.session.commit()
    flash("Every discussion in this group is marked as read.", "info")
    return redirect(url_for("groups.show", slug=group.slug))


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"
