"""The profile form: what others see about a member."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.forms import FlaskForm
from forum.users.services import AFFILIATION_MAX, BIO_MAX, DISPLAY_NAME_MAX, timezones


def strip(value):
    return value.strip() if isinstance(value, str) else value


class ProfileForm(FlaskForm):
    display_name = StringField("Display name", filters=[strip], validators=[
        DataRequired("Enter the name others will see."), Length(max=DISPLAY_NAME_MAX)])
    affiliation = StringField("Affiliation", filters=[strip],
                              validators=[Length(max=AFFILIATION_MAX)])
    bio = TextAreaField("About you", filters=[strip], validators=[Length(max=BIO_MAX)])
    timezone = SelectField("Time zone", validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices are every zone zoneinfo knows: the SelectField refuses anything else.
        self.timezone.choices = [(z, z.replace("_", " ")) for z in sorted(timezones())]
