"""Mail that must never become a post: each case posts nothing; a person is told why (one mail
through the outbox), a machine is not answered at all (no mail loops)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update

from forum.db import utcnow
from forum.discussions.models import PostStatus, Thread
from forum.discussions.services import unpublish_post
from forum.extensions import db
from forum.groups.models import Membership, MembershipStatus, Visibility
from forum.inbound.receiving import Outcome, receive
from forum.mailing.models import Delivery
from forum.notifications.addresses import group_address, reply_address
from tests.factories import make_group, make_group_member, make_user
from tests.factories_inbound import Scene, simple_mail


def _told(address: str) -> list[str]:
    """The text of each mail queued to ``address``."""
    return list(db.session.scalars(select(Delivery.body_text)
                                   .where(Delivery.to_address == address)))


def _refused(scene, raw, to, *, sender="tom@example.org") -> str:
    """Deliver ``raw``; assert nothing was posted and one refusal went to the sender."""
    before, told_before = scene.posts(), _told(sender)
    (result,) = receive(raw, [to])
    assert result.outcome == Outcome.REFUSED and result.accepted
    assert scene.posts() == before
    (told,) = _told(sender)[len(told_before):]
    assert result.detail in told
    return result.detail


MACHINES = [
    ({"Auto-Submitted": "auto-replied"}, "tom@example.org"),  # a vacation notice
    ({"X-Autoreply": "yes"}, "tom@example.org"),
    ({"Precedence": "bulk"}, "tom@example.org"),
    ({"X-Auto-Response-Suppress": "All"}, "tom@example.org"),
    ({"Return-Path": "<>"}, None),
    ({}, ""),  # a bounce: MAIL FROM:<>
]


def test_machine_mail_is_dropped_silently(app):
    scene = Scene()
    for headers, envelope in MACHINES:
        raw = simple_mail(sender="tom@example.org", to=scene.reply_to, subject="Out of office",
                          headers=headers)
        (result,) = receive(raw, [scene.reply_to], envelope)
        assert result.outcome == Outcome.DROPPED and result.accepted, headers
    report = (f"From: MAILER-DAEMON@mx.example.org\r\nTo: {scene.reply_to}\r\nSubject: fail\r\n"
              "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;"
              " boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n--b--\r\n")
    (result,) = receive(report.encode(), [scene.reply_to], "")
    assert result.outcome == Outcome.DROPPED
    assert len(scene.posts()) == 1 and _told("tom@example.org") == []


def test_who_and_which_address_may_not_post(app):
    scene = Scene()
    # An altered reply address names nobody.
    local, domain = scene.reply_to.split("@")
    altered = f"{local[:-1]}{'0' if local[-1] != '0' else '1'}@{domain}"
    reason = _refused(scene, simple_mail(sender="tom@example.org", to=altered), altered)
    assert "not a valid reply address" in reason
    # Tom forwarded his mail to Priya; her answer must not post as Tom (nor as her).
    make_group_member(group=scene.group, email="priya@example.org")
    raw = simple_mail(sender="priya@example.org", to=scene.reply_to)
    reason = _refused(scene, raw, scene.reply_to, sender="priya@example.org")
    assert "sent to another member" in reason
    # Nobody's address.
    raw = simple_mail(sender="stranger@example.net", to=scene.group_to, subject="Hello")
    reason = _refused(scene, raw, scene.group_to, sender="stranger@example.net")
    assert "No member of the forum has the address stranger@example.net" in reason
    # An account whose address is not confirmed.
    make_user(email="new@example.org", verified=False)
    db.session.commit()
    raw = simple_mail(sender="new@example.org", to=scene.group_to, subject="Hi")
    assert "not confirmed" in _refused(scene, raw, scene.group_to, sender="new@example.org")


def test_a_reply_to_a_removed_or_vanished_post_is_refused(app):
    scene = Scene()
    gone = reply_address(999_999, scene.tom.id)
    reason = _refused(scene, simple_mail(sender="tom@example.org", to=gone), gone)
    assert "has been removed" in reason
    unpublish_post(scene.opening, PostStatus.DELETED)
    db.session.commit()
    reason = _refused(scene, simple_mail(sender="tom@example.org", to=scene.reply_to),
                      scene.reply_to)
    assert "has been removed" in reason


def test_a_reply_in_a_locked_thread_is_refused(app):
    scene = Scene()
    db.session.execute(update(Thread).where(Thread.id == scene.thread.id).values(locked=True))
    db.session.commit()
    reason = _refused(scene, simple_mail(sender="tom@example.org", to=scene.reply_to),
                      scene.reply_to)
    assert "is locked" in reason


def test_a_member_banned_from_or_gone_from_the_group_cannot_post(app):
    scene = Scene()
    mine = Membership.user_id == scene.tom.id
    db.session.execute(update(Membership).where(mine).values(
        status=MembershipStatus.BANNED, banned_until=utcnow() + timedelta(days=9)))
    db.session.commit()
    for to in (scene.reply_to, scene.group_to):
        (result,) = receive(simple_mail(sender="tom@example.org", to=to), [to])
        assert result.outcome == Outcome.REFUSED and "banned from" in result.detail
    db.session.execute(delete(Membership).where(mine))  # then he leaves
    db.session.commit()
    for to in (scene.reply_to, scene.group_to):
        (result,) = receive(simple_mail(sender="tom@example.org", to=to), [to])
        assert result.outcome == Outcome.REFUSED and "Only members" in result.detail
    assert len(scene.posts()) == 1 and len(_told("tom@example.org")) == 4


def test_a_mail_with_no_text_or_a_thread_with_no_subject_is_refused(app):
    scene = Scene()
    raw = simple_mail(sender="tom@example.org", to=scene.reply_to,
                      body="On Mon, Lena wrote:\n> Here is mine.\n\n-- \nTom\n")
    assert "no text of yours" in _refused(scene, raw, scene.reply_to)
    raw = simple_mail(sender="tom@example.org", to=scene.group_to, subject="")
    assert "subject" in _refused(scene, raw, scene.group_to)


def test_a_private_group_is_not_named_to_outsiders(app):
    scene = Scene()
    private = make_group(slug="board", name="The Secret Board", visibility=Visibility.PRIVATE)
    db.session.commit()
    to = group_address(private.slug)
    reason = _refused(scene, simple_mail(sender="tom@example.org", to=to, subject="Hi"), to)
    assert "Secret" not in reason


def test_oversized_malformed_and_unknown_mail_is_refused_to_the_mta(app):
    scene = Scene()
    app.config["MAIL_INBOUND_MAX_BYTES"] = 2000
    big = simple_mail(sender="tom@example.org", to=scene.reply_to, body="x" * 3000)
    assert receive(big, [scene.reply_to])[0].outcome == Outcome.TOO_BIG
    broken = (f"From: tom@example.org\r\nTo: {scene.reply_to}\r\nSubject: s\r\nMIME-Version: 1.0"
              "\r\nContent-Type: multipart/mixed\r\n\r\nno boundary\r\n").encode()
    assert receive(broken, [scene.reply_to])[0].outcome == Outcome.UNREADABLE
    for to in ("nosuchgroup@forum.localhost", "pm@elsewhere.example"):
        raw = simple_mail(sender="tom@example.org", to=to)
        assert receive(raw, [to])[0].outcome == Outcome.UNKNOWN_RECIPIENT
    assert len(scene.posts()) == 1 and _told("tom@example.org") == []


def test_refusals_to_one_address_are_capped(app):
    """A flood of forged mail must not make the forum flood the forged address."""
    scene = Scene()
    app.config["MAIL_INBOUND_REFUSALS_PER_HOUR"] = 2
    for n in range(4):
        raw = simple_mail(sender="victim@example.net", to=scene.group_to, subject=f"Spam {n}")
        assert receive(raw, [scene.group_to])[0].outcome == Outcome.REFUSED
    assert len(_told("victim@example.net")) == 2 and len(scene.posts()) == 1
