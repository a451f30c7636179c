"""Members join, ask, accept invitations and leave; leaders approve, decline, invite, remove."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.groups.models import Group, JoinPolicy, Membership, MembershipStatus, Visibility
from forum.groups.services import ban
from tests.factories import make_group, make_user
from tests.helpers import login, post


def _status(group, user):
    return db.session.scalar(select(Membership.status).where(
        Membership.group_id == group.id, Membership.user_id == user.id))


def _count(group):
    return db.session.scalar(select(Group.member_count).where(Group.id == group.id))


def test_member_joins_an_open_group_at_once_and_twice_counts_once(client, world):
    login(client, world.member)
    before = _count(world.group)
    assert post(client, "/g/project-management/join").status_code == 302
    assert post(client, "/g/project-management/join").status_code == 403  # already in
    assert _status(world.group, world.member) == MembershipStatus.ACTIVE
    assert _count(world.group) == before + 1


def test_member_leaves_and_the_count_goes_down(client, world):
    login(client, world.group_member)
    before = _count(world.group)
    assert post(client, "/g/project-management/leave").status_code == 302
    assert _status(world.group, world.group_member) is None
    assert _count(world.group) == before - 1
    assert post(client, "/g/project-management/leave").status_code == 403


def test_a_leader_who_leaves_gives_up_the_role_and_keeps_the_history(client, world):
    from forum.groups.models import Appointment, Role
    from forum.permissions import Permissions

    login(client, world.leader)
    response = post(client, "/g/project-management/leave", follow=True)
    assert "Your roles in the group ended today" in response.get_data(as_text=True)
    terms = db.session.scalars(select(Appointment).where(
        Appointment.group_id == world.group.id, Appointment.user_id == world.leader.id,
        Appointment.role == Role.LEADER)).all()
    assert terms, "the leadership history keeps the term"
    assert Permissions(world.leader).can_lead(world.group) is False
    assert Permissions(world.leader).can_lead(world.private) is True  # other groups untouched


def test_asking_to_join_an_approval_group_mails_the_leaders(client, world, mail):
    world.group.join_policy = JoinPolicy.APPROVAL
    login(client, world.member)
    before = _count(world.group)
    post(client, "/g/project-management/join")
    assert _status(world.group, world.member) == MembershipStatus.PENDING
    assert _count(world.group) == before
    messages = mail.deliver()
    to_leader = mail.to(world.leader.email)
    assert to_leader and "asks to join" in to_leader[0]["Subject"]
    assert "/g/project-management/manage" in mail.text(to_leader[0])
    assert len(messages) == 1


def test_leader_approves_and_declines_requests(client, world, mail):
    world.group.join_policy = JoinPolicy.APPROVAL
    asker, other = make_user(username="asker"), make_user(username="other")
    for person in (asker, other):
        db.session.add(Membership(group=world.group, user=person,
                                  status=MembershipStatus.PENDING))
    before = _count(world.group)
    login(client, world.leader)
    page = client.get("/g/project-management/manage").get_data(as_text=True)
    assert "asker" in page
    post(client, f"/g/project-management/requests/{asker.id}/approve")
    post(client, f"/g/project-management/requests/{other.id}/decline")
    assert _status(world.group, asker) == MembershipStatus.ACTIVE
    assert _status(world.group, other) is None
    assert _count(world.group) == before + 1
    # Approving twice: the request is gone, nothing counts twice.
    assert post(client, f"/g/project-management/requests/{asker.id}/approve").status_code == 404
    assert _count(world.group) == before + 1
    mail.deliver()
    assert "approved" in mail.text(mail.to(asker.email)[0])
    assert mail.to(other.email)


def test_invited_person_accepts_on_the_group_page(client, world, mail):
    world.private.join_policy = JoinPolicy.INVITE
    guest = make_user(username="guest")
    login(client, world.leader)
    post(client, "/g/nominating/invite", {"who": "guest"})
    assert _status(world.private, guest) == MembershipStatus.INVITED
    mail.deliver()
    assert "Invitation to join" in mail.to(guest.email)[0]["Subject"]
    client2 = client.application.test_client()
    login(client2, guest)
    page = client2.get("/g/nominating").get_data(as_text=True)
    assert "Accept invitation" in page
    assert "Accept invitation" in client2.get("/groups/mine").get_data(as_text=True)
    before = _count(world.private)
    post(client2, "/g/nominating/join")
    assert _status(world.private, guest) == MembershipStatus.ACTIVE
    assert _count(world.private) == before + 1


def test_invited_person_may_decline(client, world):
    guest = make_user(username="guest")
    login(client, world.leader)
    post(client, "/g/nominating/invite", {"who": guest.email})
    client2 = client.application.test_client()
    login(client2, guest)
    post(client2, "/g/nominating/leave")
    assert _status(world.private, guest) is None
    assert client2.get("/g/nominating").status_code == 404


def test_inviting_nobody_is_a_form_error_and_changes_nothing(client, world):
    login(client, world.leader)
    response = post(client, "/g/project-management/invite", {"who": "ghost"})
    assert response.status_code == 400
    assert "No member has that" in response.get_data(as_text=True)
    assert db.session.scalar(select(Membership).where(
        Membership.status == MembershipStatus.INVITED)) is None


def test_invite_only_group_cannot_be_joined_without_an_invitation(client, world):
    group = make_group(section=world.section, join_policy=JoinPolicy.INVITE,
                       visibility=Visibility.PUBLIC)
    login(client, world.member)
    assert post(client, f"/g/{group.slug}/join").status_code == 403
    assert _status(group, world.member) is None


def test_leader_removes_a_member_but_not_a_fellow_leader(client, world):
    login(client, world.leader)
    before = _count(world.group)
    post(client, f"/g/project-management/members/{world.group_member.id}/remove")
    assert _status(world.group, world.group_member) is None
    assert _count(world.group) == before - 1
    co_chair = make_user(username="cochair")
    from forum.groups.models import Role
    from tests.factories import appoint, make_membership
    make_membership(group=world.group, user=co_chair)
    appoint(user=co_chair, group=world.group, role=Role.LEADER, title="Co-chair")
    response = post(client, f"/g/project-management/members/{co_chair.id}/remove")
    assert response.status_code == 403
    assert _status(world.group, co_chair) == MembershipStatus.ACTIVE


def test_member_id_of_another_group_is_404(client, world):
    login(client, world.leader)
    response = post(client, f"/g/project-management/members/{world.other_member.id}/remove")
    assert response.status_code == 404
    assert _status(world.other, world.other_member) == MembershipStatus.ACTIVE


def test_ban_keeps_member_count_in_step(world):
    before = _count(world.group)
    ban(world.group, world.group_member)
    ban(world.group, world.group_member)
    db.session.commit()
    assert _count(world.group) == before - 1


def test_csv_export_defuses_formulas(client, world):
    evil = make_user(username="evil", display_name="=HYPERLINK(\"http://x\")")
    from tests.factories import make_membership
    make_membership(group=world.group, user=evil)
    login(client, world.leader)
    response = client.get("/g/project-management/members.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert "'=HYPERLINK" in body and "\n=HYPERLINK" not in body
    assert world.group_member.email in body
