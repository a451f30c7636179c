"""The calendar: month grid, list, one event; publishing, editing and cancelling events."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from forum.events import bp, queries, rsvps, services, times
from forum.events.forms import EventForm, NewEventForm
from forum.events.models import Event
from forum.events.reading import read_event_page
from forum.events.services import EventError, EventInput
from forum.extensions import db
from forum.forms import ActionForm
from forum.groups.models import Group, Section
from forum.groups.queries import site_zone
from forum.http import arg_page
from forum.jinja import reader_zone
from forum.pagecache import cached_page
from forum.permissions.events import publishable_groups_clause
from forum.submissions import claim


def get_event(event_id: int) -> Event:
    event = queries.load_event(event_id)
    if event is None:
        abort(404)
    g.perms.ensure(g.perms.can_see_event(event), hide=True)
    return event


def _zone_for(section_zone: str | None = None):
    """The reader's zone: a member's own; a visitor's, the section's (the site's on the
    site-wide pages, asked only for a visitor)."""
    return reader_zone(section_zone or site_zone(g.perms))


def _group_filter():
    slug = request.args.get("group", "")
    if not slug:
        return None, None
    group = queries.group_by_slug(g.perms, slug)
    if group is None:
        abort(404)
    return group, group.id


# --- reading ----------------------------------------------------------------------------------

@bp.get("/")
@cached_page("site", ticking=True)  # events end as time passes, with no write
def calendar():
    zone = _zone_for()
    today = datetime.now(zone).date()
    ym = queries.parse_month(request.args.get("month"), today)
    if ym is None:
        abort(400, "Give the month as YYYY-MM, e.g. 2027-03.")
    group, group_id = _group_filter()
    month = queries.month_grid(g.perms, *ym, zone, group_id=group_id, today=today)
    return render_template("events/calendar.html", month=month, group=group,
                           reader_zone=zone, can_publish=g.perms.can_publish_any_event())


@bp.get("/list")
@cached_page("site", ticking=True)  # events end as time passes, with no write
def upcoming():
    group, group_id = _group_filter()
    page = queries.upcoming(g.perms, page=arg_page(), group_id=group_id)
    return render_template("events/list.html", page=page, group=group, reader_zone=_zone_for(),
                           can_publish=g.perms.can_publish_any_event())


@bp.get("/<int:event_id>")
@cached_page("site", ticking=True)  # "upcoming" turns "past" with no write
def event(event_id: int):
    ev = get_event(event_id)
    all_occ = times.occurrences(ev)
    occ = times.find_occurrence(ev, request.args.get("on", "")[:40] or None)
    if occ is None:
        abort(404)
    page = read_event_page(g.perms, ev, occ, all_occ)
    # Made only for a reader who gets the form: a form makes a CSRF token, and a token puts a
    # visitor in a session, whose page the page cache never keeps.
    action_form = ActionForm() if page.can_rsvp else None
    return render_template("events/event.html", page=page, ev=ev,
                           reader_zone=_zone_for(ev.section.timezone), action_form=action_form)


# --- publishing ---------------------------------------------------------------------------------

def _calendar_choices(perms) -> list[tuple[str, str]]:
    choices = []
    for section in db.session.scalars(select(Section).order_by(Section.name)):
        if perms.can_publish_events(section.id):
            choices.append((f"s{section.id}", f"{section.name} (whole section)"))
    groups = db.session.scalars(select(Group).where(
        publishable_groups_clause(perms), Group.archived_at.is_(None)).order_by(Group.name))
    choices += [(f"g{gr.id}", gr.name) for gr in groups if perms.can_publish_events(
        gr.section_id, gr)]
    return choices


def _chosen(value: str) -> tuple[int, int | None] | None:
    """(section id, group id or None) for a choice the form accepted."""
    kind, num = value[:1], int(value[1:])
    if kind == "s":
        return num, None
    group = db.session.get(Group, num)
    return (group.section_id, group.id) if group is not None else None


def _input(form) -> EventInput:
    return EventInput(
        title=form.title.data, description=form.description.data or "",
        timezone=form.timezone.data, all_day=bool(form.all_day.data),
        start_date=form.start_date.data, end_date=form.end_date.data,
        start_time=form.start_time.data, end_time=form.end_time.data,
        rrule=form.rrule.data or "", exdates=form.exdates.data or "",
        location=form.location.data or "", online_url=form.online_url.data or "",
        capacity=form.capacity.data, featured=bool(form.featured.data))


def _form_error(form, exc: EventError) -> None:
    target = getattr(form, exc.field, None) if exc.field else None
    if target is not None:
        target.errors = [*(target.errors or []), str(exc)]
    else:
        form.form_errors.append(str(exc))


@bp.route("/new", methods=["GET", "POST"])
def new():
    g.perms.ensure(g.perms.can_publish_any_event())
    form = NewEventForm()
    form.group.choices = _calendar_choices(g.perms)
    if not form.group.choices:
        abort(403)
    if request.method == "GET" and g.perms.user.timezone not in (None, "", "UTC"):
        form.timezone.data = g.perms.user.timezone  # the publisher's own zone to start from
    if form.validate_on_submit():
        once = claim(g.perms.user, form.submission_key.data)
        if once.repeated:
            return once.repeat()
        chosen = _chosen(form.group.data)
        if chosen is None:
            abort(400)
        section_id, group_id = chosen
        group = db.session.get(Group, group_id) if group_id else None
        g.perms.ensure(g.perms.can_publish_events(section_id, group))
        try:
            ev = services.create_event(g.perms.user, section_id, group_id, _input(form))
        except EventError as exc:
            _form_error(form, exc)
        else:
            target = once.remember(url_for("events.event", event_id=ev.id))
            db.session.commit()
            flash(f"“{ev.title}” is on the calendar.", "success")
            return redirect(target)
    status = 400 if form.is_submitted() else 200
    return render_template("events/form.html", form=form, ev=None), status


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int):
    ev = get_event(event_id)
    g.perms.ensure(g.perms.can_edit_event(ev))
    form = EventForm(obj=None if request.method == "POST" else _form_data(ev))
    current = f"g{ev.group_id}" if ev.group_id else f"s{ev.section_id}"
    form.group.choices = [(current, ev.group.name if ev.group else ev.section.name)]
    form.group.data = current
    if form.validate_on_submit():
        try:
            services.update_event(ev, _input(form))
        except EventError as exc:
            _form_error(form, exc)
        else:
            rsvps.promote_after_edit(ev)  # a raised capacity seats the waiting list
            db.session.commit()
            flash("The event is saved.", "success")
            return redirect(url_for("events.event", event_id=ev.id))
    status = 400 if form.is_submitted() else 200
    return render_template("events/form.html", form=form, ev=ev), status


def _form_data(ev: Event):
    tz = times.zone_or_utc(ev.timezone)
    start, end = ev.starts_at.astimezone(tz), ev.ends_at.astimezone(tz)

    class Data:
        pass

    d = Data()
    for name in ("title", "description", "timezone", "all_day", "rrule", "exdates", "location",
                 "online_url", "capacity", "featured"):
        setattr(d, name, getattr(ev, name))
    d.start_date = ev.start_date or start.date()
    d.end_date = ev.end_date or end.date()
    d.start_time = None if ev.all_day else start.time()
    d.end_time = None if ev.all_day else end.time()
    return d


@bp.post("/<int:event_id>/cancel")
def cancel(event_id: int):
    ev = get_event(event_id)
    g.perms.ensure(g.perms.can_edit_event(ev))
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        told = services.cancel_event(ev)
    except EventError as exc:
        flash(str(exc), "error")
        return redirect(url_for("events.event", event_id=ev.id))
    db.session.commit()
    flash(f"The event is cancelled; {told} attendee(s) will be told.", "success")
    return redirect(url_for("events.event", event_id=ev.id))
