"""Members' profiles: what others see, what the member edits, and what stays private."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.groups.models import Visibility
from forum.querycount import count_queries
from tests.factories import make_group, make_membership, make_user
from tests.factories_accounts import submit
from tests.factories_discussions import make_reply, make_thread
from tests.helpers import login


def _edit(client, **fields):
    data = {"display_name": "Priya Raman", "affiliation": "Springfield Public Library",
            "bio": "Chair of *project management*.", "timezone": "America/New_York"}
    data.update(fields)
    return submit(client, "/auth/settings/profile", data, token_from="/auth/settings/profile")


def test_member_edits_profile_and_others_see_it(app, client):
    priya = make_user(username="priya", display_name="P")
    login(client, priya)
    response = _edit(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/members/priya")
    db.session.refresh(priya)
    assert priya.bio_html == "<p>Chair of <em>project management</em>.</p>\n"
    assert priya.timezone == "America/New_York"
    viewer = app.test_client()
    login(viewer, make_user(username="viewer"))
    html = viewer.get("/members/priya").get_data(as_text=True)
    assert "Priya Raman" in html and "Springfield Public Library" in html
    assert "<em>project management</em>" in html


def test_bio_is_sanitized_at_write_time(client):
    user = make_user(username="sneaky")
    login(client, user)
    _edit(client, bio="<script>alert(1)</script> [x](javascript:alert(1)) **ok**")
    db.session.refresh(user)
    assert "<script" not in user.bio_html and 'href="javascript' not in user.bio_html
    assert "<strong>ok</strong>" in user.bio_html


BAD_PROFILES = {
    "empty display name": {"display_name": "  "},
    "overlong display name": {"display_name": "D" * 101},
    "overlong affiliation": {"affiliation": "A" * 201},
    "overlong bio": {"bio": "b" * 5001},
    "unknown time zone": {"timezone": "Mars/Olympus_Mons"},
    "empty time zone": {"timezone": ""},
}


@pytest.mark.parametrize("case", BAD_PROFILES)
def test_bad_profile_input_is_a_form_error_and_nothing_changes(client, case):
    user = make_user(username="careful", display_name="Careful Carol")
    login(client, user)
    response = _edit(client, **BAD_PROFILES[case])
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.display_name == "Careful Carol" and user.bio == ""


def test_nul_byte_in_profile_is_a_clear_400(client):
    user = make_user(username="nully")
    login(client, user)
    assert _edit(client, bio="a\x00b").status_code == 400
    db.session.refresh(user)
    assert user.bio == ""


def test_profile_address_ignores_case_and_width(client):
    make_user(username="priya", display_name="Priya Raman")
    for name in ("PRIYA", "Ｐriya"):
        assert "Priya Raman" in client.get(f"/members/{name}").get_data(as_text=True)
    assert client.get("/members/nobody-here").status_code == 404


def test_unverified_profile_is_hidden_from_others_but_not_from_itself(app, client):
    fresh = make_user(username="fresh", verified=False)
    assert client.get("/members/fresh").status_code == 404
    login(client, fresh)
    assert client.get("/members/fresh").status_code == 200


def test_profile_shows_only_groups_and_posts_the_viewer_may_see(app, client):
    author = make_user(username="author", display_name="Author Person")
    open_group = make_group(name="Budget Interest Group", visibility=Visibility.PUBLIC)
    secret = make_group(name="Nominating Committee", visibility=Visibility.PRIVATE)
    for g in (open_group, secret):
        make_membership(group=g, user=author)
    make_thread(group=open_group, author=author, title="Open budgeting tips")
    make_thread(group=secret, author=author, title="Candidates for chair")
    outsider = make_user(username="outsider")
    insider = make_user(username="insider")
    make_membership(group=secret, user=insider)

    login(client, outsider)
    html = client.get("/members/author").get_data(as_text=True)
    assert "Budget Interest Group" in html and "Open budgeting tips" in html
    assert "Nominating Committee" not in html and "Candidates for chair" not in html

    other = app.test_client()
    login(other, insider)
    html = other.get("/members/author").get_data(as_text=True)
    assert "Nominating Committee" in html and "Candidates for chair" in html


def test_profile_runs_a_constant_number_of_queries(client):
    author = make_user(username="prolific")
    viewer = make_user(username="reader")
    group = make_group(visibility=Visibility.PUBLIC)
    make_membership(group=group, user=author)
    make_membership(group=group, user=viewer)
    thread = make_thread(group=group, author=author)
    login(client, viewer)
    with count_queries() as few:
        assert client.get("/members/prolific").status_code == 200
    for _ in range(8):
        g = make_group(visibility=Visibility.MEMBERS)
        make_membership(group=g, user=author)
        make_reply(thread=make_thread(group=g, author=author), author=author)
        make_reply(thread=thread, author=author)
    with count_queries() as many:
        assert client.get("/members/prolific").status_code == 200
    # The member with their groups and latest posts is one statement (the viewer's session may
    # add one): the two lists ride in the member's row, which also lets PostgreSQL keep one
    # cached plan whoever the member is (a bound author id made it re-plan a prolific
    # member's posts on every request).
    assert len(_own(few)) <= 2
    assert len(many) == len(few)
    visitor = client.application.test_client()
    with count_queries() as seen:
        html = visitor.get("/members/prolific").get_data(as_text=True)
    assert len(_own(seen)) == 1
    assert thread.title in html and group.name in html  # a public group's posts, for anyone


def _own(statements: list[str]) -> list[str]:
    # The profile's own budget: not the transaction's BEGIN (SQLite emits it as a statement),
    # nor what the shared layout adds for other features (the notification bell).
    return [s for s in statements
            if s.strip() not in ("BEGIN", "COMMIT") and "FROM notifications" not in s]
