"""Forms of moderation: every field checked for length, stripped, refused when empty."""

from __future__ import annotations

from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forum.forms import FlaskForm, SubmissionKeyMixin
from forum.moderation.models import FlagReason


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class FlagForm(SubmissionKeyMixin, FlaskForm):
    reason = RadioField("Why should the moderators look at this post?",
                        choices=[(r.value, r.label) for r in FlagReason],
                        validators=[InputRequired("Choose a reason.")])
    note = TextAreaField("Anything the moderators should know (optional)",
                         filters=[_strip], validators=[Optional(), Length(max=500)])


class ReasonForm(FlaskForm):
    """One-click actions with an optional reason (hide, restore, dismiss, pin, lock…)."""

    reason = StringField("Reason (optional; shown to the author)", filters=[_strip],
                         validators=[Optional(), Length(max=500)])


class WarnForm(FlaskForm):
    reason = StringField("Warning for the author", filters=[_strip],
                         validators=[DataRequired("Say what the warning is about."),
                                     Length(max=500)])


class EditPostForm(FlaskForm):
    body = TextAreaField("Post text (Markdown)", filters=[_strip],
                         validators=[DataRequired("A post cannot be empty."),
                                     Length(max=50_000)])
    reason = StringField("Reason for the edit (shown to the author)", filters=[_strip],
                         validators=[Optional(), Length(max=500)])


class MoveForm(FlaskForm):
    group_id = SelectField("Move to group", coerce=int,
                           validators=[InputRequired("Choose a group.")])
    reason = StringField("Reason (optional)", filters=[_strip],
                         validators=[Optional(), Length(max=500)])


class SplitForm(FlaskForm):
    title = StringField("Title of the new thread", filters=[_strip],
                        validators=[DataRequired("Give the new thread a title."),
                                    Length(max=200)])
    reason = StringField("Reason (optional)", filters=[_strip],
                         validators=[Optional(), Length(max=500)])


class MergeForm(FlaskForm):
    target_id = IntegerField("Number of the thread to merge into",
                             validators=[InputRequired("Give the thread's number."),
                                         NumberRange(min=1, max=2**31 - 1)])
    mode = RadioField("Place this thread's posts", default="under_root", choices=[
        ("under_root", "As replies to the other thread's opening post"),
        ("top_level", "After the other thread's posts, as a second conversation")],
        validators=[InputRequired()])
    reason = StringField("Reason (optional)", filters=[_strip],
                         validators=[Optional(), Length(max=500)])


DURATIONS = [("1", "1 day"), ("7", "7 days"), ("30", "30 days"), ("90", "90 days"),
             ("365", "1 year"), ("forever", "For good")]


class BanForm(FlaskForm):
    username = StringField("Username", filters=[_strip],
                           validators=[DataRequired("Enter the member's username."),
                                       Length(max=40)])
    duration = SelectField("How long", choices=DURATIONS, default="7")
    reason = StringField("Reason", filters=[_strip],
                         validators=[DataRequired("Say why: it goes in the log."),
                                     Length(max=500)])


class SuspendForm(FlaskForm):
    duration = SelectField("How long", choices=DURATIONS, default="7")
    reason = StringField("Reason", filters=[_strip],
                         validators=[DataRequired("Say why: it goes in the log."),
                                     Length(max=500)])


class SettingsForm(FlaskForm):
    hold_first_posts = BooleanField("Hold new members' first posts for approval")
