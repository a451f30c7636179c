"""Leaders and section admins review applications: accept (which appoints), decline, waitlist."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.groups.models import Appointment, Group, GroupKind, Membership, MembershipStatus, Role
from forum.mailing.models import Delivery
from forum.volunteering.models import Application, ApplicationStatus, Opportunity
from tests.factories import make_group, make_leader, make_section, make_user
from tests.factories_volunteering import make_application, make_opportunity, make_profile
from tests.helpers import login
from tests.helpers import post as _post


def post(client, url, data=None, **kwargs):
    return _post(client, url, data, token_from="/get-involved/", **kwargs)


def _decide(client, application, action, **extra):
    return post(client, f"/get-involved/applications/{application.id}/decide",
                {"action": action, **extra})


def _status(application):
    return db.session.get(Application, application.id).status


def test_accepting_appoints_the_volunteer_and_tells_them(client, world, mail):
    team = make_group(section=world.section, kind=GroupKind.PROJECT_TEAM,
                      name="Interest Group Week Project Team")
    chair = make_leader(group=team)
    opp = make_opportunity(group=team, role_title="Coordinator", openings=2)
    application = make_application(opportunity=opp, user=world.member)
    count_before = team.member_count
    login(client, chair)
    response = _decide(client, application, "accept", message="Welcome!")
    assert response.status_code == 302
    assert _status(application) == ApplicationStatus.ACCEPTED
    membership = db.session.scalar(select(Membership).where(
        Membership.group_id == team.id, Membership.user_id == world.member.id))
    assert membership.status == MembershipStatus.ACTIVE
    assert db.session.get(Group, team.id).member_count == count_before + 1
    appointment = db.session.scalar(select(Appointment).where(
        Appointment.user_id == world.member.id, Appointment.group_id == team.id))
    assert appointment.role == Role.EDITOR and appointment.title == "Coordinator"
    assert (appointment.starts_on, appointment.ends_on) == (opp.term_starts_on, opp.term_ends_on)
    assert appointment.appointed_by_id == chair.id
    assert db.session.get(Opportunity, opp.id).filled_count == 1
    received = mail.deliver()
    assert len(mail.to(world.member.email)) == 1
    body = mail.text(received[0])
    assert "Coordinator" in body and "Welcome!" in body


def test_accepting_to_lead_an_interest_group_appoints_a_leader(client, world):
    group = make_group(section=world.section, name="Change Management Interest Group")
    opp = make_opportunity(group=group, role=Role.LEADER, role_title="Convener", openings=1)
    application = make_application(opportunity=opp, user=world.member)
    login(client, world.section_admin)
    assert _decide(client, application, "accept").status_code == 302
    appointment = db.session.scalar(select(Appointment).where(
        Appointment.user_id == world.member.id, Appointment.group_id == group.id))
    assert appointment.role == Role.LEADER and appointment.title == "Convener"


def test_accepting_beyond_openings_needs_the_reviewer_to_confirm(client, world):
    opp = make_opportunity(group=world.group, openings=1, filled_count=1)
    application = make_application(opportunity=opp, user=world.member)
    login(client, world.leader)
    response = _decide(client, application, "accept")
    assert response.status_code == 400
    assert "accept beyond openings" in response.get_data(as_text=True)
    assert _status(application) == ApplicationStatus.SUBMITTED
    assert db.session.scalar(select(func.count(Appointment.id)).where(
        Appointment.user_id == world.member.id)) == 0
    assert db.session.scalar(select(func.count(Delivery.id))) == 0
    assert _decide(client, application, "accept", beyond_openings="y").status_code == 302
    assert _status(application) == ApplicationStatus.ACCEPTED
    assert db.session.get(Opportunity, opp.id).filled_count == 2


def test_decline_with_a_message_and_waitlist_each_send_mail(client, world, mail):
    opp = make_opportunity(group=world.group)
    declined = make_application(opportunity=opp, user=world.member)
    waitlisted = make_application(opportunity=opp, user=world.other_member)
    login(client, world.leader)
    _decide(client, declined, "decline", message="We had many strong applicants.")
    _decide(client, waitlisted, "waitlist")
    assert _status(declined) == ApplicationStatus.DECLINED
    assert _status(waitlisted) == ApplicationStatus.WAITLISTED
    mail.deliver()
    assert "many strong applicants" in mail.text(mail.to(world.member.email)[0])
    assert "waiting list" in mail.text(mail.to(world.other_member.email)[0])
    # Waitlisted can still be accepted later; declined cannot be waitlisted.
    assert _decide(client, declined, "waitlist").status_code == 400
    assert _status(declined) == ApplicationStatus.DECLINED
    _decide(client, waitlisted, "accept")
    assert _status(waitlisted) == ApplicationStatus.ACCEPTED


def test_deciding_twice_is_idempotent(client, world):
    opp = make_opportunity(group=world.group)
    application = make_application(opportunity=opp, user=world.member)
    login(client, world.leader)
    _decide(client, application, "accept")
    _decide(client, application, "accept")
    assert db.session.get(Opportunity, opp.id).filled_count == 1
    assert db.session.scalar(select(func.count(Delivery.id))) == 1


def test_several_applications_are_decided_at_once(client, world):
    opp = make_opportunity(group=world.group, openings=5)
    apps = [make_application(opportunity=opp, user=make_user()) for _ in range(3)]
    login(client, world.leader)
    response = post(client, "/get-involved/review/decide", {
        "application_id": [str(a.id) for a in apps], "action": "accept"})
    assert response.status_code == 302
    assert {_status(a) for a in apps} == {ApplicationStatus.ACCEPTED}
    assert db.session.get(Opportunity, opp.id).filled_count == 3


def test_bulk_decision_is_all_or_nothing_when_openings_run_out(client, world):
    opp = make_opportunity(group=world.group, openings=1)
    apps = [make_application(opportunity=opp, user=make_user()) for _ in range(2)]
    login(client, world.leader)
    post(client, "/get-involved/review/decide", {
        "application_id": [str(a.id) for a in apps], "action": "accept"})
    assert {_status(a) for a in apps} == {ApplicationStatus.SUBMITTED}
    assert db.session.get(Opportunity, opp.id).filled_count == 0
    assert db.session.scalar(select(func.count(Appointment.id)).where(
        Appointment.group_id == world.group.id, Appointment.role == Role.EDITOR)) == 0


def test_a_tampered_decision_is_refused(client, world):
    opp = make_opportunity(group=world.group)
    application = make_application(opportunity=opp, user=world.member)
    login(client, world.leader)
    assert _decide(client, application, "accepted_forever").status_code == 400
    assert post(client, "/get-involved/review/decide", {
        "application_id": ["abc"], "action": "accept"}).status_code == 303
    assert _status(application) == ApplicationStatus.SUBMITTED


def test_a_leader_reviews_only_their_own_groups_applications(client, world):
    mine = make_opportunity(group=world.group, title="My committee seat")
    theirs_group = make_group(section=world.section, name="Someone else's team")
    theirs = make_opportunity(group=theirs_group, title="Their team seat")
    make_application(opportunity=mine, user=world.member, statement="for mine")
    other_app = make_application(opportunity=theirs, user=world.member, statement="for theirs")
    login(client, world.leader)
    html = client.get("/get-involved/review").get_data(as_text=True)
    assert "My committee seat" in html and "Their team seat" not in html
    assert client.get(f"/get-involved/applications/{other_app.id}").status_code == 404
    assert _decide(client, other_app, "accept").status_code == 404
    assert post(client, "/get-involved/review/decide", {
        "application_id": [str(other_app.id)], "action": "accept"}).status_code == 404
    assert _status(other_app) == ApplicationStatus.SUBMITTED


def test_section_admins_review_their_sections_applications_only(client, world):
    here = make_opportunity(group=make_group(section=world.section), title="Here seat")
    there = make_opportunity(group=make_group(section=make_section()), title="There seat")
    a = make_application(opportunity=here, user=world.member)
    b = make_application(opportunity=there, user=world.member)
    login(client, world.section_admin)
    assert client.get(f"/get-involved/applications/{a.id}").status_code == 200
    assert client.get(f"/get-involved/applications/{b.id}").status_code == 404


def test_reviewer_reads_the_application_with_the_volunteer_profile(client, world):
    opp = make_opportunity(group=world.group)
    application = make_application(opportunity=opp, user=world.member)
    make_profile(user=world.member, interests="mentoring new librarians")
    login(client, world.leader)
    html = client.get(f"/get-involved/applications/{application.id}").get_data(as_text=True)
    assert "mentoring new librarians" in html and "Accept beyond openings" in html


def test_review_table_filters_and_sorts(client, world):
    a = make_opportunity(group=world.group, title="Alpha seat")
    b = make_opportunity(group=world.group, title="Beta seat")
    make_application(opportunity=a, user=make_user(display_name="Zed Applicant"))
    make_application(opportunity=b, user=make_user(display_name="Amy Applicant"),
                     status=ApplicationStatus.WAITLISTED)
    login(client, world.leader)
    html = client.get(f"/get-involved/review?opportunity={a.id}").get_data(as_text=True)
    assert "Zed Applicant" in html and "Amy Applicant" not in html
    html = client.get("/get-involved/review?status=waitlisted").get_data(as_text=True)
    assert "Amy Applicant" in html and "Zed Applicant" not in html
    html = client.get("/get-involved/review?sort=name").get_data(as_text=True)
    assert html.index("Amy Applicant") < html.index("Zed Applicant")
    assert client.get("/get-involved/review?status=bogus").status_code == 400
    assert client.get("/get-involved/review?sort=evil").status_code == 400


def test_a_volunteer_banned_from_the_group_cannot_be_accepted(client, world):
    opp = make_opportunity(group=world.group)
    application = make_application(opportunity=opp, user=world.banned)
    login(client, world.leader)
    response = _decide(client, application, "accept")
    assert response.status_code == 400 and "banned" in response.get_data(as_text=True)
    assert _status(application) == ApplicationStatus.SUBMITTED
    assert db.session.get(Opportunity, opp.id).filled_count == 0
