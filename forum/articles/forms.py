"""Forms of articles: the editor's form (create and edit) and publishing/scheduling."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, DateTimeLocalField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from forum.articles.models import SLUG_MAX, TITLE_MAX
from forum.articles.services import BODY_MAX, EXCERPT_MAX
from forum.forms import FlaskForm, SubmissionKeyMixin


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _not_blank(form, field):
    if not (field.data or "").strip():
        raise ValidationError("Write the article before saving it.")


class ArticleForm(SubmissionKeyMixin, FlaskForm):
    title = StringField("Title", filters=[_strip], validators=[
        DataRequired("Give the article a title."),
        Length(max=TITLE_MAX, message=f"Titles are limited to {TITLE_MAX} characters.")])
    slug = StringField("Web address (optional)", filters=[_strip], validators=[
        Optional(), Length(max=SLUG_MAX)],
        description="Letters, digits and hyphens; made from the title when left empty.")
    byline = StringField("Byline (optional)", filters=[_strip], validators=[Length(max=200)],
                         description="As printed under the title, e.g. “By Maria Lopez, "
                                     "Chair”. Your name when left empty.")
    excerpt = TextAreaField("Excerpt (optional)", filters=[_strip], validators=[
        Length(max=EXCERPT_MAX, message=f"Excerpts are limited to {EXCERPT_MAX} characters.")],
        description="Shown in lists and the feed; the article's first words when left empty.")
    body = TextAreaField("Article", filters=[_strip], validators=[
        _not_blank,
        Length(max=BODY_MAX, message=f"Articles are limited to {BODY_MAX:,} characters.")])
    image = FileField("Image (optional)",
                      description="PNG, JPEG, GIF or WebP, at most 5 MB.")
    image_alt = StringField("Image description (alt text)", filters=[_strip],
                            validators=[Length(max=300)],
                            description="Required with an image: what it shows, for readers "
                                        "who cannot see it.")
    remove_image = BooleanField("Remove the image")
    preview = SubmitField("Preview")
    submit = SubmitField("Save draft")

    @property
    def wants_preview(self) -> bool:
        return bool(self.preview.data)


class PublishForm(FlaskForm):
    publish_at = DateTimeLocalField(
        "Publish at (optional)", format="%Y-%m-%dT%H:%M", validators=[Optional()],
        description="In the section's time zone. Leave empty to publish now.")
    submit = SubmitField("Publish")
