"""Who hears about a new post: replies, @mentions, watchers — and only people who may read it."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.groups.models import Visibility
from forum.mailing.models import Delivery
from forum.notifications.models import (
    MailMode,
    Notification,
    NotificationKind,
    NotificationSettings,
    Subscription,
)
from forum.notifications.services import post_published
from forum.querycount import count_queries
from tests.factories import make_group, make_group_member, make_user
from tests.factories_notifications import make_post, make_thread, subscribe


def _notes(post):
    return {n.user_id: n.kind for n in db.session.scalars(
        select(Notification).where(Notification.post_id == post.id))}


def _deliveries():
    return list(db.session.scalars(select(Delivery).order_by(Delivery.id)))


def test_reply_notifies_the_author_of_the_post_answered(app):
    group = make_group()
    lena, priya = make_group_member(group=group), make_group_member(group=group)
    thread, opening = make_thread(group=group, author=lena)
    reply = make_post(thread=thread, author=priya, parent=opening)
    post_published(reply)
    assert _notes(reply) == {lena.id: NotificationKind.REPLY}


def test_mention_notifies_the_member_named_case_insensitively(app):
    group = make_group()
    lena = make_group_member(group=group, username="Lena")
    priya = make_group_member(group=group)
    _, post = make_thread(group=group, author=priya, body="What do you think, @LENA?")
    post_published(post)
    assert _notes(post) == {lena.id: NotificationKind.MENTION}


def test_mentions_in_code_and_unknown_names_notify_nobody(app):
    group = make_group()
    make_group_member(group=group, username="lena")
    priya = make_group_member(group=group)
    _, post = make_thread(group=group, author=priya,
                          body="Use `@lena` in code, and @nobody-here.\n\n    @lena indented")
    post_published(post)
    assert _notes(post) == {}


def test_private_group_post_never_notifies_an_outsider(app):
    group = make_group(visibility=Visibility.PRIVATE)
    insider = make_group_member(group=group)
    outsider = make_user(username="outsider")
    subscribe(user=outsider, group=group, watching=True, mode=MailMode.EACH)
    _, post = make_thread(group=group, author=insider, body="Only for us, @outsider.")
    post_published(post)
    assert _notes(post) == {}
    assert _deliveries() == []


def test_unverified_and_suspended_members_are_not_told(app):
    group = make_group(visibility=Visibility.PUBLIC)
    author = make_group_member(group=group)
    make_user(username="unverified", verified=False)
    _, post = make_thread(group=group, author=author, body="Hello @unverified")
    post_published(post)
    assert _notes(post) == {}


def test_watchers_get_one_notification_with_the_strongest_reason(app):
    group = make_group()
    lena, priya, tom = (make_group_member(group=group) for _ in range(3))
    thread, opening = make_thread(group=group, author=lena)
    subscribe(user=tom, group=group, watching=True)
    subscribe(user=lena, group=group, watching=True)
    reply = make_post(thread=thread, author=priya, parent=opening, body="Agreed, @" +
                      lena.username)
    post_published(reply)
    notes = _notes(reply)
    assert notes[lena.id] == NotificationKind.REPLY
    assert notes[tom.id] == NotificationKind.WATCHED_GROUP
    assert priya.id not in notes


def test_author_auto_watches_the_thread_unless_turned_off(app):
    group = make_group()
    lena, priya = make_group_member(group=group), make_group_member(group=group)
    db.session.add(NotificationSettings(user_id=priya.id, auto_watch=False))
    thread, opening = make_thread(group=group, author=lena)
    post_published(opening)
    reply = make_post(thread=thread, author=priya, parent=opening)
    post_published(reply)
    watchers = set(db.session.scalars(select(Subscription.user_id).where(
        Subscription.thread_id == thread.id, Subscription.watching.is_(True))))
    assert watchers == {lena.id}


def test_muted_thread_stays_quiet_for_a_group_watcher(app):
    group = make_group()
    lena, tom = make_group_member(group=group), make_group_member(group=group)
    thread, opening = make_thread(group=group, author=lena)
    subscribe(user=tom, group=group, watching=True, mode=MailMode.EACH)
    subscribe(user=tom, thread=thread, watching=False)
    reply = make_post(thread=thread, author=lena, parent=opening)
    post_published(reply)
    assert _notes(reply) == {}
    assert _deliveries() == []


def test_each_post_mode_queues_a_mail_in_the_same_transaction(app):
    group = make_group()
    lena, tom = make_group_member(group=group), make_group_member(group=group)
    subscribe(user=tom, group=group, mode=MailMode.EACH)
    _, post = make_thread(group=group, author=lena)
    post_published(post)
    (delivery,) = _deliveries()
    assert delivery.to_address == tom.email
    assert group.name in delivery.subject


def test_publishing_twice_adds_nothing(app):
    group = make_group()
    lena, tom = make_group_member(group=group), make_group_member(group=group)
    subscribe(user=tom, group=group, watching=True, mode=MailMode.EACH)
    _, post = make_thread(group=group, author=lena)
    post_published(post)
    post_published(post)
    assert db.session.scalar(select(func.count(Notification.id))) == 1
    assert len(_deliveries()) == 1


def test_held_post_is_not_announced(app):
    from forum.discussions.models import PostStatus

    group = make_group()
    lena, tom = make_group_member(group=group), make_group_member(group=group)
    subscribe(user=tom, group=group, watching=True, mode=MailMode.EACH)
    _, post = make_thread(group=group, author=lena, status=PostStatus.PENDING)
    post_published(post)
    assert _notes(post) == {} and _deliveries() == []
    post.status = PostStatus.PUBLISHED  # a moderator approves it
    post_published(post)
    assert _notes(post) == {tom.id: NotificationKind.WATCHED_GROUP}


def _publish_with_watchers(n: int) -> int:
    group = make_group()
    author = make_group_member(group=group)
    for _ in range(n):
        user = make_group_member(group=group)
        subscribe(user=user, group=group, watching=True, mode=MailMode.EACH)
    thread, opening = make_thread(group=group, author=author)
    reply = make_post(thread=thread, author=author, parent=opening, body="Update for all")
    db.session.flush()
    with count_queries() as q:
        post_published(reply)
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.post_id == reply.id)) == n
    return len(q)


def test_two_hundred_watchers_cost_the_same_queries_as_two(app):
    few = _publish_with_watchers(2)
    many = _publish_with_watchers(200)
    assert many == few
    assert many <= 12
