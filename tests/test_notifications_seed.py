"""The demo seed leaves something under lena's and priya's bells, and copes with less."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.notifications import seed as notifications_seed
from forum.notifications.models import Notification, Subscription
from tests.factories import make_group, make_group_member
from tests.factories_notifications import make_post, make_thread


def test_seed_gives_lena_and_priya_watches_and_unread_notifications(app):
    group = make_group()
    lena = make_group_member(group=group, username="lena")
    priya = make_group_member(group=group, username="priya")
    marcus = make_group_member(group=group, username="marcus")
    thread, opening = make_thread(group=group, author=lena)
    make_post(thread=thread, author=marcus, parent=opening, body="Good point @priya")
    make_post(thread=thread, author=priya, parent=opening)
    ctx = {"users": {"lena": lena, "priya": priya, "marcus": marcus}, "threads": [thread]}
    notifications_seed.seed(ctx)
    notifications_seed.seed(ctx)  # running again adds nothing
    for user in (lena, priya):
        unread = db.session.scalar(select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)))
        assert unread >= 1
        assert db.session.scalar(select(func.count(Subscription.id)).where(
            Subscription.user_id == user.id)) >= 1
    assert db.session.scalar(select(func.count(Notification.id))) == 4


def test_seed_is_defensive_about_missing_context(app):
    notifications_seed.seed({})
    notifications_seed.seed({"users": {}, "threads": []})
    assert db.session.scalar(select(func.count(Notification.id))) == 0
