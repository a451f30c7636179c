"""Forms for notification settings (the buttons use forum.forms.ActionForm)."""

from __future__ import annotations

from wtforms import BooleanField, RadioField
from wtforms.fields.choices import SelectChoice

from forum.forms import FlaskForm
from forum.notifications.models import MailMode

MODE_CHOICES = [SelectChoice(m.value, m.label) for m in MailMode]


class SettingsForm(FlaskForm):
    auto_watch = BooleanField("Watch the threads I start or reply to")


def settings_form(groups: list, formdata=None) -> SettingsForm:
    """A settings form with one required choice per group (``mode_<group id>``)."""

    class _Form(SettingsForm):
        pass

    for group in groups:
        setattr(_Form, f"mode_{group.id}", RadioField(
            f"E-mail from {group.name}", choices=MODE_CHOICES))
    return _Form(formdata=formdata) if formdata is not None else _Form()
