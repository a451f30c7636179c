"""Forms for the calendar. Lengths match the columns; the services check times and rules."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from forum.events.models import RsvpAnswer
from forum.forms import FlaskForm, SubmissionKeyMixin

_strip = [lambda v: v.strip() if isinstance(v, str) else v]


def _web_link(form, field) -> None:
    """Only http(s) links: a javascript: or data: URL must never become a link."""
    if field.data and not field.data.lower().startswith(("https://", "http://")):
        raise ValidationError("Give a full https:// link.")



def _link_checks() -> list:
    return [Optional(), Length(max=500), _web_link,
            URL(require_tld=False, message="Give a full https:// link.")]


class EventForm(FlaskForm):
    group = SelectField("Calendar", validate_choice=True)  # "" = the whole section
    title = StringField("Title", filters=_strip, validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description (Markdown)", validators=[Length(max=20000)])
    timezone = StringField("Time zone", filters=_strip, default="America/Chicago",
                           validators=[DataRequired(), Length(max=64)],
                           description="An IANA zone name, e.g. America/Chicago or Europe/Paris.")
    all_day = BooleanField("All day")
    start_date = DateField("Starts on", validators=[DataRequired()])
    start_time = TimeField("Start time", validators=[Optional()])
    end_date = DateField("Ends on", validators=[DataRequired()],
                         description="For an all-day event, its last day.")
    end_time = TimeField("End time", validators=[Optional()])
    rrule = StringField("Repeats (iCalendar rule)", filters=_strip,
                        validators=[Length(max=300)],
                        description="Optional: FREQ=WEEKLY or FREQ=MONTHLY with COUNT=… or "
                                    "UNTIL=…, e.g. FREQ=MONTHLY;BYDAY=1TU;COUNT=6.")
    exdates = StringField("Skip these dates", filters=_strip, validators=[Length(max=2000)],
                          description="Optional, YYYY-MM-DD, separated by commas.")
    location = StringField("Location", filters=_strip, validators=[Length(max=300)])
    online_url = URLField("Online link", filters=_strip,
                          validators=_link_checks(),
                          description="Only members who said they are going see it.")
    capacity = IntegerField("Capacity", validators=[Optional(), NumberRange(min=1, max=100000)],
                            description="Leave empty for no limit.")
    featured = BooleanField("Feature it (the save-the-date banner)")


class NewEventForm(SubmissionKeyMixin, EventForm):
    pass


class RsvpForm(FlaskForm):
    answer = RadioField("Your answer", choices=[(a.value, a.label) for a in RsvpAnswer],
                        validators=[DataRequired()])
    on = StringField(validators=[Optional(), Length(max=40)])


class RecordingForm(SubmissionKeyMixin, FlaskForm):
    title = StringField("Title", filters=_strip, validators=[DataRequired(), Length(max=200)])
    on = SelectField("Occurrence", validate_choice=True)
    url = URLField("Recording link", filters=_strip,
                   validators=_link_checks())
    slides_url = URLField("Slides link", filters=_strip,
                          validators=_link_checks())
    members_only = BooleanField("Members only")
