"""Members' pages: browse opportunities, keep a volunteer profile, apply and follow applications."""

from __future__ import annotations

import re

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.forms import ActionForm
from forum.submissions import claim
from forum.volunteering import bp, queries, services
from forum.volunteering.forms import DecisionForm, ProfileForm, application_form_class
from forum.volunteering.models import (
    Application,
    ApplicationAnswer,
    ApplicationStatus,
    Opportunity,
)
from forum.volunteering.services import Submission, VolunteeringError

_ANSWER_KEY = re.compile(r"^q_(\d{1,12})$")


# --- load-or-404, then authorise ------------------------------------------------------------

def get_opportunity(opportunity_id: int) -> Opportunity:
    opportunity = db.session.get(Opportunity, opportunity_id, options=[
        selectinload(Opportunity.group), selectinload(Opportunity.questions),
        selectinload(Opportunity.cycle)])
    if opportunity is None:
        abort(404)
    g.perms.ensure(g.perms.can_see_opportunity(opportunity), hide=True)
    return opportunity


def get_application(application_id: int) -> Application:
    application = db.session.get(Application, application_id, options=[
        selectinload(Application.user),
        selectinload(Application.answers).selectinload(ApplicationAnswer.question),
        selectinload(Application.opportunity).selectinload(Opportunity.group),
        selectinload(Application.opportunity).selectinload(Opportunity.questions),
        selectinload(Application.opportunity).selectinload(Opportunity.cycle)])
    if application is None:
        abort(404)
    # Another member's application does not exist as far as anyone but its reviewers know.
    g.perms.ensure(g.perms.can_view_application(application), hide=True)
    return application


# --- browsing ----------------------------------------------------------------------------------

@bp.route("/")
def index():
    opportunities = queries.open_opportunities(g.perms)
    return render_template("volunteering/index.html", opportunities=opportunities)


@bp.route("/o/<int:opportunity_id>")
def opportunity(opportunity_id: int):
    opp = get_opportunity(opportunity_id)
    mine = None
    if g.perms.is_authenticated:
        mine = db.session.scalar(select(Application).where(
            Application.opportunity_id == opp.id, Application.user_id == g.perms.user_id,
            Application.status != ApplicationStatus.WITHDRAWN))
    return render_template("volunteering/opportunity.html", opportunity=opp,
                           my_application=mine, action_form=ActionForm())


# --- the volunteer profile ---------------------------------------------------------------------

@bp.route("/profile", methods=["GET", "POST"])
def profile():
    g.perms.ensure(g.perms.can_volunteer())
    current = services.profile_of(g.perms.user_id)
    form = ProfileForm(obj=current)
    if form.validate_on_submit():
        services.save_profile(g.perms.user, findable=form.findable.data, **{
            name: getattr(form, name).data for name in
            ("interests", "skills", "availability", "preferred_work")})
        db.session.commit()
        flash("Your volunteer profile is saved.", "success")
        return redirect(url_for("volunteering.profile"))
    status = 400 if form.is_submitted() else 200
    return render_template("volunteering/profile.html", form=form), status


# --- applying ----------------------------------------------------------------------------------

@bp.route("/o/<int:opportunity_id>/apply", methods=["GET", "POST"])
def apply(opportunity_id: int):
    opp = get_opportunity(opportunity_id)
    g.perms.ensure(g.perms.can_apply(opp))
    choices = _choices_in_cycle(opp)
    form = application_form_class(opp, _taken(choices))()
    if form.validate_on_submit():
        once = claim(g.perms.user, form.submission_key.data)  # first: a repeat waits here
        if once.repeated:
            return once.repeat()
        try:
            application = services.apply(g.perms.user, opp, _submission(form))
        except VolunteeringError as exc:
            _form_error(form, exc)
        else:
            target = once.remember(url_for("volunteering.application",
                                           application_id=application.id))
            db.session.commit()
            flash(f"Your application for “{opp.title}” is submitted.", "success")
            return redirect(target)
    status = 400 if form.is_submitted() else 200
    return render_template("volunteering/apply.html", opportunity=opp, form=form,
                           application=None, choices=choices,
                           profile=services.profile_of(g.perms.user_id)), status


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
def edit_application(application_id: int):
    application = get_application(application_id)
    g.perms.ensure(g.perms.can_change_application(application),
                   hide=g.perms.hides_application(application))
    opp = application.opportunity
    choices = _choices_in_cycle(opp)
    form = application_form_class(opp, _taken(
        [a for a in choices if a.id != application.id]))(data=_current_values(application))
    if form.validate_on_submit():
        try:
            services.edit(application, _submission(form))
        except VolunteeringError as exc:
            _form_error(form, exc)
        else:
            db.session.commit()
            flash("Your application is updated.", "success")
            return redirect(url_for("volunteering.application", application_id=application.id))
    status = 400 if form.is_submitted() else 200
    return render_template("volunteering/apply.html", opportunity=opp, form=form,
                           application=application, choices=choices,
                           profile=None), status


@bp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
def withdraw(application_id: int):
    application = get_application(application_id)
    g.perms.ensure(g.perms.can_withdraw_application(application), hide=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        changed = services.withdraw(application)
    except VolunteeringError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("volunteering.application", application_id=application_id))
    db.session.commit()
    flash("Your application is withdrawn." if changed else "It was already withdrawn.", "info")
    return redirect(url_for("volunteering.my_applications"))


@bp.route("/mine")
def my_applications():
    g.perms.ensure(g.perms.is_authenticated)
    return render_template("volunteering/mine.html",
                           applications=queries.my_applications(g.perms.user_id))


@bp.route("/applications/<int:application_id>")
def application(application_id: int):
    application = get_application(application_id)
    reviewing = g.perms.can_review(application.opportunity)
    return render_template(
        "volunteering/application.html", application=application,
        opportunity=application.opportunity, reviewing=reviewing,
        profile=services.profile_of(application.user_id),
        decision_form=DecisionForm() if reviewing else None, action_form=ActionForm())


# --- helpers ------------------------------------------------------------------------------------

def _submission(form) -> Submission:
    answers = {}
    for key in request.form:
        match = _ANSWER_KEY.match(key)
        if match:
            answers[int(match.group(1))] = request.form.get(key, "")
    rank = form.rank.data if hasattr(form, "rank") else None
    return Submission(statement=form.statement.data, answers=answers, rank=rank)


def _choices_in_cycle(opp: Opportunity) -> list[Application]:
    """The member's ranked applications in this opportunity's cycle, to pick a free rank."""
    if opp.cycle_id is None:
        return []
    return [a for a in queries.my_applications(g.perms.user_id)
            if a.cycle_id == opp.cycle_id and a.status != ApplicationStatus.WITHDRAWN]


def _taken(choices: list[Application]) -> dict[int, str]:
    return {a.rank: a.opportunity.title for a in choices if a.rank is not None}


def _current_values(application: Application) -> dict:
    values = {"statement": application.statement, "rank": application.rank}
    for answer in application.answers:
        values[f"q_{answer.question_id}"] = answer.value
    return values


def _form_error(form, exc: VolunteeringError) -> None:
    """Nothing the request did is kept; the message goes beside its field, or on top."""
    db.session.rollback()
    target = getattr(form, exc.field, None) if exc.field else None
    if target is not None:
        target.errors = [*target.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))
