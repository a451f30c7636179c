"""Reviewing applications: the table, one-by-one and bulk decisions, CSV exports."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.csv_export import csv_response
from forum.extensions import db
from forum.forms import ActionForm
from forum.http import arg_page, parse_id, parse_int
from forum.pagination import paginate_entities
from forum.security import no_store
from forum.volunteering import bp, export, queries, services
from forum.volunteering.decisions import Decision, decide
from forum.volunteering.forms import DecisionForm
from forum.volunteering.models import Application, ApplicationStatus, Opportunity
from forum.volunteering.services import VolunteeringError
from forum.volunteering.views import get_application

PER_PAGE = 50
NOT_YOURS_TO_DECIDE = (
    "Nothing was changed: nobody decides their own application or accepts anyone into a role "
    "at or above their own. Another leader, or a section admin for a leader's seat, decides it.")
CSV_LIMIT = 10000


def _filters() -> dict:
    status = request.args.get("status", "")
    if status and status not in {s.value for s in ApplicationStatus}:
        abort(400)
    raw = request.args.get("opportunity", "")
    opportunity_id = parse_int(raw, minimum=0) if raw else 0  # 0: every opportunity
    if opportunity_id is None:
        abort(400)
    sort = request.args.get("sort", "newest")
    if sort not in queries.REVIEW_SORTS:
        abort(400)
    return {"status": status or None, "opportunity_id": opportunity_id or None,
            "sort": sort}


@bp.route("/review")
def review():
    g.perms.ensure(g.perms.can_manage_volunteering())
    filters = _filters()
    page = paginate_entities(queries.review_query(g.perms, **filters), page=arg_page(),
                             per_page=PER_PAGE)
    opportunities = [o for o, _ in queries.managed_opportunities(g.perms)]
    return render_template(
        "volunteering/review.html", page=page, applications=page.items, filters=filters,
        opportunities=opportunities, statuses=list(ApplicationStatus), form=DecisionForm(),
        sorts=list(queries.REVIEW_SORTS))


@bp.route("/applications/<int:application_id>/decide", methods=["POST"])
def decide_one(application_id: int):
    application = get_application(application_id)
    g.perms.ensure(g.perms.can_review(application.opportunity), hide=True)
    form = _decision_form()
    error = _decide([application], form)
    if error is None:
        return redirect(url_for("volunteering.application", application_id=application_id))
    # Re-render the application with the reason beside the decision form; nothing changed.
    field = getattr(form, error[1] or "", None)
    if field is not None:
        field.errors = [error[0]]
    else:
        form.form_errors.append(error[0])
    return render_template(
        "volunteering/application.html", application=application,
        opportunity=application.opportunity, reviewing=True,
        profile=services.profile_of(application.user_id), decision_form=form,
        action_form=ActionForm()), 400


@bp.route("/review/decide", methods=["POST"])
def decide_many():
    g.perms.ensure(g.perms.can_manage_volunteering())
    raw = request.form.getlist("application_id")
    if not raw or len(raw) > PER_PAGE or not all(parse_id(v) for v in raw):
        flash("Tick at least one application.", "error")
        return redirect(url_for("volunteering.review")), 303
    ids = {parse_id(v) for v in raw}
    applications = list(db.session.scalars(
        select(Application).where(Application.id.in_(ids)).order_by(Application.id)
        .options(selectinload(Application.opportunity).selectinload(Opportunity.group))))
    if len(applications) != len(ids):
        abort(404)
    for application in applications:
        g.perms.ensure(g.perms.can_review(application.opportunity), hide=True)
    error = _decide(applications, _decision_form())
    if error is not None:
        flash(error[0], "error")
        return redirect(url_for("volunteering.review")), 303
    return redirect(url_for("volunteering.review"))


def _decision_form() -> DecisionForm:
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)  # a tampered decision or a missing CSRF token: nothing changed
    return form


def _decide(applications: list[Application], form: DecisionForm):
    """All or nothing: one refusal leaves every application as it was.

    Returns None on success, else (message, field name or None)."""
    decision = Decision(form.action.data)
    if not all(g.perms.can_decide(a, accepting=decision == Decision.ACCEPT)
               for a in applications):
        abort(403, description=NOT_YOURS_TO_DECIDE)
    changed = 0
    try:
        for application in applications:
            changed += decide(application, decision, g.perms.user, message=form.message.data,
                              beyond_openings=form.beyond_openings.data)
    except VolunteeringError as exc:
        name = application.user.display_name
        db.session.rollback()
        prefix = f"Nothing was changed. {name}: " if len(applications) > 1 else ""
        return prefix + str(exc), exc.field
    db.session.commit()
    verb = {"accept": "accepted", "decline": "declined", "waitlist": "waitlisted"}[decision]
    flash(f"{changed} application{'s' if changed != 1 else ''} {verb}; the volunteers are "
          "told by e-mail." if changed else f"Already {verb}; nothing changed.", "success")
    return None


@bp.route("/review/applications.csv")
@no_store  # volunteers' applications and contact details: never kept by a cache
def export_applications():
    g.perms.ensure(g.perms.can_manage_volunteering())
    stmt = queries.review_query(g.perms, **_filters()).limit(CSV_LIMIT)
    applications = list(db.session.scalars(stmt))
    profiles = queries.profiles_by_user(a.user_id for a in applications)
    return csv_response(export.applications_csv(applications, profiles), "applications.csv")


@bp.route("/manage/roster.csv")
@no_store
def export_roster():
    g.perms.ensure(g.perms.can_manage_volunteering())
    stmt = queries.review_query(g.perms, status=ApplicationStatus.ACCEPTED.value,
                                sort="opportunity").limit(CSV_LIMIT)
    return csv_response(export.roster_csv(list(db.session.scalars(stmt))), "roster.csv")
