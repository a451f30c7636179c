"""Views of moderation for members and reviewers: flagging, the review queue, the audit log."""

from __future__ import annotations

from flask import g, render_template, request
from flask_login import current_user
from sqlalchemy.orm import joinedload

from forum.csv_export import csv_response
from forum.extensions import db
from forum.groups.models import Group
from forum.http import arg_page
from forum.moderation import audit, bp
from forum.moderation.common import ModerationError
from forum.moderation.flags import flag_post, flags_by
from forum.moderation.forms import FlagForm
from forum.moderation.loading import back_to, get_group, get_post, say, thread_path
from forum.moderation.models import FlagReason, ModerationLogEntry
from forum.moderation.queue import review_queue
from forum.pagination import paginate_entities
from forum.permissions.moderation import moderated_groups_clause
from forum.submissions import claim

LOG_PAGE_SIZE = 50
EXPORT_LIMIT = 10_000


@bp.route("/p/<int:post_id>/flag", methods=["GET", "POST"])
def flag(post_id: int):
    post = get_post(g.perms, post_id)
    g.perms.ensure_can_see_post(post)  # the form quotes the post: 404 where it is not shown
    g.perms.ensure(g.perms.can_flag_in(post.thread.group))
    form = FlagForm()
    already = bool(flags_by(current_user.id, [post.id]))
    if form.validate_on_submit():
        once = claim(current_user, form.submission_key.data)  # first: a repeat waits here
        if once.repeated:
            return once.repeat()
        try:
            outcome = flag_post(post, by=current_user, reason=FlagReason(form.reason.data),
                                note=form.note.data or "")
        except ModerationError as exc:
            form.form_errors.append(str(exc))
        else:
            response = back_to(thread_path(post.thread) + f"#post-{post.id}")
            once.remember(response.location)
            db.session.commit()
            say(outcome)
            return response
    status = 400 if form.is_submitted() else 200
    return render_template("moderation/flag.html", form=form, post=post, already=already), status


@bp.route("/g/<slug>/moderation/queue")
def queue(slug: str):
    group = get_group(g.perms, slug)
    g.perms.ensure(g.perms.can_view_queue(group))
    flagged, held, flags = review_queue(Group.id == group.id)
    return render_template("moderation/queue.html", group=group, flagged=flagged, held=held,
                           flags=flags)


@bp.route("/moderation")
def queue_all():
    g.perms.ensure(g.perms.moderates_anything)
    flagged, held, flags = review_queue(moderated_groups_clause(g.perms))
    return render_template("moderation/queue.html", group=None, flagged=flagged, held=held,
                           flags=flags)


def _filters() -> dict:
    args = request.args
    return {"action": args.get("action") or None, "actor": (args.get("actor") or "")[:100],
            "since": audit.parse_day(args.get("since")),
            "until": audit.parse_day(args.get("until"))}


def _log_page(group):
    filters = _filters()
    stmt = audit.filtered(group.id if group else None, **filters)
    page = paginate_entities(stmt.options(joinedload(ModerationLogEntry.group)),
                             page=arg_page(), per_page=LOG_PAGE_SIZE)
    args = {k: v for k, v in request.args.items() if k in ("action", "actor", "since", "until")}
    if group is not None:
        args["slug"] = group.slug
    return render_template("moderation/log.html", group=group, page=page, filters=filters,
                           args=args, actions=audit.ACTIONS)


def _log_csv(group):
    stmt = audit.filtered(group.id if group else None, **_filters())
    entries = db.session.scalars(stmt.options(joinedload(ModerationLogEntry.group))
                                 .limit(EXPORT_LIMIT))
    name = f"moderation-log-{group.slug if group else 'site'}.csv"
    return csv_response(audit.to_csv(entries), name)  # names members: never cached


@bp.route("/g/<slug>/moderation/log")
def log(slug: str):
    group = get_group(g.perms, slug)
    g.perms.ensure(g.perms.can_view_log(group))
    return _log_page(group)


@bp.route("/g/<slug>/moderation/log.csv")
def log_csv(slug: str):
    group = get_group(g.perms, slug)
    g.perms.ensure(g.perms.can_view_log(group))
    return _log_csv(group)


@bp.route("/moderation/log")
def site_log():
    g.perms.ensure(g.perms.can_view_log(None))
    return _log_page(None)


@bp.route("/moderation/log.csv")
def site_log_csv():
    g.perms.ensure(g.perms.can_view_log(None))
    return _log_csv(None)


from forum.moderation import views_members, views_posts, views_threads  # noqa: E402,F401
