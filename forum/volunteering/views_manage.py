"""Leaders' and section admins' pages: opportunities, questions, cycles, renewals, volunteers."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from forum.extensions import db
from forum.forms import ActionForm
from forum.groups.models import Group, GroupKind, Role, Section
from forum.permissions.volunteering import reviewable_groups_clause
from forum.submissions import claim
from forum.volunteering import bp, manage, queries
from forum.volunteering.forms import CycleForm, OpportunityForm
from forum.volunteering.manage import OpportunitySpec, QuestionSpec
from forum.volunteering.models import OpportunityStatus, QuestionKind, RecruitingCycle
from forum.volunteering.services import VolunteeringError
from forum.volunteering.views import _form_error, get_opportunity


def _ensure_manager() -> None:
    g.perms.ensure(g.perms.can_manage_volunteering())


@bp.route("/manage")
def manage_index():
    _ensure_manager()
    return render_template(
        "volunteering/manage.html", opportunities=queries.managed_opportunities(g.perms),
        ending=queries.ending_terms(g.perms), action_form=ActionForm())


@bp.route("/manage/new", methods=["GET", "POST"])
def new_opportunity():
    _ensure_manager()
    groups = [grp for grp in _reviewable_groups() if g.perms.can_create_opportunity(grp)]
    g.perms.ensure(bool(groups))
    form = OpportunityForm()
    _fill_choices(form, groups)
    if form.validate_on_submit():
        once = claim(g.perms.user, form.submission_key.data)  # first: a repeat waits here
        if once.repeated:
            return once.repeat()
        group = next(grp for grp in groups if grp.id == form.group_id.data)
        if not g.perms.can_create_opportunity(group, Role(form.role.data)):
            form.role.errors = ["You cannot appoint to a role at or above your own."]
        else:
            try:
                opp = manage.create_opportunity(group, _spec(form), g.perms.user,
                                                _questions(form))
            except VolunteeringError as exc:
                _form_error(form, exc)
            else:
                target = once.remember(url_for("volunteering.opportunity",
                                               opportunity_id=opp.id))
                db.session.commit()
                flash("The opportunity is saved as a draft. Open it when it is ready.",
                      "success")
                return redirect(target)
    status = 400 if form.is_submitted() else 200
    _flatten_question_errors(form)
    return render_template("volunteering/opportunity_form.html", form=form,
                           opportunity=None, questions_locked=False), status


@bp.route("/o/<int:opportunity_id>/edit", methods=["GET", "POST"])
def edit_opportunity(opportunity_id: int):
    opp = get_opportunity(opportunity_id)
    g.perms.ensure(g.perms.can_manage_opportunity(opp))
    locked = manage.has_applications(opp)
    form = OpportunityForm(obj=opp)
    if form.cycle_id.data is None:
        form.cycle_id.data = 0
    _fill_choices(form, [opp.group])
    if form.validate_on_submit():
        if form.group_id.data != opp.group_id:
            abort(400)  # an opportunity does not move between groups
        if not g.perms.can_appoint(opp.group, Role(form.role.data)):
            form.role.errors = ["You cannot appoint to a role at or above your own."]
        else:
            try:
                manage.update_opportunity(opp, _spec(form),
                                          None if locked else _questions(form))
            except VolunteeringError as exc:
                _form_error(form, exc)
            else:
                db.session.commit()
                flash("The opportunity is updated.", "success")
                return redirect(url_for("volunteering.opportunity", opportunity_id=opp.id))
    status = 400 if form.is_submitted() else 200
    _flatten_question_errors(form)
    return render_template("volunteering/opportunity_form.html", form=form, opportunity=opp,
                           questions_locked=locked), status


@bp.route("/o/<int:opportunity_id>/<any(open, close):verb>", methods=["POST"])
def set_status(opportunity_id: int, verb: str):
    opp = get_opportunity(opportunity_id)
    g.perms.ensure(g.perms.can_manage_opportunity(opp))
    if not ActionForm().validate_on_submit():
        abort(400)
    status = OpportunityStatus.OPEN if verb == "open" else OpportunityStatus.CLOSED
    try:
        changed = manage.set_status(opp, status)
    except VolunteeringError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("volunteering.opportunity", opportunity_id=opportunity_id)), 303
    db.session.commit()
    flash(f"The opportunity is {status.value}." if changed
          else f"The opportunity was already {status.value}.", "info")
    return redirect(url_for("volunteering.opportunity", opportunity_id=opportunity_id))


@bp.route("/manage/volunteers")
def find_volunteers():
    g.perms.ensure(g.perms.can_find_volunteers())
    term = request.args.get("interest", "")[:100]
    return render_template("volunteering/volunteers.html", term=term,
                           profiles=queries.find_volunteers(term))


@bp.route("/manage/cycles", methods=["GET", "POST"])
def cycles():
    sections = [s for s in db.session.scalars(select(Section).order_by(Section.name))
                if g.perms.can_manage_cycles(s.id)]
    g.perms.ensure(bool(sections))
    form = CycleForm()
    form.section_id.choices = [(s.id, s.name) for s in sections]
    if form.validate_on_submit():
        once = claim(g.perms.user, form.submission_key.data)  # first: a repeat waits here
        if once.repeated:
            return once.repeat()
        manage.create_cycle(form.section_id.data, form.name.data, form.max_choices.data)
        target = once.remember(url_for("volunteering.cycles"))
        db.session.commit()
        flash("The recruiting cycle is created.", "success")
        return redirect(target)
    existing = db.session.scalars(
        select(RecruitingCycle).where(RecruitingCycle.section_id.in_([s.id for s in sections]))
        .order_by(RecruitingCycle.id.desc()))
    status = 400 if form.is_submitted() else 200
    return render_template("volunteering/cycles.html", form=form, cycles=list(existing)), status


# --- helpers ------------------------------------------------------------------------------------

def _reviewable_groups() -> list[Group]:
    return list(db.session.scalars(
        select(Group).where(reviewable_groups_clause(g.perms), Group.archived_at.is_(None))
        .order_by(Group.name)))


def _fill_choices(form: OpportunityForm, groups: list[Group]) -> None:
    form.group_id.choices = [(grp.id, f"{grp.name} ({GroupKind(grp.kind).label})")
                             for grp in groups]
    section_ids = {grp.section_id for grp in groups}
    cycles = db.session.scalars(select(RecruitingCycle).where(
        RecruitingCycle.section_id.in_(section_ids)).order_by(RecruitingCycle.id.desc()))
    form.cycle_id.choices = [(0, "None: members apply without ranking")] + [
        (c.id, f"{c.name} (up to {c.max_choices} choices)") for c in cycles]


def _flatten_question_errors(form: OpportunityForm) -> None:
    """The error summary lists plain sentences: "Question 2, Answer type: Not a valid choice"."""
    messages = []
    for n, entry in enumerate(form.questions, start=1):
        for sub in entry:
            messages += [f"Question {n}, {sub.label.text}: {m}" for m in sub.errors]
    form.questions.errors = messages


def _spec(form: OpportunityForm) -> OpportunitySpec:
    return OpportunitySpec(
        title=form.title.data, description=form.description.data, role=Role(form.role.data),
        role_title=form.role_title.data, openings=form.openings.data,
        term_starts_on=form.term_starts_on.data, term_ends_on=form.term_ends_on.data,
        time_commitment=form.time_commitment.data or "", deadline=form.deadline.data,
        cycle_id=form.cycle_id.data or None)


def _questions(form: OpportunityForm) -> list[QuestionSpec]:
    return [QuestionSpec(prompt=entry.prompt.data, kind=QuestionKind(entry.kind.data),
                         choices=entry.choices.data or "", required=bool(entry.required.data))
            for entry in form.questions if entry.prompt.data]
