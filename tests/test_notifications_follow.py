"""Following a notification to its post marks it read — through the thread page's mark-read
POST (its script, or its button without JavaScript), never by the GET that shows the post —
and "Mark all read" shows only to those who have something to mark."""

from __future__ import annotations

import re

from sqlalchemy import select

from forum.extensions import db
from forum.groups.models import Visibility
from forum.notifications.models import Notification, NotificationKind
from tests.factories import make_group, make_group_member, make_user
from tests.factories_notifications import make_post, make_thread
from tests.helpers import login, logout, post


def _note(user, thread, p):
    note = Notification(user_id=user.id, post_id=p.id, thread_id=thread.id,
                        group_id=thread.group_id, actor_id=p.author_id,
                        kind=NotificationKind.REPLY)
    db.session.add(note)
    db.session.flush()
    return note


def _read_at(note):
    return db.session.scalar(select(Notification.read_at).where(Notification.id == note.id))


def test_following_a_notification_marks_it_read_by_the_pages_post(app, client):
    group = make_group(slug="pm", visibility=Visibility.PUBLIC)
    lena, tom = make_group_member(group=group), make_group_member(group=group)
    thread, opening = make_thread(group=group, author=lena, title="Mentors")
    answer = make_post(thread=thread, author=tom, parent=opening)
    elsewhere, other_opening = make_thread(group=group, author=tom, title="Elsewhere")
    mine, other = _note(lena, thread, answer), _note(lena, elsewhere, other_opening)
    login(client, lena)
    html = client.get("/notifications/").get_data(as_text=True)
    link = re.search(rf'href="(/p/{answer.id})"', html).group(1)
    page = client.get(link, follow_redirects=True)
    assert page.status_code == 200 and _read_at(mine) is None  # the GET wrote nothing
    form = re.search(r'<form method="post" action="([^"]+/read)"[^>]*id="mark-read-form">'
                     r'.*?name="up_to" value="(\d+)"', page.get_data(as_text=True), re.S)
    assert form, "the thread page carries its mark-read form"
    assert post(client, form.group(1), {"up_to": form.group(2)},
                token_from="/notifications/").status_code == 302
    assert _read_at(mine) is not None
    assert _read_at(other) is None  # another thread's notification stays unread
    post(client, "/g/pm/read-all", token_from="/notifications/")
    assert _read_at(other) is not None


def test_mark_all_read_shows_only_with_something_to_mark(app, client):
    group = make_group(slug="pm", visibility=Visibility.PUBLIC)
    lena = make_group_member(group=group)
    outsider = make_user(username="outsider")
    make_thread(group=group, author=make_group_member(group=group), title="New here")
    login(client, outsider)  # not a member of the group: nothing of theirs to mark
    assert "Mark all read" not in client.get("/g/pm").get_data(as_text=True)
    assert "Mark all as read" not in client.get("/notifications/").get_data(as_text=True)
    logout(client)
    login(client, lena)
    assert "Mark all read" in client.get("/g/pm").get_data(as_text=True)
    post(client, "/g/pm/read-all")
    assert "Mark all read" not in client.get("/g/pm").get_data(as_text=True)
    thread, opening = make_thread(group=group, author=lena, title="Ask")
    note = _note(lena, thread, make_post(thread=thread, author=make_user(), parent=opening))
    db.session.commit()
    assert "Mark all as read" in client.get("/notifications/").get_data(as_text=True)
    post(client, "/notifications/read-all")
    assert _read_at(note) is not None
    assert "Mark all as read" not in client.get("/notifications/").get_data(as_text=True)
