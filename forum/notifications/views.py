"""Views of notifications: the list, settings, watch buttons, and unsubscribe links."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from forum.discussions.models import Thread
from forum.extensions import csrf, db
from forum.forms import ActionForm
from forum.groups.models import Group
from forum.http import arg_page
from forum.mailing import bounces
from forum.notifications import bp, inbox, subscriptions
from forum.notifications.emails import post_path, read_mute_token, read_unsubscribe_token
from forum.notifications.forms import settings_form
from forum.notifications.models import MailMode
from forum.notifications.services import auto_watch_enabled
from forum.permissions import Permissions
from forum.security import is_safe_next
from forum.users.models import User


@bp.app_context_processor
def _bell():
    def notification_bell() -> int | None:
        perms = g.get("perms")
        if perms is None or not perms.is_authenticated:
            return None
        return inbox.unread_count(perms.user)

    def watching(group=None, thread=None) -> bool:
        perms = g.get("perms")
        return subscriptions.watch_state(
            perms.user_id if perms else None, group_id=group.id if group else None,
            thread_id=thread.id if thread else None)

    return {"notification_bell": notification_bell, "bell_cap": inbox.BELL_CAP,
            "watching": watching, "post_path": post_path}


def _signed_in() -> int:
    g.perms.ensure(g.perms.is_authenticated)
    return g.perms.user_id


def _checked_action() -> None:
    if not ActionForm().validate_on_submit():
        abort(400, description="The form had expired. Please go back and try again.")


def _back(default: str):
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else default)


# --- the list ---------------------------------------------------------------------------------

@bp.get("/")
def index():
    user_id = _signed_in()
    page = inbox.page_of(user_id, arg_page())
    return render_template("notifications/index.html", page=page, form=ActionForm())


@bp.post("/<int:notification_id>/read")
def read_one(notification_id: int):
    user_id = _signed_in()
    notification = inbox.find(user_id, notification_id)
    if notification is None:
        abort(404)
    _checked_action()
    if inbox.mark_read(notification):
        db.session.commit()
    return _back(url_for("notifications.index"))


@bp.post("/read-all")
def read_all():
    user_id = _signed_in()
    _checked_action()
    count = inbox.mark_all_read(user_id)
    db.session.commit()
    flash(f"Marked {count} notification{'s' if count != 1 else ''} as read." if count
          else "Nothing was unread.", "success")
    return redirect(url_for("notifications.index"))


# --- settings ---------------------------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
def settings():
    user_id = _signed_in()
    rows = subscriptions.group_settings(user_id)
    groups = [group for group, _mode, _watching in rows]
    if request.method == "POST":
        form = settings_form(groups, request.form)
        if form.validate():
            changed = sum(subscriptions.set_mode(user_id, group.id,
                                                 MailMode(form[f"mode_{group.id}"].data))
                          for group in groups)
            changed += subscriptions.set_auto_watch(user_id, form.auto_watch.data)
            db.session.commit()
            flash("Your notification settings are saved." if changed
                  else "Nothing changed.", "success")
            return redirect(url_for("notifications.settings"))
        status = 400
    else:
        data = MultiDict({f"mode_{group.id}": mode.value for group, mode, _w in rows})
        if auto_watch_enabled(user_id):
            data["auto_watch"] = "y"
        form = settings_form(groups, data)
        status = 200
    threads = subscriptions.watched_threads(user_id)
    muted = subscriptions.watched_threads(user_id, watching=False)
    return render_template("notifications/settings.html", form=form, rows=rows,
                           threads=threads, muted=muted, action=ActionForm(),
                           mail_pause=_mail_pause(g.perms.user)), status


def _mail_pause(user: User) -> dict | None:
    """Why group mail to the member is paused (mailing.bounces), or None."""
    if not user.mail_paused:
        return None
    return {"since": user.mail_paused_at, "reason": user.mail_paused_reason,
            "address": user.email}


@bp.post("/settings/resume-mail")
def resume_mail():
    user_id = _signed_in()
    _checked_action()
    user = db.session.get(User, user_id)
    if user.mail_paused:
        bounces.resume_mail(user)
        db.session.commit()
        flash(f"Group mail to {user.email} is on again. If it bounces again, it pauses again.",
              "success")
    else:
        flash("Your group mail was not paused.", "success")
    return redirect(url_for("notifications.settings"))


# --- watching ---------------------------------------------------------------------------------

def _watchable_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    g.perms.ensure(group is not None and g.perms.can_view(group), hide=True)
    g.perms.ensure(g.perms.can_watch_group(group))
    return group


def _watchable_thread(thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id)
    group = db.session.get(Group, thread.group_id) if thread else None
    g.perms.ensure(group is not None and g.perms.can_view(group), hide=True)
    # A thread that must not be known of (hidden, or held before anything in it was published)
    # answers 404 like its page; one that may be known of but not watched, 403.
    g.perms.ensure(g.perms.can_watch_thread(thread), hide=g.perms.hides_thread(thread))
    return thread


def _group_page(group: Group) -> str:
    return url_for("groups.show", slug=group.slug)


def _thread_page(thread: Thread) -> str:
    return url_for("discussions.thread", slug=thread.group.slug, thread_id=thread.id)


@bp.post("/groups/<int:group_id>/watch", defaults={"watching": True},
         endpoint="watch_group")
@bp.post("/groups/<int:group_id>/unwatch", defaults={"watching": False},
         endpoint="unwatch_group")
def watch_group(group_id: int, watching: bool):
    group = _watchable_group(group_id)
    _checked_action()
    changed = subscriptions.set_watching(g.perms.user_id, group_id=group.id, watching=watching)
    db.session.commit()
    verb = "now watching" if watching else "no longer watching"
    flash(f"You are {verb} {group.name}." if changed else "Nothing changed.", "success")
    return _back(_group_page(group))


@bp.post("/threads/<int:thread_id>/watch", defaults={"watching": True},
         endpoint="watch_thread")
@bp.post("/threads/<int:thread_id>/unwatch", defaults={"watching": False},
         endpoint="unwatch_thread")
def watch_thread(thread_id: int, watching: bool):
    thread = _watchable_thread(thread_id)
    _checked_action()
    changed = subscriptions.set_watching(g.perms.user_id, thread_id=thread.id,
                                         watching=watching)
    db.session.commit()
    verb = "now watching" if watching else "no longer watching"
    flash(f"You are {verb} “{thread.title}”." if changed else "Nothing changed.", "success")
    return _back(_thread_page(thread))


# --- unsubscribe (no sign-in: the signed token is the authority) ------------------------------

@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no form token
def unsubscribe(token: str):
    data = read_unsubscribe_token(token)
    user = db.session.get(User, data["u"]) if data else None
    group = db.session.get(Group, data["g"]) if data and "g" in data else None
    if user is None or (data.get("g") is not None and group is None):
        abort(404)
    period = data.get("p")
    done = False
    if request.method == "POST":
        subscriptions.unsubscribe(user.id, group_id=group.id if group else None, period=period)
        db.session.commit()
        done = True
    return render_template("notifications/unsubscribe.html", group=group, period=period,
                           done=done, token=token)


# --- muting a thread from a digest (no sign-in: the signed token is the authority) ------------

@bp.route("/mute/<token>", methods=["GET", "POST"])
@csrf.exempt  # like unsubscribing: the signed token, sent only to its member, is the authority
def mute(token: str):
    data = read_mute_token(token)
    user = db.session.get(User, data.user_id) if data else None
    thread = db.session.get(Thread, data.thread_id) if data else None
    if user is None or thread is None or not Permissions(user).can_read_thread(thread):
        abort(404, description="This link is not valid (it may have been changed, or the "
                               "discussion is no longer there).")
    if g.perms.is_authenticated and g.perms.user_id != user.id:
        # A forwarded digest: signed in as someone else, the click must not mute for its owner.
        abort(403, description="This link was sent to another member. Use the Watch button "
                               "on the discussion's page to change your own notifications.")
    thread_url = _thread_page(thread) if "discussions.thread" in current_app.view_functions \
        else None
    if data.expired:
        return render_template("notifications/mute.html", thread=thread, expired=True,
                               thread_url=thread_url, token=token), 410
    done = False
    if request.method == "POST":
        subscriptions.set_watching(user.id, thread_id=thread.id, watching=False)
        db.session.commit()
        done = True
    return render_template("notifications/mute.html", thread=thread, done=done,
                           thread_url=thread_url, token=token)
