"""Members browse opportunities, keep a volunteer profile, apply, edit and withdraw."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from forum.db import utcnow
from forum.extensions import db
from forum.volunteering.models import (
    Application,
    ApplicationAnswer,
    ApplicationStatus,
    OpportunityStatus,
    VolunteerProfile,
)
from tests.factories import make_group, make_membership, make_user
from tests.factories_volunteering import make_application, make_cycle, make_opportunity
from tests.helpers import login
from tests.helpers import post as _post


def post(client, url, data=None, **kwargs):
    # The token comes from our own page, so these tests do not depend on the home page.
    return _post(client, url, data, token_from="/get-involved/", **kwargs)

QUESTIONS = [
    ("Which programme areas interest you?", "short_text", True),
    ("Tell us about past event work", "long_text", False),
    ("Preferred meeting time", "single_choice", False, "Mornings\nAfternoons"),
    ("Can you attend the annual conference?", "yes_no", True),
]


def _apply_url(opp):
    return f"/get-involved/o/{opp.id}/apply"


def _answers(opp, **override):
    q = opp.questions
    data = {"statement": "I have planned three conferences.", f"q_{q[0].id}": "Workshops",
            f"q_{q[1].id}": "Lots", f"q_{q[2].id}": "Mornings", f"q_{q[3].id}": "yes"}
    data.update(override)
    return data


def _count(model=Application):
    return db.session.scalar(select(func.count(model.id)))


def test_member_browses_open_opportunities_with_their_facts(client, world):
    make_opportunity(group=world.group, title="Program Planning Committee member",
                     openings=3, filled_count=1)
    make_opportunity(group=world.group, title="A draft", status=OpportunityStatus.DRAFT)
    make_opportunity(group=world.private, title="Secret seat")
    login(client, world.member)
    html = client.get("/get-involved/").get_data(as_text=True)
    assert "Program Planning Committee member" in html
    assert "3 (1 filled)" in html and "Two hours a month" in html
    assert "A draft" not in html and "Secret seat" not in html


def test_member_applies_with_statement_and_answers(client, world):
    opp = make_opportunity(group=world.group, questions=QUESTIONS)
    login(client, world.member)
    assert client.get(_apply_url(opp)).status_code == 200
    response = post(client, _apply_url(opp), _answers(opp))
    assert response.status_code == 302
    application = db.session.scalar(select(Application))
    assert application.user_id == world.member.id
    assert application.status == ApplicationStatus.SUBMITTED
    assert {a.value for a in application.answers} == {"Workshops", "Lots", "Mornings", "yes"}
    page = client.get(f"/get-involved/o/{opp.id}").get_data(as_text=True)
    assert "You applied" in page and "submitted" in page
    assert opp.title in client.get("/get-involved/mine").get_data(as_text=True)


def test_applying_twice_is_refused_and_changes_nothing(client, world):
    opp = make_opportunity(group=world.group)
    make_application(opportunity=opp, user=world.member, statement="first")
    login(client, world.member)
    response = post(client, _apply_url(opp), {"statement": "second"})
    assert response.status_code == 400
    assert "already applied" in response.get_data(as_text=True)
    assert _count() == 1
    assert db.session.scalar(select(Application.statement)) == "first"


def test_applying_after_the_deadline_is_refused(client, world):
    opp = make_opportunity(group=world.group, deadline=utcnow().date() - timedelta(days=1))
    login(client, world.member)
    response = post(client, _apply_url(opp), {"statement": "late"})
    assert response.status_code == 400
    assert "deadline" in response.get_data(as_text=True)
    assert _count() == 0


def test_applying_to_a_closed_opportunity_is_refused(client, world):
    opp = make_opportunity(group=world.group, status=OpportunityStatus.CLOSED)
    login(client, world.member)
    response = post(client, _apply_url(opp), {"statement": "hello"})
    assert response.status_code == 400
    assert "not taking applications" in response.get_data(as_text=True)
    assert _count() == 0


def test_a_missing_required_answer_is_refused(client, world):
    opp = make_opportunity(group=world.group, questions=QUESTIONS)
    login(client, world.member)
    data = _answers(opp)
    del data[f"q_{opp.questions[3].id}"]
    response = post(client, _apply_url(opp), data)
    assert response.status_code == 400
    assert _count() == 0 and _count(ApplicationAnswer) == 0


def test_answers_to_another_opportunitys_questions_are_refused(client, world):
    opp = make_opportunity(group=world.group, questions=QUESTIONS[:1])
    other = make_opportunity(group=world.group, questions=QUESTIONS[1:2])
    login(client, world.member)
    data = {"statement": "hi", f"q_{opp.questions[0].id}": "Workshops",
            f"q_{other.questions[0].id}": "sneaky"}
    response = post(client, _apply_url(opp), data)
    assert response.status_code == 400
    assert "not part of this opportunity" in response.get_data(as_text=True)
    assert _count() == 0


def test_a_choice_that_is_not_offered_is_refused(client, world):
    opp = make_opportunity(group=world.group, questions=QUESTIONS)
    login(client, world.member)
    response = post(client, _apply_url(opp), _answers(opp, **{
        f"q_{opp.questions[2].id}": "Midnight"}))
    assert response.status_code == 400
    assert _count() == 0


def test_tampered_status_field_is_ignored(client, world):
    opp = make_opportunity(group=world.group)
    login(client, world.member)
    post(client, _apply_url(opp), {"statement": "hi", "status": "accepted",
                                   "user_id": str(world.leader.id)})
    application = db.session.scalar(select(Application))
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.user_id == world.member.id


def test_ranking_choices_within_a_cycle(client, world):
    cycle = make_cycle(section=world.section, max_choices=2)
    a, b, c = (make_opportunity(group=world.group, cycle=cycle) for _ in range(3))
    login(client, world.member)
    assert post(client, _apply_url(a), {"statement": "one", "rank": "1"}).status_code == 302
    duplicate = post(client, _apply_url(b), {"statement": "two", "rank": "1"})
    assert duplicate.status_code == 400
    assert "different rank" in duplicate.get_data(as_text=True)
    out_of_range = post(client, _apply_url(b), {"statement": "two", "rank": "3"})
    assert out_of_range.status_code == 400
    assert post(client, _apply_url(b), {"statement": "two", "rank": "2"}).status_code == 302
    page = client.get(_apply_url(c)).get_data(as_text=True)
    assert "Choice 1: <a" in page and a.title in page and b.title in page
    too_many = post(client, _apply_url(c), {"statement": "three", "rank": "1"})
    assert too_many.status_code == 400
    assert "choices" in too_many.get_data(as_text=True)
    assert _count() == 2


def test_member_edits_until_the_deadline_and_withdraws(client, world):
    opp = make_opportunity(group=world.group)
    application = make_application(opportunity=opp, user=world.member, statement="old")
    login(client, world.member)
    url = f"/get-involved/applications/{application.id}"
    assert client.get(url + "/edit").status_code == 200
    assert post(client, url + "/edit", {"statement": "new"}).status_code == 302
    assert db.session.get(Application, application.id).statement == "new"
    assert post(client, url + "/withdraw").status_code == 302
    assert db.session.get(Application, application.id).status == ApplicationStatus.WITHDRAWN
    # Withdrawing again changes nothing and says so; applying again revives the application.
    assert post(client, url + "/withdraw").status_code == 302
    assert post(client, _apply_url(opp), {"statement": "back"}).status_code == 302
    assert db.session.get(Application, application.id).status == ApplicationStatus.SUBMITTED
    assert _count() == 1


def test_editing_after_the_deadline_is_refused(client, world):
    opp = make_opportunity(group=world.group)
    application = make_application(opportunity=opp, user=world.member, statement="old")
    opp.deadline = utcnow().date() - timedelta(days=1)
    login(client, world.member)
    url = f"/get-involved/applications/{application.id}"
    assert post(client, url + "/edit", {"statement": "new"}).status_code == 400
    post(client, url + "/withdraw")
    fresh = db.session.get(Application, application.id)
    assert fresh.statement == "old" and fresh.status == ApplicationStatus.SUBMITTED


def test_no_member_sees_another_members_application(client, world):
    opp = make_opportunity(group=world.group)
    application = make_application(opportunity=opp, user=world.member)
    login(client, world.group_member)
    url = f"/get-involved/applications/{application.id}"
    assert client.get(url).status_code == 404
    assert client.get(url + "/edit").status_code == 404
    assert post(client, url + "/withdraw").status_code == 404
    assert "I would love" not in client.get("/get-involved/mine").get_data(as_text=True)
    assert db.session.get(Application, application.id).status == ApplicationStatus.SUBMITTED


def test_banned_member_cannot_volunteer_in_that_group(client, world):
    opp = make_opportunity(group=world.group)
    elsewhere = make_opportunity(group=make_group(section=world.section))
    login(client, world.banned)
    assert post(client, _apply_url(opp), {"statement": "let me in"}).status_code == 403
    assert post(client, _apply_url(elsewhere), {"statement": "hi"}).status_code == 302
    assert _count() == 1


def test_suspended_and_unverified_members_cannot_apply(app, world):
    opp = make_opportunity(group=world.group)
    for user in (world.suspended, world.unverified):
        client = app.test_client()
        login(client, user)
        assert post(client, _apply_url(opp), {"statement": "hi"}).status_code == 403
    assert _count() == 0


def test_volunteer_profile_is_kept_once(client, world):
    login(client, world.member)
    data = {"interests": "mentoring, change management", "skills": "facilitation",
            "availability": "2 hours a month", "preferred_work": "short projects",
            "findable": "y"}
    assert post(client, "/get-involved/profile", data).status_code == 302
    assert db.session.scalar(select(VolunteerProfile.findable)) is True
    del data["findable"]
    assert post(client, "/get-involved/profile", {**data, "skills": "writing"}).status_code == 302
    profiles = list(db.session.scalars(select(VolunteerProfile)))
    assert len(profiles) == 1 and profiles[0].skills == "writing"
    assert profiles[0].findable is False
    too_long = post(client, "/get-involved/profile", {**data, "availability": "x" * 301})
    assert too_long.status_code == 400


def test_new_member_of_the_group_can_apply_to_a_private_groups_opportunity(client, world):
    opp = make_opportunity(group=world.private)
    outsider = make_user()
    login(client, outsider)
    assert client.get(f"/get-involved/o/{opp.id}").status_code == 404
    assert post(client, _apply_url(opp), {"statement": "hi"}).status_code == 404
    make_membership(group=world.private, user=outsider)
    assert post(client, _apply_url(opp), {"statement": "hi"}).status_code == 302


def test_a_second_choice_in_a_cycle_preselects_nothing_and_says_why(client, world):
    import re

    cycle = make_cycle(section=world.section, max_choices=3)
    a, b = (make_opportunity(group=world.group, cycle=cycle) for _ in range(2))
    login(client, world.member)
    first = client.get(_apply_url(a)).get_data(as_text=True)
    assert re.search(r'<option selected value="1">1</option>', first)  # nothing taken yet
    assert post(client, _apply_url(a), {"statement": "one", "rank": "1"}).status_code == 302
    page = client.get(_apply_url(b)).get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="rank".*?</select>', page, re.S).group(0)
    assert "selected" not in select_html.replace('<option selected value="">', "")
    assert f"1 — already your choice for {a.title}" in select_html
    assert "Nothing is chosen for you" in page
    # Sent as it came (no number picked): refused with the form's message, nothing saved.
    unpicked = post(client, _apply_url(b), {"statement": "two", "rank": ""})
    assert unpicked.status_code == 400 and "Rank this choice from 1 to 3" in \
        unpicked.get_data(as_text=True)
    assert post(client, _apply_url(b), {"statement": "two", "rank": "x"}).status_code == 400
    assert _count() == 1
