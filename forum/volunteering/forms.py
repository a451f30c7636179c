"""Forms for volunteering. Lengths match the columns; the services check the state rules."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forum.forms import FlaskForm, Form, SubmissionKeyMixin
from forum.groups.models import Role
from forum.volunteering.decisions import Decision
from forum.volunteering.models import QuestionKind

_strip = [lambda v: v.strip() if isinstance(v, str) else v]
ROLE_CHOICES = [
    (Role.EDITOR.value, "A seat (member of the committee or team, with the title below)"),
    (Role.MODERATOR.value, "Moderator of the group"),
    (Role.LEADER.value, "Leader of the group (chair, convener…)"),
]
QUESTION_SLOTS = 5


class ProfileForm(FlaskForm):
    interests = TextAreaField("Interests", filters=_strip, validators=[Length(max=1000)])
    skills = TextAreaField("Skills and experience", filters=_strip,
                           validators=[Length(max=1000)])
    availability = StringField("Availability", filters=_strip, validators=[Length(max=300)])
    preferred_work = StringField("Kinds of work you prefer", filters=_strip,
                                 validators=[Length(max=300)])
    findable = BooleanField("Leaders may find me by my interests when looking for volunteers",
                            default=True)


def _rank(value):
    return int(value) if value not in (None, "") else None


def application_form_class(opportunity, taken: dict[int, str] | None = None):
    """A form with the statement, the rank (in a recruiting cycle) and one field per question.

    ``taken``: the member's ranks already given in the cycle (rank → that opportunity's
    title). The rank starts unchosen unless nothing is taken yet (then 1, the only sensible
    first choice): preselecting 1 on a second application collided with the first one's."""

    class ApplicationForm(SubmissionKeyMixin, FlaskForm):
        statement = TextAreaField("Statement of interest", filters=_strip,
                                  validators=[DataRequired(), Length(max=5000)])

    cycle = opportunity.cycle
    if cycle is not None:
        taken = taken or {}
        ApplicationForm.rank = SelectField(
            f"Your choice number in {cycle.name}", coerce=_rank, validate_choice=False,
            default=None if taken else 1,
            choices=[("", "Choose a number")] + [
                (n, f"{n} — already your choice for {taken[n]}" if n in taken else str(n))
                for n in range(1, cycle.max_choices + 1)])
    for q in opportunity.questions:
        setattr(ApplicationForm, f"q_{q.id}", _question_field(q))
    return ApplicationForm


def _question_field(q):
    validators = [DataRequired()] if q.required else [Optional()]
    if q.kind == QuestionKind.SHORT_TEXT:
        return StringField(q.prompt, filters=_strip, validators=validators + [Length(max=300)])
    if q.kind == QuestionKind.LONG_TEXT:
        return TextAreaField(q.prompt, filters=_strip,
                             validators=validators + [Length(max=5000)])
    labels = {"yes": "Yes", "no": "No"} if q.kind == QuestionKind.YES_NO else {}
    # The service checks the choice against the question, so a tampered value gets its message.
    return RadioField(q.prompt, validate_choice=False, validators=validators,
                      choices=[(c, labels.get(c, c)) for c in q.choice_list])


class QuestionForm(Form):
    prompt = StringField("Question", filters=_strip, validators=[Length(max=300)])
    kind = SelectField("Answer type", default=QuestionKind.SHORT_TEXT.value,
                       choices=[(k.value, k.label) for k in QuestionKind])
    choices = TextAreaField("Choices (single choice only; one per line)", filters=_strip,
                            validators=[Length(max=2000)])
    required = BooleanField("An answer is required")


class OpportunityForm(SubmissionKeyMixin, FlaskForm):
    group_id = SelectField("Group", coerce=int, validate_choice=True)
    title = StringField("Title", filters=_strip, validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", filters=_strip,
                                validators=[DataRequired(), Length(max=10000)])
    role = SelectField("Accepting appoints the volunteer as", choices=ROLE_CHOICES)
    role_title = StringField("Role title", filters=_strip,
                             validators=[DataRequired(), Length(max=80)])
    openings = IntegerField("Number of openings", default=1,
                            validators=[DataRequired(), NumberRange(min=1, max=500)])
    term_starts_on = DateField("Term starts on", validators=[DataRequired()])
    term_ends_on = DateField("Term ends on (the first day no longer in office)",
                             validators=[Optional()])
    time_commitment = StringField("Time commitment", filters=_strip,
                                  validators=[Length(max=200)])
    deadline = DateField("Application deadline (last day to apply)",
                         validators=[DataRequired()])
    cycle_id = SelectField("Recruiting cycle", coerce=int, validate_choice=True)
    questions = FieldList(FormField(QuestionForm), min_entries=QUESTION_SLOTS,
                          max_entries=QUESTION_SLOTS)


class DecisionForm(FlaskForm):
    action = SelectField("Decision", choices=[
        (Decision.ACCEPT.value, "Accept"), (Decision.WAITLIST.value, "Waitlist"),
        (Decision.DECLINE.value, "Decline")])
    message = TextAreaField("Message to the volunteer", filters=_strip,
                            validators=[Length(max=2000)])
    beyond_openings = BooleanField("Accept beyond openings")


class CycleForm(SubmissionKeyMixin, FlaskForm):
    section_id = SelectField("Section", coerce=int)
    name = StringField("Name", filters=_strip, validators=[DataRequired(), Length(max=120)])
    max_choices = IntegerField("Choices a member may make", default=3,
                               validators=[DataRequired(), NumberRange(min=1, max=10)])
