"""Control characters in names and titles are refused with a form error; multi-line text keeps
its lines but loses the other controls. One mechanism (forum.forms' base classes) for every form."""

from __future__ import annotations

import inspect
import sys

import pytest
import wtforms
from sqlalchemy import func, select

from forum import forms
from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.groups.models import Group
from forum.users.models import User
from forum.users.services import find_by_email
from tests.conftest import make_test_app
from tests.factories import make_group, make_membership, make_user
from tests.factories_accounts import registration, submit
from tests.helpers import login, post

REFUSED = "control characters"
BAD_NAMES = ["Ada\r\nBcc: victim@example.org", "Ada\nLovelace", "Ada\tLovelace",
             "Ada\x1b[31mLovelace", "Ada\x85Lovelace", "Ada\u2028Lovelace"]


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("name", BAD_NAMES)
def test_registration_refuses_a_display_name_with_control_characters(client, name):
    response = submit(client, "/auth/register", registration(display_name=name),
                      token_from="/auth/register")
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)
    assert find_by_email("ada@example.org") is None


def test_profile_refuses_a_display_name_with_a_line_break(client):
    user = make_user(username="carol", display_name="Careful Carol")
    login(client, user)
    response = submit(client, "/auth/settings/profile", {
        "display_name": "Carol\r\nBcc: victim@example.org", "affiliation": "",
        "bio": "", "timezone": "UTC"}, token_from="/auth/settings/profile")
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.display_name == "Careful Carol"


def test_a_group_name_with_a_line_break_is_a_form_error(client, world):
    login(client, world.section_admin)
    before = _count(Group)
    response = post(client, "/admin/sections/core/groups/new", {
        "name": "Change\r\nManagement", "slug": "change-management", "kind": "interest_group",
        "purpose": "Leading change.", "visibility": "members", "join_policy": "open"})
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)
    assert _count(Group) == before


def test_a_thread_title_with_a_line_break_is_a_form_error(client):
    group = make_group(slug="pm")
    member = make_user(username="marcus")
    make_membership(group=group, user=member)
    login(client, member)
    response = post(client, "/g/pm/t/new", {"title": "Budget\r\nBcc: victim@example.org",
                                            "body": "Ideas?"})
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)
    assert _count(Thread) == 0 and _count(Post) == 0
    # A trailing line break is only whitespace: stripped like the spaces around it.
    assert post(client, "/g/pm/t/new", {"title": "Budget\r\n", "body": "Ideas?"}
                ).status_code == 302
    assert db.session.scalar(select(Thread.title)) == "Budget"


def test_a_post_body_keeps_its_lines_and_tabs_and_loses_other_controls(client):
    group = make_group(slug="pm")
    member = make_user(username="marcus")
    make_membership(group=group, user=member)
    login(client, member)
    response = post(client, "/g/pm/t/new", {
        "title": "Colours", "body": "Line one\x1b[31m\r\n\tindented\x07 line\x7f two\x85"})
    assert response.status_code == 302
    assert db.session.scalar(select(Post.source)) == "Line one[31m\n\tindented line two"


def test_create_admin_refuses_a_display_name_with_a_line_break(app):
    result = app.test_cli_runner().invoke(args=[
        "create-admin", "--email", "chief@example.org", "--username", "chief",
        "--display-name", "Chief\r\nBcc: victim@example.org", "--password", "long enough pass"])
    assert result.exit_code != 0 and REFUSED in result.output
    assert _count(User) == 0


def test_every_form_of_the_site_is_built_on_the_checking_base(tmp_path):
    make_test_app(f"sqlite:///{tmp_path / 'forum.db'}", tmp_path / "instance")  # imports views
    found = []
    for module in [m for name, m in list(sys.modules.items()) if name.startswith("forum.")]:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, wtforms.Form) and cls.__module__ == module.__name__:
                found.append(cls)
    bases = (forms.FlaskForm, forms.Form)
    assert len(found) > 30
    assert [c for c in found if not issubclass(c, bases) and c not in bases] == []
