"""Moderators' verbs on threads: pin, lock (one POST each), move and merge (forms)."""

from __future__ import annotations

from flask import abort, g, render_template
from flask_login import current_user
from sqlalchemy import select

from forum.discussions.models import Thread
from forum.extensions import db
from forum.groups.models import Group
from forum.moderation import bp
from forum.moderation.common import ModerationError
from forum.moderation.forms import MergeForm, MoveForm, ReasonForm
from forum.moderation.loading import back_to, get_thread, say, thread_path
from forum.moderation.split_merge import merge_threads
from forum.moderation.threads import move_thread, set_locked, set_pinned
from forum.permissions.moderation import moderated_groups_clause


def _toggle(thread_id: int, rule: str, verb, **kwargs):
    thread = get_thread(g.perms, thread_id)
    g.perms.ensure(getattr(g.perms, rule)(thread))
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400, description="The form was incomplete or had expired; nothing changed.")
    outcome = verb(thread, by=current_user, reason=form.reason.data or "", **kwargs)
    db.session.commit()
    say(outcome)
    return back_to(thread_path(thread))


@bp.post("/moderation/threads/<int:thread_id>/pin")
def pin(thread_id: int):
    return _toggle(thread_id, "can_pin_thread", set_pinned, pinned=True)


@bp.post("/moderation/threads/<int:thread_id>/unpin")
def unpin(thread_id: int):
    return _toggle(thread_id, "can_pin_thread", set_pinned, pinned=False)


@bp.post("/moderation/threads/<int:thread_id>/lock")
def lock(thread_id: int):
    return _toggle(thread_id, "can_lock_thread", set_locked, locked=True)


@bp.post("/moderation/threads/<int:thread_id>/unlock")
def unlock(thread_id: int):
    return _toggle(thread_id, "can_lock_thread", set_locked, locked=False)


@bp.route("/moderation/threads/<int:thread_id>/move", methods=["GET", "POST"])
def move(thread_id: int):
    thread = get_thread(g.perms, thread_id)
    g.perms.ensure(g.perms.can_move_thread(thread))
    targets = list(db.session.scalars(
        select(Group).where(moderated_groups_clause(g.perms), Group.id != thread.group_id,
                            Group.archived_at.is_(None)).order_by(Group.name)))
    form = MoveForm()
    form.group_id.choices = [(t.id, t.name) for t in targets]
    if form.validate_on_submit():
        target = db.session.get(Group, form.group_id.data)
        g.perms.ensure(target is not None and g.perms.can_move_thread(thread, target))
        try:
            outcome = move_thread(thread, by=current_user, target_group=target,
                                  reason=form.reason.data or "")
        except ModerationError as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            say(outcome)
            return back_to(thread_path(thread))
    status = 400 if form.is_submitted() else 200
    return render_template("moderation/move.html", form=form, thread=thread,
                           targets=targets), status


@bp.route("/moderation/threads/<int:thread_id>/merge", methods=["GET", "POST"])
def merge(thread_id: int):
    source = get_thread(g.perms, thread_id)
    g.perms.ensure(g.perms.can_split_thread(source))
    form = MergeForm()
    if form.validate_on_submit():
        target = db.session.get(Thread, form.target_id.data)
        if target is None or not g.perms.can_merge_threads(source, target):
            form.target_id.errors.append(
                "There is no thread with that number in a group you moderate.")
        else:
            try:
                outcome = merge_threads(source, into=target, by=current_user,
                                        under_root=form.mode.data == "under_root",
                                        reason=form.reason.data or "")
            except ModerationError as exc:
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                say(outcome)
                return back_to(thread_path(target))
    status = 400 if form.is_submitted() else 200
    return render_template("moderation/merge.html", form=form, thread=source), status
