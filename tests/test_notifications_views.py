"""The bell, the list, marking read, settings and watch buttons, as a member uses them."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.extensions import db
from forum.notifications.models import (
    MailMode,
    Notification,
    NotificationKind,
    NotificationSettings,
    Subscription,
)
from forum.querycount import count_queries
from tests.factories import make_group, make_group_member, make_user
from tests.factories_notifications import make_thread, subscribe
from tests.helpers import login, post


def _notify(user, group, n: int, author=None):
    author = author or make_group_member(group=group)
    notes = []
    for i in range(n):
        thread, opening = make_thread(group=group, author=author, title=f"Thread {i}")
        note = Notification(user_id=user.id, post_id=opening.id, thread_id=thread.id,
                            group_id=group.id, actor_id=author.id,
                            kind=NotificationKind.WATCHED_GROUP)
        db.session.add(note)
        notes.append(note)
    db.session.flush()
    return notes


def _unread(user) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)))


def test_bell_shows_the_unread_count_with_one_query_and_no_write(app, client):
    group = make_group()
    lena = make_group_member(group=group)
    _notify(lena, group, 3)
    login(client, lena)
    with count_queries() as q:
        html = client.get("/notifications/settings").get_data(as_text=True)
    assert 'class="badge">3<span class="visually-hidden"> unread' in html
    bell = [s for s in q if "notifications" in s and "count" in s.lower()]
    assert len(bell) == 1
    assert not [s for s in q if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
                and "auth_sessions" not in s]
    assert _unread(lena) == 3  # looking does not mark anything read


def test_bell_counts_only_the_readers_own_unread_notifications(app, client):
    group = make_group()
    lena, tom = make_group_member(group=group), make_group_member(group=group)
    _notify(lena, group, 2)
    _notify(tom, group, 5)
    login(client, lena)
    html = client.get("/groups").get_data(as_text=True)
    assert 'class="badge">2<span class="visually-hidden"> unread' in html
    assert post(client, "/notifications/read-all").status_code == 302
    html = client.get("/groups").get_data(as_text=True)
    assert "visually-hidden\"> unread" not in html and _unread(tom) == 5


def test_bell_caps_at_99_plus(app, client):
    group = make_group()
    lena = make_group_member(group=group)
    _notify(lena, group, 101)
    login(client, lena)
    assert "99+" in client.get("/notifications/").get_data(as_text=True)


def test_list_links_each_notification_to_its_post_and_pages_in_constant_queries(app, client):
    group = make_group()
    lena = make_group_member(group=group)
    author = make_group_member(group=group, display_name="Priya Raman")
    notes = _notify(lena, group, 3, author=author)
    login(client, lena)
    with count_queries() as few:
        html = client.get("/notifications/").get_data(as_text=True)
    assert f'href="/p/{notes[0].post_id}"' in html and "Priya Raman posted in" in html
    _notify(lena, group, 60, author=author)
    with count_queries() as many:
        page2 = client.get("/notifications/?page=2")
    assert page2.status_code == 200
    assert len(many) == len(few)
    assert client.get("/notifications/?page=abc").status_code == 200


def test_mark_one_and_all_read(app, client):
    group = make_group()
    lena = make_group_member(group=group)
    first, _second, _third = _notify(lena, group, 3)
    login(client, lena)
    assert post(client, f"/notifications/{first.id}/read").status_code == 302
    assert _unread(lena) == 2
    assert post(client, f"/notifications/{first.id}/read").status_code == 302  # idempotent
    response = post(client, "/notifications/read-all", follow=True)
    assert "Marked 2 notifications as read." in response.get_data(as_text=True)
    assert _unread(lena) == 0


def test_member_cannot_mark_another_members_notification_read(app, client):
    group = make_group()
    lena, tom = make_group_member(group=group), make_group_member(group=group)
    (note,) = _notify(lena, group, 1)
    login(client, tom)
    assert post(client, f"/notifications/{note.id}/read").status_code == 404
    assert post(client, "/notifications/999999/read").status_code == 404
    post(client, "/notifications/read-all")
    assert _unread(lena) == 1


def test_mark_read_without_csrf_token_changes_nothing(app, client):
    group = make_group()
    lena = make_group_member(group=group)
    (note,) = _notify(lena, group, 1)
    login(client, lena)
    assert client.post(f"/notifications/{note.id}/read").status_code == 400
    assert _unread(lena) == 1


def test_settings_list_groups_with_daily_digest_by_default_and_save_choices(app, client):
    group = make_group(name="Library Leadership Committee")
    lena = make_group_member(group=group)
    login(client, lena)
    html = client.get("/notifications/settings").get_data(as_text=True)
    assert "Library Leadership Committee" in html
    assert f'<input checked id="mode_{group.id}-1" name="mode_{group.id}" type="radio" ' \
        'value="daily">' in html
    response = post(client, "/notifications/settings",
                    {f"mode_{group.id}": "each"}, token_from="/notifications/settings")
    assert response.status_code == 302
    sub = db.session.scalar(select(Subscription).where(Subscription.user_id == lena.id))
    assert sub.mode == MailMode.EACH
    assert db.session.get(NotificationSettings, lena.id).auto_watch is False  # box unticked


def test_settings_refuse_an_unknown_choice_with_400_and_change_nothing(app, client):
    group = make_group()
    lena = make_group_member(group=group)
    login(client, lena)
    response = post(client, "/notifications/settings", {f"mode_{group.id}": "hourly"},
                    token_from="/notifications/settings")
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Subscription.id))) == 0


def test_watch_and_unwatch_a_thread_and_a_group(app, client):
    group = make_group()
    lena = make_group_member(group=group)
    thread, _ = make_thread(group=group, author=make_group_member(group=group))
    login(client, lena)
    post(client, f"/notifications/threads/{thread.id}/watch")
    post(client, f"/notifications/groups/{group.id}/watch")
    rows = {(s.group_id, s.thread_id): s.watching for s in db.session.scalars(
        select(Subscription).where(Subscription.user_id == lena.id))}
    assert rows == {(None, thread.id): True, (group.id, None): True}
    html = client.get("/notifications/settings").get_data(as_text=True)
    assert thread.title in html and "Stop watching" in html
    response = post(client, f"/notifications/threads/{thread.id}/unwatch", follow=True)
    assert "no longer watching" in response.get_data(as_text=True)
    again = post(client, f"/notifications/threads/{thread.id}/unwatch", follow=True)
    assert "Nothing changed." in again.get_data(as_text=True)
    # watching the group kept the member's e-mail choice (the daily default)
    assert db.session.scalar(select(Subscription.mode).where(
        Subscription.group_id == group.id)) == MailMode.DAILY


def test_watch_redirects_only_to_a_safe_next(app, client):
    group = make_group()
    lena = make_group_member(group=group)
    login(client, lena)
    response = post(client, f"/notifications/groups/{group.id}/watch",
                    {"next": "//evil.example/"})
    assert "evil" not in response.headers["Location"]
    response = post(client, f"/notifications/groups/{group.id}/unwatch", {"next": "/groups"})
    assert response.headers["Location"] == "/groups"


def test_watching_a_missing_thread_is_404(app, client):
    login(client, make_user())
    assert post(client, "/notifications/threads/424242/watch").status_code == 404
    assert post(client, "/notifications/groups/424242/watch").status_code == 404


def test_unsubscribe_from_a_daily_digest_turns_off_every_daily_group(app, client):
    from forum.notifications.emails import unsubscribe_token

    one, two, three = make_group(), make_group(), make_group()
    lena = make_group_member(group=one)
    from tests.factories import make_membership

    make_membership(group=two, user=lena)
    make_membership(group=three, user=lena)
    subscribe(user=lena, group=three, mode=MailMode.EACH)
    token = unsubscribe_token(lena.id, period="daily")
    assert post(client, f"/notifications/unsubscribe/{token}").status_code == 200
    modes = {s.group_id: s.mode for s in db.session.scalars(select(Subscription))}
    assert modes == {one.id: MailMode.NONE, two.id: MailMode.NONE, three.id: MailMode.EACH}
