"""Form pieces every feature shares."""

from __future__ import annotations

import flask_wtf
import wtforms
from wtforms.fields import HiddenField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import StopValidation

from forum.control_chars import CONTROL_CHARS_MESSAGE, clean_multiline, has_control_chars
from forum.http import DB_INT_MAX, InDatabaseRange
from forum.submissions import new_key, valid_key


def _refuse_control_chars(form, field) -> None:
    # First in the chain (after the filters, so a trailing newline is simply stripped): a
    # refused value gets this one message, not a pile of others as well.
    if isinstance(field.data, str) and has_control_chars(field.data):
        raise StopValidation(CONTROL_CHARS_MESSAGE)


class _ControlCharsMeta:
    """Every text field of every form, checked by one mechanism (forum/control_chars.py).

    One-line fields refuse control characters with a form error (clearer than silently
    changing a name); multi-line fields lose all but TAB, LF and CR before any other filter.
    Passwords are never printed or mailed, and refusing a character would lock out whoever
    chose it; hidden fields are machine-written and checked by their consumers (safe_next,
    int()), so both are left as they are.
    """

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, TextAreaField):
            field.filters = (clean_multiline, *field.filters)
        elif isinstance(field, StringField) and not isinstance(field, PasswordField | HiddenField):
            field.validators = [_refuse_control_chars, *field.validators]
        elif isinstance(field, IntegerField):  # a number a database integer holds (forum.http)
            field.validators = [InDatabaseRange(minimum=-DB_INT_MAX - 1), *field.validators]
        return field


class FlaskForm(flask_wtf.FlaskForm):
    """The base of every form of the site (forum/*/forms.py import it instead of Flask-WTF's)."""

    Meta = _ControlCharsMeta


class Form(wtforms.Form):
    """The base of sub-forms without CSRF (a ``FormField``'s form binds its own fields)."""

    Meta = _ControlCharsMeta


class ActionForm(FlaskForm):
    """An empty form for POST-only buttons: it carries the CSRF token and nothing else."""


class SubmissionKeyField(HiddenField):
    """The one-time key of a form that creates something (forum.submissions): made when the
    form is rendered, so a GET stores nothing; a submitted key that is missing or malformed
    is None (no key), never a fresh one, so it cannot pass for a real submission's key."""

    def process_data(self, value):
        self.data = None

    def process_formdata(self, valuelist):
        self.data = valid_key(valuelist[0]) if valuelist else None

    @property
    def value(self) -> str:
        """The key to print in the form: the submitted one (a form re-rendered with errors
        keeps its key, since nothing was recorded), else a new one."""
        if self.data is None:
            self.data = new_key()
        return self.data

    def _value(self):
        return self.value


class SubmissionKeyMixin:
    """Mix into a FlaskForm that creates something; claim ``form.submission_key.data``."""

    submission_key = SubmissionKeyField()
