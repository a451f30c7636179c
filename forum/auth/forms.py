"""Forms for signing in, registering and looking after an account.

Lengths are checked here; the rules about what a name or password may be live in the services
(forum/users/services.py, forum/users/names.py), so the CLI and the web refuse the same things.
"""

from __future__ import annotations

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from forum.forms import FlaskForm
from forum.users.names import USERNAME_MAX

PASSWORD_MAX = 1000


def strip(value):
    return value.strip() if isinstance(value, str) else value


def _email(label: str = "E-mail address") -> EmailField:
    return EmailField(label, filters=[strip], validators=[
        DataRequired("Enter your e-mail address."), Length(max=254),
        Email("Enter an e-mail address like name@example.org.", check_deliverability=False)])


def _new_password(label: str = "Password") -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired("Enter a password."), Length(min=10, max=PASSWORD_MAX)])


def _confirm(field: str = "password") -> PasswordField:
    return PasswordField("Password again", validators=[
        DataRequired("Enter the password again."),
        EqualTo(field, "The two passwords are not the same.")])


class LoginForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()


class RegisterForm(FlaskForm):
    email = _email()
    username = StringField("Username", filters=[strip], validators=[
        DataRequired("Choose a username."), Length(max=USERNAME_MAX)])
    display_name = StringField("Display name", filters=[strip], validators=[
        DataRequired("Enter the name others will see."), Length(max=100)])
    password = _new_password()
    confirm = _confirm()


class ForgotPasswordForm(FlaskForm):
    email = _email()


class ResetPasswordForm(FlaskForm):
    password = _new_password("New password")
    confirm = _confirm()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[
        DataRequired("Enter your current password."), Length(max=PASSWORD_MAX)])
    password = _new_password("New password")
    confirm = _confirm()


class ChangeEmailForm(FlaskForm):
    email = _email("New e-mail address")
    password = PasswordField("Current password", validators=[
        DataRequired("Enter your current password."), Length(max=PASSWORD_MAX)])


def add_error(form, exc) -> None:
    """Show a service's AccountError on the field it names (or above the form)."""
    field = getattr(form, getattr(exc, "field", None) or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))
