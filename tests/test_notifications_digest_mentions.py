"""A digest's "Mentions of you": the posts since the last digest that @mention the member, at
the top, only those they may see now; and a digest's statements do not grow with its size."""

from __future__ import annotations

from sqlalchemy import update

from forum.digests.sending import send_digests
from forum.discussions.models import Post, PostStatus
from forum.extensions import db
from forum.groups.models import Visibility
from forum.notifications.models import MailMode
from forum.notifications.services import post_published
from forum.notifications.subscriptions import set_watching
from forum.querycount import count_queries
from tests.factories import make_group, make_group_member, make_membership
from tests.factories_notifications import make_post, make_thread, subscribe


def _sections(text: str) -> tuple[str, str]:
    """(the Mentions of you section, the rest) of a digest's text part."""
    head, _, rest = text.partition("== Mentions of you ==")
    mentions, _, groups = rest.partition("\n== ")
    return mentions, head + groups


def test_mentions_come_first_even_in_a_muted_thread_and_only_if_still_visible(app, mail):
    group = make_group(name="Library Leadership Committee")
    lena = make_group_member(group=group, username="lena")  # default: daily digest
    priya = make_group_member(group=group, username="priya")
    quiet, _ = make_thread(group=group, author=priya, title="Room bookings",
                           body="Nothing for lena here")
    muted, _ = make_thread(group=group, author=priya, title="Catering")
    set_watching(lena.id, thread_id=muted.id, watching=False)
    for thread, body in ((quiet, "Ask @lena about the keys"), (muted, "@lena, the menu?"),
                         (quiet, "Hidden: @lena knows")):
        post = make_post(thread=thread, author=priya, body=body)
        post_published(post)
    make_post(thread=muted, author=priya, body="Muted chatter")
    db.session.execute(update(Post).where(Post.source == "Hidden: @lena knows")
                       .values(status=PostStatus.HIDDEN))  # a moderator hid it since
    db.session.commit()
    assert send_digests("daily") == 1
    mail.deliver()
    (msg,) = mail.to(lena.email)
    mentions, rest = _sections(mail.text(msg))
    assert "Ask @lena about the keys" in mentions and "@lena, the menu?" in mentions
    assert "Room bookings" in mentions and "Library Leadership Committee" in mentions
    assert "Mute this discussion:" in mentions and "Reply by e-mail: mailto:" in mentions
    assert "Nothing for lena here" in rest and "Ask @lena" not in rest  # listed once
    assert "knows" not in mail.text(msg) and "Muted chatter" not in mail.text(msg)
    html = msg.get_body(("html",)).get_content()
    assert html.index("Mentions of you") < html.index("Nothing for lena here")


def test_a_mention_in_a_group_left_since_is_not_quoted(app, mail):
    group = make_group(name="Library Leadership Committee")
    other = make_group(name="Archives Section", visibility=Visibility.PRIVATE)
    lena = make_group_member(group=group, username="lena")
    membership = make_membership(group=other, user=lena)
    priya = make_group_member(group=other, username="priya")
    thread, _ = make_thread(group=other, author=priya, title="Boxes")
    post_published(make_post(thread=thread, author=priya, body="@lena has the boxes"))
    subscribe(user=lena, group=other, mode=MailMode.DAILY)  # her setting outlives her leaving
    db.session.delete(membership)  # lena left the private group since
    db.session.commit()
    assert send_digests("daily") == 0  # priya wrote it all; lena may no longer read it
    mail.deliver()
    assert mail.to(lena.email) == []


def _statements_for_one_digest(groups: int, threads: int) -> int:
    reader = make_group_member(group=make_group())
    author = make_group_member(group=make_group())
    for _ in range(groups):
        group = make_group()
        make_membership(group=group, user=reader)
        make_membership(group=group, user=author)
        for _ in range(threads):
            thread, opening = make_thread(group=group, author=author, body="@" +
                                          reader.username + " see this")
            post_published(opening)
            make_post(thread=thread, author=author)
    db.session.commit()
    with count_queries() as statements:
        assert send_digests("daily", due={reader.id}) == 1
    return len(statements)


def test_a_digests_statements_do_not_grow_with_its_posts_and_groups(app):
    small = _statements_for_one_digest(groups=1, threads=1)
    assert _statements_for_one_digest(groups=3, threads=4) == small
