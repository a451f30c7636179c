"""Forms of discussions: new thread, reply, edit (POST-only buttons use ActionForm)."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from forum.discussions.services import BODY_MAX, TITLE_MAX
from forum.forms import FlaskForm, SubmissionKeyMixin
from forum.http import parse_id


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _not_blank(form, field):
    if not (field.data or "").strip():
        raise ValidationError("Write something before posting.")


class _BodyForm(FlaskForm):
    body = TextAreaField("Your message", filters=[_strip], validators=[
        _not_blank, Length(max=BODY_MAX, message=f"Posts are limited to {BODY_MAX:,} characters.")])
    preview = SubmitField("Preview")

    @property
    def wants_preview(self) -> bool:
        return bool(self.preview.data)


class NewThreadForm(SubmissionKeyMixin, _BodyForm):
    title = StringField("Title", filters=[_strip], validators=[
        DataRequired("Give the discussion a title."),
        Length(max=TITLE_MAX, message=f"Titles are limited to {TITLE_MAX} characters.")])
    attachments = MultipleFileField("Attach files (optional)")
    submit = SubmitField("Start discussion")


class ReplyForm(SubmissionKeyMixin, _BodyForm):
    parent_id = HiddenField()
    attachments = MultipleFileField("Attach files (optional)")
    submit = SubmitField("Post reply")

    def parent_post_id(self) -> int | None:
        return parse_id(self.parent_id.data)  # None: not an id the database could hold


class EditPostForm(_BodyForm):
    submit = SubmitField("Save changes")
