"""A member's display name is text wherever a thread page prints it (the post macros,
templates/_macros/posts.html, print it in headings, actions and branch names): prove nothing
leaks."""

from __future__ import annotations

from forum.extensions import db
from forum.groups.models import Visibility
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.helpers import login

NASTY = '<img src=x onerror="alert(1)"> & "Co"'


def test_a_nasty_display_name_is_printed_as_text_in_headings_and_actions(client, app):
    group = make_group(slug="esc", visibility=Visibility.PUBLIC)
    nasty = make_user(username="nasty", display_name=NASTY)
    reader = make_user(username="reader", display_name="Reader")
    for user in (nasty, reader):
        make_membership(group=group, user=user)
    thread = make_thread(group=group, author=nasty, title="Names")
    first = make_reply(thread=thread, author=nasty, body="I reply")
    make_reply(thread=thread, author=reader, parent=first, body="And I answer")
    db.session.commit()

    for signed_in in (False, True):  # visitors get two actions, members the reply links too
        if signed_in:
            login(client, reader)
        html = client.get(f"/g/esc/t/{thread.id}").get_data(as_text=True)
        assert "<img src=x" not in html
        escaped = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; &#34;Co&#34;"
        assert f'<span class="post-author">{escaped}</span>' in html
        assert f"replied to {escaped}" in html
        if signed_in:
            assert f'<span class="visually-hidden"> to {escaped}</span>' in html
