"""Forms of discussions: new thread, reply, edit (POST-only buttons use ActionForm)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from forum.discussions.services import BODY_MAX, TITLE_MAX


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


class NewThreadForm(_BodyForm):
    title = StringField("Title", filters=[_strip], validators=[
        DataRequired("Give the discussion a title."),
        Length(max=TITLE_MAX, message=f"Titles are limited to {TITLE_MAX} characters.")])
    attachments = MultipleFileField("Attach files (optional)")
    submit = SubmitField("Start discussion")


class ReplyForm(_BodyForm):
    parent_id = HiddenField()
    attachments = MultipleFileField("Attach files (optional)")
    submit = SubmitField("Post reply")

    def parent_post_id(self) -> int | None:
        try:
            return int(self.parent_id.data)
        except (TypeError, ValueError):
            return None


class EditPostForm(_BodyForm):
    submit = SubmitField("Save changes")
