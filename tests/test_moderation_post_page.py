"""The thread page links each post to its moderation tools instead of carrying every form."""

from __future__ import annotations

from tests.factories import make_membership, make_user
from tests.factories_moderation import make_post, make_thread
from tests.helpers import login


def _thread_with_reply(world):
    thread, root = make_thread(group=world.group, author=world.leader, title="Budget tools")
    author = make_user(username="author")
    make_membership(group=world.group, user=author)
    reply = make_post(thread=thread, author=author, parent=root)
    return thread, reply


def test_moderator_sees_a_moderate_link_per_post_and_the_tools_on_their_own_page(client, world):
    thread, reply = _thread_with_reply(world)
    login(client, world.moderator)
    page = client.get(f"/g/project-management/t/{thread.id}").get_data(as_text=True)
    assert f'href="/moderation/posts/{reply.id}"' in page
    assert f'action="/moderation/posts/{reply.id}/hide"' not in page  # no form per post
    tools = client.get(f"/moderation/posts/{reply.id}")
    html = tools.get_data(as_text=True)
    assert tools.status_code == 200
    assert f'action="/moderation/posts/{reply.id}/hide"' in html
    assert "Back to the discussion" in html


def test_member_sees_a_flag_link_but_no_moderate_link(client, world):
    thread, reply = _thread_with_reply(world)
    login(client, world.group_member)
    page = client.get(f"/g/project-management/t/{thread.id}").get_data(as_text=True)
    assert f'href="/p/{reply.id}/flag"' in page
    assert f'href="/moderation/posts/{reply.id}"' not in page
    assert client.get(f"/moderation/posts/{reply.id}").status_code == 403


def test_moderator_of_another_group_gets_404_on_a_private_posts_tools(client, world):
    thread, root = make_thread(group=world.private, author=world.leader, title="Private")
    login(client, world.other_member)
    assert client.get(f"/moderation/posts/{root.id}").status_code == 404
