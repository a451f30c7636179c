"""Answering an event (RSVP) and a member's private calendar feed settings."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for

from forum.events import bp, rsvps, services, times
from forum.events.forms import RsvpForm
from forum.events.models import RsvpAnswer
from forum.events.services import EventError
from forum.events.views import get_event
from forum.extensions import db
from forum.forms import ActionForm


@bp.post("/<int:event_id>/rsvp")
def rsvp(event_id: int):
    ev = get_event(event_id)
    g.perms.ensure(g.perms.can_rsvp(ev))
    form = RsvpForm()
    if not form.validate_on_submit():
        abort(400)
    occ = times.find_occurrence(ev, form.on.data or None)
    if occ is None:
        abort(404)
    back = url_for("events.event", event_id=ev.id, on=occ.key if ev.repeats else None)
    try:
        mine = rsvps.answer(g.perms.user, ev, occ, RsvpAnswer(form.answer.data))
    except EventError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    if mine.waitlisted:
        flash("The event is full: you are on the waiting list. We will e-mail you if a seat "
              "opens.", "success")
    else:
        flash(f"Your answer is saved: {mine.answer.label}.", "success")
    return redirect(back)


@bp.get("/my-feed")
def feed_settings():
    g.perms.ensure(g.perms.can_keep_calendar_feed())
    feed = services.feed_of(g.perms.user_id)
    return render_template("events/feed_settings.html", feed=feed, action_form=ActionForm())


@bp.post("/my-feed")
def reset_feed():
    g.perms.ensure(g.perms.can_keep_calendar_feed())
    if not ActionForm().validate_on_submit():
        abort(400)
    existed = services.feed_of(g.perms.user_id) is not None
    services.reset_feed(g.perms.user)
    db.session.commit()
    flash("Your new private calendar address is below; the old one no longer works."
          if existed else "Your private calendar address is ready.", "success")
    return redirect(url_for("events.feed_settings"))
