"""Private answers by mail (issue 24): a post's mail says "Reply" for its author alone and
"Reply all" for the group; a private answer is passed on, never posted, and the two members
never see each other's address."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from forum.db import utcnow
from forum.discussions.models import Post
from forum.extensions import db
from forum.groups.models import Membership, MembershipStatus
from forum.inbound.receiving import Outcome, receive
from forum.mailing.models import Delivery
from forum.notifications.addresses import private_address, read_private_token, read_reply_token
from forum.notifications.models import MailMode
from forum.notifications.services import post_published
from tests.factories import make_group_member
from tests.factories_inbound import Scene, simple_mail
from tests.factories_notifications import make_post, subscribe


def _private(scene) -> str:
    """Tom's private address for Lena, as his copy of her opening post carries it."""
    return private_address(scene.opening.id, scene.lena.id, scene.tom.id)


def _posts() -> int:
    return db.session.scalar(select(func.count(Post.id)))


def _private_mail_to(address: str) -> list[Delivery]:
    return list(db.session.scalars(select(Delivery).where(
        Delivery.to_address == address, Delivery.subject.like("%(private)"))))


def test_a_post_mail_answers_its_author_privately_and_the_group_with_reply_all(app, mail):
    scene = Scene()
    subscribe(user=scene.tom, group=scene.group, mode=MailMode.EACH)
    reply = make_post(thread=scene.thread, author=scene.lena, parent=scene.opening,
                      body="And the spreadsheet.")
    post_published(reply)
    db.session.commit()
    (msg,) = mail.deliver()
    (private,) = msg["Reply-To"].addresses
    assert private.display_name == "Lena Ortiz (privately)"
    assert read_private_token(private.username) == (reply.id, scene.lena.id, scene.tom.id)
    (group,) = msg["Cc"].addresses
    assert group.display_name == "Project Management Interest Group"
    assert read_reply_token(group.username) == (reply.id, scene.tom.id)
    assert msg["List-Post"] == f"<mailto:{group.addr_spec}>"
    assert mail.recipients == [["tom@example.org"]]  # the Cc is for Tom's "Reply all" only
    assert scene.lena.email not in str(msg)  # Tom never learns Lena's address
    assert "Reply to answer Lena Ortiz alone, privately." in mail.text(msg)


def test_a_private_answer_reaches_the_author_alone_and_their_answer_comes_back(app, mail):
    scene = Scene()
    before = _posts()
    raw = simple_mail(sender="tom@example.org", to=_private(scene), subject="Re: Budget",
                      body="Could you send me yours directly?")
    (result,) = receive(raw, [_private(scene)], "tom@example.org")
    assert result.outcome == Outcome.RELAYED
    assert _posts() == before  # nothing posted
    (sent,) = mail.deliver()
    assert sent["To"] == scene.lena.email
    assert sent["From"].addresses[0].display_name.startswith(scene.tom.display_name + " via")
    assert "tom@example.org" not in str(sent)  # Lena never learns Tom's address
    assert sent["Subject"] == "Re: Budget (private)"
    assert "Could you send me yours directly?" in mail.text(sent)
    assert "answered you privately" in mail.text(sent)
    (back,) = sent["Reply-To"].addresses
    assert read_private_token(back.username) == (scene.opening.id, scene.tom.id, scene.lena.id)
    answer = simple_mail(sender=scene.lena.email, to=back.addr_spec, body="Here it is.")
    assert receive(answer, [back.addr_spec])[0].outcome == Outcome.RELAYED
    (to_tom,) = mail.deliver()[1:]
    assert to_tom["To"] == "tom@example.org" and "Here it is." in mail.text(to_tom)
    assert scene.lena.email not in str(to_tom)


def test_reply_all_is_posted_to_the_group_and_not_passed_on_as_well(app):
    scene = Scene()
    raw = simple_mail(sender="tom@example.org", to=_private(scene), body="For everyone.",
                      headers={"Cc": scene.reply_to})
    private, group = receive(raw, [_private(scene), scene.reply_to], "tom@example.org")
    assert private.outcome == Outcome.DUPLICATE and "posted there" in private.detail
    assert group.outcome == Outcome.POSTED
    assert _private_mail_to(scene.lena.email) == []


def test_the_same_answer_delivered_twice_is_passed_on_once(app):
    scene = Scene()
    raw = simple_mail(sender="tom@example.org", to=_private(scene), message_id="<p-1@x.org>")
    outcomes = [receive(raw, [_private(scene)])[0].outcome for _ in range(2)]
    assert outcomes == [Outcome.RELAYED, Outcome.DUPLICATE]
    assert len(_private_mail_to(scene.lena.email)) == 1


def test_a_private_address_works_only_for_its_member_while_they_may_see_the_post(app):
    scene = Scene()
    priya = make_group_member(group=scene.group, username="priya", email="priya@example.org")
    db.session.commit()
    forged = simple_mail(sender="priya@example.org", to=_private(scene))
    (result,) = receive(forged, [_private(scene)])
    assert result.outcome == Outcome.REFUSED and "sent to another member" in result.detail
    altered = _private(scene).replace("private+", "private+1")
    assert receive(simple_mail(sender="tom@example.org", to=altered), [altered])[0].detail \
        .startswith("The address you wrote to is not a valid private reply address")
    db.session.execute(update(Membership).where(Membership.user_id == scene.tom.id).values(
        status=MembershipStatus.BANNED, banned_until=utcnow() + timedelta(days=9)))
    db.session.commit()
    (result,) = receive(simple_mail(sender="tom@example.org", to=_private(scene)),
                        [_private(scene)])
    assert result.outcome == Outcome.REFUSED and "no longer there for you" in result.detail
    assert _private_mail_to(scene.lena.email) == []  # Lena heard nothing
    told = db.session.scalars(select(Delivery.to_address).where(
        Delivery.subject.like("Your private answer was not passed on%"))).all()
    assert sorted(told) == [priya.email, "tom@example.org", "tom@example.org"]
    assert not db.session.scalar(select(Delivery.id).where(
        Delivery.subject.like("Your mail was not posted%")))
    bodies = db.session.scalars(select(Delivery.body_text).where(
        Delivery.to_address == priya.email)).all()
    assert any("was not passed on to the member you answered" in b and
               "sent to another member" in b for b in bodies)


def test_private_answers_are_limited_per_hour(app):
    scene = Scene()
    app.config["MAIL_PRIVATE_ANSWERS_PER_HOUR"] = 1
    first, second = (simple_mail(sender="tom@example.org", to=_private(scene), body=body)
                     for body in ("One.", "Two."))
    assert receive(first, [_private(scene)])[0].outcome == Outcome.RELAYED
    (result,) = receive(second, [_private(scene)])
    assert result.outcome == Outcome.REFUSED and "the most we pass on" in result.detail
    assert len(_private_mail_to(scene.lena.email)) == 1
