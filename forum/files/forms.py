"""Forms of the library. Lengths are checked here; file contents are checked by services."""

from __future__ import annotations

from flask_wtf.file import FileField, MultipleFileField
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from forum.files.models import DESCRIPTION_MAX, FOLDER_NAME_MAX, TITLE_MAX, UploadPolicy
from forum.forms import FlaskForm, SubmissionKeyMixin


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class _DetailsMixin:
    description = TextAreaField("Description", filters=[_strip],
                                validators=[Optional(), Length(max=DESCRIPTION_MAX)])
    folder = SelectField("Folder", coerce=int, default=0)

    def set_folders(self, folders) -> None:
        self.folder.choices = [SelectChoice(0, "No folder (top level)")] + [
            SelectChoice(f.id, f.name) for f in folders]


class UploadForm(SubmissionKeyMixin, _DetailsMixin, FlaskForm):
    files = MultipleFileField("Files", validators=[DataRequired("Choose at least one file.")])
    title = StringField("Title", filters=[_strip],
                        validators=[Optional(), Length(max=TITLE_MAX)])


class VersionForm(SubmissionKeyMixin, FlaskForm):
    file = FileField("New version", validators=[DataRequired("Choose a file.")])


class EditFileForm(_DetailsMixin, FlaskForm):
    title = StringField("Title", filters=[_strip],
                        validators=[DataRequired("Give the file a title."),
                                    Length(max=TITLE_MAX)])


class FolderForm(SubmissionKeyMixin, FlaskForm):
    name = StringField("Folder name", filters=[_strip],
                       validators=[DataRequired("Give the folder a name."),
                                   Length(max=FOLDER_NAME_MAX)])


class MoveFolderForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])


class LibrarySettingsForm(FlaskForm):
    upload_policy = RadioField(
        "Who may upload files", choices=[SelectChoice(p.value, p.label) for p in UploadPolicy],
        validators=[DataRequired("Choose who may upload.")])
