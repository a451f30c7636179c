"""Forms for groups, sections, membership and appointments (lengths checked, text stripped)."""

from __future__ import annotations

import re
from functools import cache

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from forum.forms import FlaskForm, SubmissionKeyMixin
from forum.groups.models import GroupKind, JoinPolicy, Role, Visibility
from forum.users.services import timezones

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_HINT = "Lower-case letters, digits and single hyphens, e.g. project-management."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


STRIP = [_strip]

VISIBILITY_CHOICES = [
    SelectChoice(Visibility.PUBLIC.value, "Public — anyone can read the discussions and files"),
    SelectChoice(Visibility.MEMBERS.value,
                 "Members — signed-in members can read; visitors see that it exists"),
    SelectChoice(Visibility.PRIVATE.value, "Private — only the group's members know it exists"),
]
JOIN_CHOICES = [
    SelectChoice(JoinPolicy.OPEN.value, "Open — members join at once"),
    SelectChoice(JoinPolicy.APPROVAL.value, "Approval — members ask, leaders approve"),
    SelectChoice(JoinPolicy.INVITE.value, "Invitation only"),
]
KIND_CHOICES = [SelectChoice(k.value, k.label) for k in GroupKind.listed()]
ROLE_CHOICES = [SelectChoice(Role.LEADER.value, "Leader"),
                SelectChoice(Role.MODERATOR.value, "Moderator")]


class GroupSettingsForm(FlaskForm):
    """What a leader may change."""

    purpose = TextAreaField("Purpose", filters=STRIP,
                            validators=[DataRequired("Say what the group is for."),
                                        Length(max=5000)])
    visibility = SelectField("Who can see the group", choices=VISIBILITY_CHOICES)
    join_policy = SelectField("How people join", choices=JOIN_CHOICES)


class GroupPictureForm(FlaskForm):
    """A leader's choice of the group's picture, with the words that stand in for it."""

    picture = FileField("Picture", description="PNG, JPEG, GIF or WebP, at most 2 MB. "
                        "Square pictures look best; it is shown small, beside the name.")
    picture_alt = StringField("Picture description (alt text)", filters=STRIP,
                              validators=[Length(max=300)],
                              description="What the picture shows, for readers who cannot "
                              "see it, e.g. \"The group's logo: an open book\".")
    remove_picture = BooleanField("Remove the picture (pages show the group's initials)")


class GroupForm(SubmissionKeyMixin, GroupSettingsForm):
    """What a section admin sets when creating or editing a group."""

    name = StringField("Name", filters=STRIP,
                       validators=[DataRequired("Enter the group's name."), Length(max=200)])
    slug = StringField("Web address", filters=STRIP, description=SLUG_HINT,
                       validators=[DataRequired("Enter the web address."), Length(max=80),
                                   Regexp(SLUG_RE, message=SLUG_HINT)])
    kind = SelectField("Kind", choices=KIND_CHOICES)


@cache
def _zone_choices() -> list[SelectChoice]:
    return [SelectChoice(z, z.replace("_", " ")) for z in sorted(timezones())]


class SectionZoneForm(FlaskForm):
    """The section's time zone: visitors read its pages' dates in it."""

    # Checked against the tz database below, with a message that says what is wrong (the
    # SelectField's own check would only say "Not a valid choice").
    timezone = SelectField("Time zone", default="UTC", choices=_zone_choices,
                           validate_choice=False,
                           description="Visitors read the section's dates in this zone; "
                                       "members read them in their own.")

    def validate_timezone(self, field):
        if field.data not in timezones():
            raise ValidationError(f"“{field.data[:64]}” is not a time zone this forum knows: "
                                  "choose one from the list, e.g. Europe/Berlin.")


class SectionForm(SubmissionKeyMixin, SectionZoneForm):
    name = StringField("Name", filters=STRIP,
                       validators=[DataRequired("Enter the section's name."), Length(max=200)])
    slug = StringField("Web address", filters=STRIP, description=SLUG_HINT,
                       validators=[DataRequired("Enter the web address."), Length(max=80),
                                   Regexp(SLUG_RE, message=SLUG_HINT)])
    description = TextAreaField("Description", filters=STRIP, validators=[Length(max=5000)])


class PersonForm(FlaskForm):
    who = StringField("E-mail address or username", filters=STRIP,
                      validators=[DataRequired("Enter an e-mail address or a username."),
                                  Length(max=254)])


class AppointmentForm(PersonForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    title = StringField("Title", filters=STRIP, render_kw={"list": "title-suggestions"},
                        validators=[DataRequired("Enter a title such as Chair."),
                                    Length(max=80)])
    starts_on = DateField("Term starts", validators=[DataRequired("Enter the first day.")])
    ends_on = DateField("Term ends (exclusive: rights stop on this day)",
                        validators=[Optional()])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data <= self.starts_on.data:
            raise ValidationError("The term must end after it starts.")

