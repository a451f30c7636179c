"""Recordings: the list of them, and adding one to an event that has taken place."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_wtf.file import FileField

from forum.db import utcnow
from forum.events import bp, recordings, times
from forum.events.forms import RecordingForm
from forum.events.services import EventError
from forum.events.views import _zone_for, get_event
from forum.extensions import db
from forum.files import services as files
from forum.http import arg_page
from forum.jinja import format_date, format_datetime
from forum.pagecache import cached_page
from forum.submissions import claim


@bp.get("/recordings")
@cached_page("site")
def recordings_list():
    page = recordings.recordings_page(g.perms, arg_page())
    return render_template("events/recordings.html", page=page, reader_zone=_zone_for())


class RecordingUploadForm(RecordingForm):
    media = FileField("Or upload the recording (group events only)")
    slides = FileField("Or upload the slides (group events only)")


@bp.route("/<int:event_id>/recordings/new", methods=["GET", "POST"])
def add_recording(event_id: int):
    ev = get_event(event_id)
    g.perms.ensure(g.perms.can_edit_event(ev))
    now = utcnow()
    past = [o for o in times.occurrences(ev) if o.starts_at <= now]
    if not past:
        flash("Recordings can be added once the event has taken place.", "error")
        return redirect(url_for("events.event", event_id=ev.id))
    form = RecordingUploadForm()
    form.on.choices = [(o.key, format_date(o.first_day) if o.all_day
                        else format_datetime(o.starts_at)) for o in reversed(past)]
    if form.validate_on_submit():
        once = claim(g.perms.user, form.submission_key.data)
        if once.repeated:
            return once.repeat()
        occ = times.find_occurrence(ev, form.on.data)
        try:
            recordings.add_recording(
                g.perms.user, ev, occ, title=form.title.data, url=form.url.data or "",
                slides_url=form.slides_url.data or "", members_only=form.members_only.data,
                media=request.files.get(form.media.name), slides=request.files.get(
                    form.slides.name), now=now)
        except files.FileTooLarge as exc:
            db.session.rollback()
            abort(413, description=str(exc))
        except (EventError, files.UploadError) as exc:
            db.session.rollback()
            field = getattr(form, getattr(exc, "field", None) or "media")
            field.errors = [*(field.errors or []), str(exc)]
        else:
            target = once.remember(url_for("events.event", event_id=ev.id,
                                           on=occ.key if ev.repeats else None))
            db.session.commit()
            flash("The recording is added.", "success")
            return redirect(target)
    status = 400 if form.is_submitted() else 200
    return render_template("events/recording_form.html", form=form, ev=ev), status
