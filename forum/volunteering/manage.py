"""Leaders' and section admins' use cases: opportunities, their questions, recruiting cycles.

Questions can be rewritten only while nobody has applied: answers point at questions, and
changing a question under an answer would change what the volunteer said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select

from forum.extensions import db
from forum.groups.models import Role
from forum.markup import render
from forum.volunteering.models import (
    Application,
    Opportunity,
    OpportunityQuestion,
    OpportunityStatus,
    QuestionKind,
    RecruitingCycle,
)
from forum.volunteering.services import VolunteeringError


@dataclass
class QuestionSpec:
    prompt: str
    kind: QuestionKind
    choices: str = ""
    required: bool = False


@dataclass
class OpportunitySpec:
    title: str
    description: str
    role: Role
    role_title: str
    openings: int
    term_starts_on: date
    term_ends_on: date | None
    time_commitment: str
    deadline: date
    cycle_id: int | None = None


def create_opportunity(group, spec: OpportunitySpec, author,
                       questions: list[QuestionSpec]) -> Opportunity:
    opportunity = Opportunity(group_id=group.id, group=group, created_by_id=author.id,
                              status=OpportunityStatus.DRAFT)
    _apply_spec(opportunity, spec)
    db.session.add(opportunity)
    _replace_questions(opportunity, questions)
    db.session.flush()
    return opportunity


def update_opportunity(opportunity: Opportunity, spec: OpportunitySpec,
                       questions: list[QuestionSpec] | None) -> None:
    if spec.openings < opportunity.filled_count:
        raise VolunteeringError(
            f"{opportunity.filled_count} volunteers are already accepted; openings cannot be "
            "fewer.", "openings")
    _apply_spec(opportunity, spec)
    if questions is not None:
        if has_applications(opportunity):
            raise VolunteeringError("Members have already applied, so the questions can no "
                                    "longer change.")
        _replace_questions(opportunity, questions)
    db.session.flush()


def set_status(opportunity: Opportunity, status: OpportunityStatus) -> bool:
    """Open or close; False when it already had that status (idempotent)."""
    if opportunity.status == status:
        return False
    if status == OpportunityStatus.OPEN and opportunity.deadline_passed():
        raise VolunteeringError("The deadline has passed: move it later before opening.")
    opportunity.status = status
    db.session.flush()
    return True


def has_applications(opportunity: Opportunity) -> bool:
    if opportunity.id is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        Application.opportunity_id == opportunity.id))))


def create_cycle(section_id: int, name: str, max_choices: int) -> RecruitingCycle:
    name = (name or "").strip()
    if not name:
        raise VolunteeringError("Give the cycle a name.", "name")
    if not 1 <= max_choices <= 10:
        raise VolunteeringError("Members may make between 1 and 10 choices.", "max_choices")
    cycle = RecruitingCycle(section_id=section_id, name=name, max_choices=max_choices)
    db.session.add(cycle)
    db.session.flush()
    return cycle


def _apply_spec(opportunity: Opportunity, spec: OpportunitySpec) -> None:
    if spec.term_ends_on is not None and spec.term_ends_on <= spec.term_starts_on:
        raise VolunteeringError("The term must end after it starts.", "term_ends_on")
    if spec.role not in (Role.EDITOR, Role.MODERATOR, Role.LEADER):
        raise VolunteeringError("Choose what the volunteer will be appointed as.", "role")
    if spec.cycle_id is not None:
        cycle = db.session.get(RecruitingCycle, spec.cycle_id)
        if cycle is None or cycle.section_id != opportunity.group.section_id:
            raise VolunteeringError("Choose a recruiting cycle of this section.", "cycle_id")
    opportunity.title = spec.title.strip()
    opportunity.description = spec.description.strip()
    opportunity.description_html = render(opportunity.description)
    opportunity.role = spec.role
    opportunity.role_title = spec.role_title.strip()
    opportunity.openings = spec.openings
    opportunity.term_starts_on = spec.term_starts_on
    opportunity.term_ends_on = spec.term_ends_on
    opportunity.time_commitment = spec.time_commitment.strip()
    opportunity.deadline = spec.deadline
    opportunity.cycle_id = spec.cycle_id


def _replace_questions(opportunity: Opportunity, questions: list[QuestionSpec]) -> None:
    opportunity.questions.clear()
    db.session.flush()
    for position, q in enumerate(questions):
        choices = q.choices.strip() if q.kind == QuestionKind.SINGLE_CHOICE else ""
        if q.kind == QuestionKind.SINGLE_CHOICE and len(
                [c for c in choices.splitlines() if c.strip()]) < 2:
            raise VolunteeringError(f"Question {position + 1}: give at least two choices, one "
                                    "per line.")
        opportunity.questions.append(OpportunityQuestion(
            position=position, prompt=q.prompt.strip(), kind=q.kind, choices=choices,
            required=q.required))
