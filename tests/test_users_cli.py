"""``flask create-admin`` and the demo accounts of ``flask seed-demo``."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.db import writing
from forum.extensions import db
from forum.users import seed
from forum.users.models import User
from forum.users.services import check_password, find_by_email
from tests.factories_accounts import perms_for


def _create_admin(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["create-admin", *args], input=input)


def test_create_admin_makes_a_verified_site_admin(app):
    result = _create_admin(app, "--email", "Chief@Example.org", "--username", "chief",
                           "--display-name", "The Chief", "--password", "long enough pass")
    assert result.exit_code == 0, result.output
    assert "Site admin chief created" in result.output
    user = find_by_email("chief@example.org")
    assert user.is_site_admin and user.is_verified and user.display_name == "The Chief"
    assert check_password(user, "long enough pass")
    assert perms_for(user).is_site_admin


def test_create_admin_prompts_for_what_is_missing(app):
    result = _create_admin(app, input="boss@example.org\nboss\nlong enough pass\n"
                                      "long enough pass\n")
    assert result.exit_code == 0, result.output
    assert find_by_email("boss@example.org").username == "boss"


def test_create_admin_refuses_bad_input_and_writes_nothing(app):
    cases = [
        ("not-an-email", "okname", "long enough pass"),
        ("a@example.org", "bad name!", "long enough pass"),
        ("a@example.org", "okname", "short"),
    ]
    for email, username, password in cases:
        result = _create_admin(app, "--email", email, "--username", username,
                               "--password", password)
        assert result.exit_code != 0
        assert "Error" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_admin_refuses_a_taken_address_or_lookalike_name(app):
    _create_admin(app, "--email", "first@example.org", "--username", "priya",
                  "--password", "long enough pass")
    again = _create_admin(app, "--email", "first@example.org", "--username", "other",
                          "--password", "long enough pass")
    lookalike = _create_admin(app, "--email", "second@example.org", "--username", "ＰRIYA",
                              "--password", "long enough pass")
    assert again.exit_code != 0 and "already exists" in again.output
    assert lookalike.exit_code != 0 and "taken" in lookalike.output
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_demo_accounts_are_verified_and_sign_in_with_the_readme_password(app):
    ctx: dict = {}
    with writing():
        seed.seed(ctx)
        db.session.commit()
    users = ctx["users"]
    assert {"admin", "sarah", "priya", "marcus", "lena", "tom"} <= set(users)
    assert len(users) >= 12
    assert users["admin"].is_site_admin and not users["sarah"].is_site_admin
    names = {"sarah": "Sarah Okafor", "priya": "Priya Raman", "marcus": "Marcus Webb",
             "lena": "Lena Fischer", "tom": "Tom Alvarez"}
    for handle, name in names.items():
        user = find_by_email(f"{handle}@demo.forum")
        assert user.display_name == name and user.is_verified
        assert user.bio_html.startswith("<p>")
    assert check_password(users["lena"], "demo-password-2026")
    with open("README.md", encoding="utf-8") as fh:
        readme = fh.read()
    assert "demo-password-2026" in readme
    for handle in names:
        assert f"{handle}@demo.forum" in readme
