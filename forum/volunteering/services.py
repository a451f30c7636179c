"""A member's use cases: the volunteer profile, applying, editing and withdrawing.

Services check the *state* rules (open, before the deadline, choices left), change data and
flush; who may act at all is asked of ``g.perms`` by the view first. The view commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.db import utcnow
from forum.extensions import db
from forum.volunteering.models import (
    Application,
    ApplicationAnswer,
    ApplicationStatus,
    Opportunity,
    QuestionKind,
    VolunteerProfile,
)

STATEMENT_MAX = 5000
ANSWER_MAX = {QuestionKind.SHORT_TEXT: 300, QuestionKind.LONG_TEXT: 5000}
ACTIVE_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED,
                   ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED)


class VolunteeringError(ValueError):
    """Why a volunteering change cannot be made; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Submission:
    """What the member sent: statement, answers by question id, and a rank within the cycle."""

    statement: str
    answers: dict[int, str] = field(default_factory=dict)
    rank: int | None = None


# --- the profile ------------------------------------------------------------------------------

def profile_of(user_id: int) -> VolunteerProfile | None:
    return db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user_id))


def save_profile(user, findable: bool = True, **values: str) -> VolunteerProfile:
    profile = profile_of(user.id) or VolunteerProfile(user_id=user.id)
    for name in ("interests", "skills", "availability", "preferred_work"):
        setattr(profile, name, (values.get(name) or "").strip())
    profile.findable = bool(findable)
    db.session.add(profile)
    db.session.flush()
    return profile


# --- applying ---------------------------------------------------------------------------------

def apply(user, opportunity: Opportunity, submission: Submission,
          today: date | None = None) -> Application:
    _ensure_taking_applications(opportunity, today)
    existing = db.session.scalar(select(Application).where(
        Application.opportunity_id == opportunity.id, Application.user_id == user.id))
    if existing is not None and existing.status != ApplicationStatus.WITHDRAWN:
        raise VolunteeringError("You have already applied to this opportunity; edit your "
                                "application in My applications instead.")
    statement = _clean_statement(submission.statement)
    answers = clean_answers(opportunity, submission.answers)
    rank = _check_rank(user, opportunity, submission.rank, exclude_id=None)
    application = existing or Application(opportunity_id=opportunity.id, user_id=user.id)
    application.cycle_id = opportunity.cycle_id
    application.rank = rank
    application.statement = statement
    application.status = ApplicationStatus.SUBMITTED
    application.decision_message = ""
    application.decided_by_id = None
    application.decided_at = None
    try:
        with db.session.begin_nested():  # a double click racing itself meets the unique key
            db.session.add(application)
            db.session.flush()
    except IntegrityError as exc:
        raise VolunteeringError("You have already applied to this opportunity, or used "
                                "this rank for another choice.") from exc
    _store_answers(application, answers)
    return application


def edit(application: Application, submission: Submission,
         today: date | None = None) -> Application:
    if not application.is_open:
        raise VolunteeringError("This application has been decided and can no longer change.")
    opportunity = application.opportunity
    _ensure_taking_applications(opportunity, today)
    application.statement = _clean_statement(submission.statement)
    answers = clean_answers(opportunity, submission.answers)
    application.rank = _check_rank(application.user, opportunity, submission.rank,
                                   exclude_id=application.id)
    application.updated_at = utcnow()
    db.session.flush()
    _store_answers(application, answers)
    return application


def withdraw(application: Application, today: date | None = None) -> bool:
    """Withdraw; False when it already was (idempotent). Decided applications cannot."""
    if application.status == ApplicationStatus.WITHDRAWN:
        return False
    if not application.is_open:
        raise VolunteeringError("This application has been decided and can no longer be "
                                "withdrawn; write to the group's leaders instead.")
    if application.opportunity.deadline_passed(today):
        raise VolunteeringError("The application deadline has passed; write to the group's "
                                "leaders to withdraw.")
    application.status = ApplicationStatus.WITHDRAWN
    application.rank = None  # frees the choice for another opportunity in the cycle
    db.session.flush()
    return True


# --- the rules ---------------------------------------------------------------------------------

def _ensure_taking_applications(opportunity: Opportunity, today: date | None) -> None:
    if opportunity.deadline_passed(today):
        raise VolunteeringError("The application deadline for this opportunity has passed.")
    if not opportunity.is_taking_applications(today):
        raise VolunteeringError("This opportunity is not taking applications.")


def _clean_statement(statement: str | None) -> str:
    statement = (statement or "").strip()
    if not statement:
        raise VolunteeringError("Tell the leaders why you are interested.", "statement")
    if len(statement) > STATEMENT_MAX:
        raise VolunteeringError(f"Keep it under {STATEMENT_MAX} characters.", "statement")
    return statement


def clean_answers(opportunity: Opportunity, answers: dict[int, str]) -> dict[int, str]:
    """Answers by question id, checked against this opportunity's questions only."""
    questions = {q.id: q for q in opportunity.questions}
    foreign = set(answers) - set(questions)
    if foreign:
        raise VolunteeringError("The form contained answers to questions that are not part of "
                                "this opportunity. Reload the page and try again.")
    cleaned = {}
    for qid, question in questions.items():
        value = (answers.get(qid) or "").strip()
        name = f"q_{qid}"
        if not value:
            if question.required:
                raise VolunteeringError("This question needs an answer.", name)
            cleaned[qid] = ""
            continue
        if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO):
            if value not in question.choice_list:
                raise VolunteeringError("Choose one of the options given.", name)
        elif len(value) > ANSWER_MAX[question.kind]:
            raise VolunteeringError(
                f"Keep it under {ANSWER_MAX[question.kind]} characters.", name)
        cleaned[qid] = value
    return cleaned


def _check_rank(user, opportunity: Opportunity, rank: int | None,
                exclude_id: int | None) -> int | None:
    cycle = opportunity.cycle
    if cycle is None:
        return None
    if rank is None or not 1 <= rank <= cycle.max_choices:
        raise VolunteeringError(
            f"Rank this choice from 1 to {cycle.max_choices}.", "rank")
    others = select(Application.rank).where(
        Application.cycle_id == cycle.id, Application.user_id == user.id,
        Application.status != ApplicationStatus.WITHDRAWN,
        Application.opportunity_id != opportunity.id)
    if exclude_id is not None:
        others = others.where(Application.id != exclude_id)
    ranks = list(db.session.scalars(others))
    if len(ranks) >= cycle.max_choices:
        raise VolunteeringError(
            f"{cycle.name} allows {cycle.max_choices} choices and you have made them all; "
            "withdraw one first.", "rank")
    if rank in ranks:
        raise VolunteeringError(
            f"You already ranked another opportunity as choice {rank}; give this one a "
            "different rank.", "rank")
    return rank


def _store_answers(application: Application, answers: dict[int, str]) -> None:
    current = {a.question_id: a for a in application.answers}
    for qid, value in answers.items():
        if qid in current:
            current[qid].value = value
        else:
            application.answers.append(ApplicationAnswer(question_id=qid, value=value))
    db.session.flush()


def choices_used(user_id: int, cycle_id: int) -> int:
    return db.session.scalar(select(func.count()).where(
        Application.cycle_id == cycle_id, Application.user_id == user_id,
        Application.status != ApplicationStatus.WITHDRAWN)) or 0
