"""The partials discussions includes on its thread page, and the review queue's context."""

from __future__ import annotations

from flask import g, render_template_string
from flask_login import login_user

from forum.discussions.models import PostStatus
from forum.permissions import Permissions
from tests.factories_moderation import make_flag, make_post, make_thread
from tests.helpers import login

PAGE = """{% include "moderation/_thread_tools.html" ignore missing %}
{% include "moderation/_post_tools.html" ignore missing %}
{% include "moderation/_flag_form.html" ignore missing %}"""


def _render(app, user, **ctx):
    with app.test_request_context("/g/project-management/t/1"):
        if user is not None:
            login_user(user)
        g.perms = Permissions(user)
        return render_template_string(PAGE, **ctx)


def test_moderator_sees_thread_and_post_tools_but_no_flag_on_own_post(app, world):
    t, root = make_thread(group=world.group, author=world.moderator)
    reply = make_post(thread=t, author=world.group_member, parent=root)
    html = _render(app, world.moderator, thread=t, post=reply, group=world.group)
    assert f"/moderation/threads/{t.id}/pin" in html
    assert f"/moderation/posts/{reply.id}/hide" in html
    assert f"/p/{reply.id}/flag" in html  # not their post: they may flag it too
    html = _render(app, world.moderator, thread=t, post=root, group=world.group)
    assert f"/p/{root.id}/flag" not in html and "Warn author" not in html


def test_member_sees_only_the_flag_form_and_visitors_nothing(app, world):
    t, root = make_thread(group=world.group, author=world.leader)
    html = _render(app, world.member, thread=t, post=root, group=world.group)
    assert "/moderation/" not in html and f"/p/{root.id}/flag" in html
    assert 'name="reason"' in html and "csrf_token" in html
    assert _render(app, None, thread=t, post=root, group=world.group).strip() == ""
    assert "/flag" not in _render(app, world.banned, thread=t, post=root, group=world.group)


def test_held_and_hidden_posts_get_approve_and_restore(app, world):
    t, root = make_thread(group=world.group, author=world.leader)
    held = make_post(thread=t, author=world.member, parent=root, status=PostStatus.PENDING)
    hidden = make_post(thread=t, author=world.member, parent=root, status=PostStatus.HIDDEN)
    html = _render(app, world.leader, thread=t, post=held, group=world.group)
    assert f"/moderation/posts/{held.id}/approve" in html
    html = _render(app, world.leader, thread=t, post=hidden, group=world.group)
    assert f"/moderation/posts/{hidden.id}/restore" in html and "/hide" not in html


def test_queue_shows_each_post_with_its_parent_thread_and_flags(client, world):
    t, root = make_thread(group=world.group, author=world.leader, title="Annual conference",
                          body="Where shall we meet?")
    reply = make_post(thread=t, author=world.group_member, parent=root, body="Buy now cheap")
    make_flag(post=reply, reporter=world.member, note="It is an advert")
    held = make_post(thread=t, author=world.member, parent=root, body="My first words",
                     status=PostStatus.PENDING)
    login(client, world.moderator)
    html = client.get("/g/project-management/moderation/queue").get_data(as_text=True)
    for text in ("Annual conference", "Where shall we meet?", "Buy now cheap",
                 "It is an advert", "My first words", f"/moderation/posts/{reply.id}/hide",
                 f"/moderation/posts/{reply.id}/dismiss-flags",
                 f"/moderation/posts/{held.id}/approve"):
        assert text in html, text
