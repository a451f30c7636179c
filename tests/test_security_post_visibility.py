"""A post's words show nowhere the thread page would not show them (issue 21).

Posts that are hidden by a moderator, held for approval (someone else's), removed by their
author, in a private group, or in a thread moved into a private group: every side route that
prints a post (flag form, history, edit forms, moderation pages, quote and reply links, branch
pages, permalinks, the profile, the feed, the inbox, mail) asks ``Permissions.can_see_post``,
and answers 404 to whoever may not see the post — with the words never in the response.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum.digests.sending import send_digests
from forum.discussions.models import Post, PostStatus, Thread
from forum.discussions.services import delete_post, edit_post
from forum.extensions import db
from forum.groups.models import Group, Visibility
from forum.mail import WITHDRAWN
from forum.mailing.models import Delivery
from forum.moderation.posts import approve_post, hide_post
from forum.moderation.threads import move_thread
from forum.notifications.models import MailMode
from forum.notifications.services import post_published
from forum.permissions import Permissions, visible_posts_clause
from forum.permissions.audience import can_read_clause, can_read_params, may_announce
from forum.users.models import User
from tests.factories import make_membership, make_user
from tests.factories_discussions import make_reply, make_thread, root_post
from tests.factories_notifications import subscribe
from tests.helpers import login
from tests.world import sign_in_as

ROLES = ("anonymous", "member", "group_member", "author", "moderator", "leader",
         "section_admin", "site_admin", "other_member", "banned")
STAFF = {"moderator", "leader", "section_admin", "site_admin"}  # of the post's group
PRIVATE_PEOPLE = STAFF | {"group_member", "author"}
# Who may see each post's words: the thread page's rule (can_see_post), role by role.
SEES = {
    "published": set(ROLES) - {"banned"},  # the control: a public group's published post
    "hidden": STAFF,
    "pending": STAFF | {"author"},
    "deleted": set(),  # removed by its author: nobody, moderators included
    "private": PRIVATE_PEOPLE,
    "moved": PRIVATE_PEOPLE,  # moved from other_member's group into the private one
}
CASES = tuple(SEES)
OPEN_THREAD = ("published", "hidden", "pending", "deleted")  # in the public group's thread


def words(case: str) -> str:
    return f"Quokka{case.capitalize()}Words"


@pytest.fixture
def scene(world):
    w = world
    w.group.visibility = Visibility.PUBLIC  # so a visitor could read the thread itself
    w.author = make_user(username="author", display_name="Avery Author")
    for group in (w.group, w.private):
        make_membership(group=group, user=w.author)
    open_thread = make_thread(group=w.group, author=w.leader, title="Open discussion")
    posts = {case: make_reply(thread=open_thread, author=w.author, body=words(case))
             for case in ("published", "hidden", "deleted")}
    posts["pending"] = make_reply(thread=open_thread, author=w.author, body=words("pending"),
                                  status=PostStatus.PENDING)
    edit_post(posts["hidden"], w.author, words("hidden") + ", edited")  # a revision too
    hide_post(posts["hidden"], by=w.moderator)
    delete_post(posts["deleted"], w.author)  # its last words stay as a revision
    private_thread = make_thread(group=w.private, author=w.leader, title="Private discussion")
    posts["private"] = make_reply(thread=private_thread, author=w.author, body=words("private"))
    moved = make_thread(group=w.other, author=w.other_member, title="Moved discussion")
    posts["moved"] = make_reply(thread=moved, author=w.author, body=words("moved"))
    move_thread(moved, by=w.site_admin, target_group=w.private)
    db.session.commit()
    return SimpleNamespace(world=w, posts=posts, ids={c: p.id for c, p in posts.items()})


def _thread_url(scene, case: str) -> str:
    post = db.session.get(Post, scene.ids[case])
    return f"/g/{post.thread.group.slug}/t/{post.thread_id}"


@pytest.mark.parametrize("role", ROLES)
def test_pages_that_print_a_post_answer_404_where_the_thread_page_hides_it(client, scene,
                                                                             role):
    sign_in_as(client, scene.world, role)
    for case in CASES:
        pid, secret, sees = scene.ids[case], words(case), role in SEES[case]
        pages = {"flag": f"/p/{pid}/flag", "history": f"/p/{pid}/history",
                 "edit": f"/p/{pid}/edit", "tools": f"/moderation/posts/{pid}",
                 "split": f"/moderation/posts/{pid}/split",
                 "moderator edit": f"/moderation/posts/{pid}/edit"}
        for name, url in pages.items():
            r = client.get(url)
            where = (role, case, name)
            if sees:  # other rules may still refuse (403, sign in), but nothing is hidden
                if name in ("flag", "tools", "split"):
                    assert r.status_code in (200, 302, 403), where
                continue
            assert secret not in r.get_data(as_text=True), where
            # Moderators reach a removed post's tools (to warn, to split off its replies):
            # the page prints no words of it.
            staff_tools = case == "deleted" and role in STAFF and name in ("tools", "split")
            if role == "banned" and case in OPEN_THREAD:
                # Refused the whole public group, as on its thread page (a 403 there: the
                # group's page stays visible to them); routes that start from the post, 404.
                assert r.status_code in (403, 404), where
            else:
                assert r.status_code == (200 if staff_tools else 404), where


@pytest.mark.parametrize("role", ROLES)
def test_quote_branch_permalink_and_profile_never_carry_words_the_reader_may_not_see(
        client, scene, role):
    sign_in_as(client, scene.world, role)
    profile = client.get("/members/author").get_data(as_text=True)
    for case in CASES:
        pid, secret, sees = scene.ids[case], words(case), role in SEES[case]
        thread_url = _thread_url(scene, case)
        quoted = client.get(f"{thread_url}?quote={pid}")
        answered = client.get(f"{thread_url}?reply_to={pid}")
        branch = client.get(f"{thread_url}/branch/{pid}")
        permalink = client.get(f"/p/{pid}")
        where = (role, case)
        if not sees:
            for r in (quoted, answered, branch, permalink):
                assert secret not in r.get_data(as_text=True), where
        # Listed posts: the profile shows published posts only, each to whoever sees it.
        listed = case in ("published", "private", "moved")
        assert (secret in profile) == (listed and sees), where
        unreadable = case in ("private", "moved") and not sees
        if unreadable or (case == "pending" and not sees):
            # Not on the thread page at all: no permalink, no branch page, no author's name
            # (a banned member is refused the whole group, as on its thread page).
            refused = (403, 404) if role == "banned" and case in OPEN_THREAD else (404,)
            assert permalink.status_code in refused, where
            assert branch.status_code in refused, where
        if sees and case == "published" and role not in ("anonymous", "other_member", "member"):
            assert secret in quoted.get_data(as_text=True), where


def test_a_moderator_sees_the_hidden_post_on_the_flag_and_tools_pages(client, scene):
    w = scene.world
    login(client, w.moderator)
    pid = scene.ids["hidden"]
    assert words("hidden") in client.get(f"/moderation/posts/{pid}").get_data(as_text=True)
    assert words("hidden") in client.get(f"/p/{pid}/history").get_data(as_text=True)
    other = client.application.test_client()
    login(other, w.group_member)
    for url in (f"/p/{pid}/flag", f"/p/{pid}/history", f"/moderation/posts/{pid}"):
        r = other.get(url)
        assert r.status_code == 404 and words("hidden") not in r.get_data(as_text=True), url


def test_a_removed_post_keeps_no_readable_history_even_for_its_author_or_moderators(
        client, scene):
    pid = scene.ids["deleted"]
    for user in (scene.world.author, scene.world.moderator, scene.world.site_admin):
        reader = client.application.test_client()
        login(reader, user)
        r = reader.get(f"/p/{pid}/history")
        assert r.status_code == 404 and words("deleted") not in r.get_data(as_text=True)


def test_the_feed_carries_published_words_only(client, scene):
    xml = client.get("/g/project-management/feed.atom").get_data(as_text=True)
    assert words("published") in xml
    for case in ("hidden", "pending", "deleted", "private", "moved"):
        assert words(case) not in xml, case


# --- lists and audiences: the SQL forms of the rule agree with it --------------------------

def test_the_list_clause_lets_through_only_posts_the_rule_shows(scene):
    """visible_posts_clause ⊆ can_see_post for every role, and equal on published posts."""
    for role in ROLES:
        perms = Permissions(getattr(scene.world, role))
        listed = set(db.session.scalars(
            select(Post.id).join(Thread, Thread.id == Post.thread_id)
            .join(Group, Group.id == Thread.group_id)
            .where(Post.id.in_(scene.ids.values()), visible_posts_clause(perms))))
        for case, post in scene.posts.items():
            db.session.refresh(post)
            sees = perms.can_see_post(post)
            assert sees == (role in SEES[case]), (role, case)
            if post.id in listed:
                assert sees, (role, case)
            if post.status == PostStatus.PUBLISHED:
                assert (post.id in listed) == sees, (role, case)


def test_an_announced_post_reaches_only_users_who_may_see_it(scene):
    """may_announce + the readers clause (the audience query) ⇒ can_see_post, per role."""
    users = {role: getattr(scene.world, role) for role in ROLES if role != "anonymous"}
    for case, post in scene.posts.items():
        db.session.refresh(post)
        thread = db.session.get(Thread, post.thread_id)
        group = db.session.get(Group, thread.group_id)
        readers = set(db.session.scalars(
            select(User.id).where(User.id.in_([u.id for u in users.values()]),
                                  can_read_clause(group.visibility == "private")),
            can_read_params(group)))
        assert may_announce(post, thread) == (post.status == PostStatus.PUBLISHED), case
        for role, user in users.items():
            if may_announce(post, thread) and user.id in readers:
                assert Permissions(user).can_see_post(post), (role, case)


# --- the inbox and mail ----------------------------------------------------------------------

def test_the_inbox_hides_a_post_that_was_hidden_or_moved_after_the_notification(app, world):
    w = world
    subscribe(user=w.group_member, group=w.group, watching=True)
    subscribe(user=w.moderator, group=w.group, watching=True)
    subscribe(user=w.other_member, group=w.other, watching=True)
    w.author = make_user(username="author", display_name="Avery Author")
    make_membership(group=w.group, user=w.author)
    make_membership(group=w.other, user=w.author)
    thread = make_thread(group=w.group, author=w.leader, title="Tomorrow's agenda")
    hidden = make_reply(thread=thread, author=w.author, body="Soon hidden")
    moved_thread = make_thread(group=w.other, author=w.author, title="Confidential shortlist")
    moved = make_reply(thread=moved_thread, author=w.author, body="Soon moved")
    hide_post(hidden, by=w.moderator)
    move_thread(moved_thread, by=w.site_admin, target_group=w.private)
    db.session.commit()

    def inbox(user) -> str:
        client = app.test_client()
        login(client, user)
        return client.get("/notifications/").get_data(as_text=True)

    member = inbox(w.group_member)
    assert f'href="/p/{hidden.id}"' not in member and "A post you can no longer see" in member
    outsider = inbox(w.other_member)  # told while the thread was in their group
    assert "Confidential shortlist" not in outsider and f'href="/p/{moved.id}"' not in outsider
    assert "A post you can no longer see" in outsider
    moderator = inbox(w.moderator)  # may see the hidden post: told as before
    assert f'href="/p/{hidden.id}"' in moderator and "Tomorrow&#39;s agenda" in moderator


def _quoting(mail, user, text: str) -> list:
    mail.deliver()
    return [m for m in mail.to(user.email) if text in mail.text(m)]


def test_mail_is_made_only_for_a_post_visible_at_the_time(app, world, mail):
    w = world
    subscribe(user=w.group_member, group=w.group, mode=MailMode.EACH)
    thread = make_thread(group=w.group, author=w.leader, title="Budget")
    held = make_reply(thread=thread, author=w.moderator, body="HeldWords",
                      status=PostStatus.PENDING)
    post_published(held)  # asked anyway: a held post is announced to nobody
    db.session.commit()
    assert not _quoting(mail, w.group_member, "HeldWords")
    approve_post(held, by=w.leader)  # published now: announced on approval
    db.session.commit()
    assert _quoting(mail, w.group_member, "HeldWords")
    thread.hidden = True
    make_reply(thread=thread, author=w.leader, body="InHiddenThread")
    db.session.commit()
    assert not _quoting(mail, w.group_member, "InHiddenThread")


def test_a_mail_still_waiting_when_its_post_is_hidden_or_moved_away_is_never_sent(
        app, world, mail):
    w = world
    subscribe(user=w.group_member, group=w.group, mode=MailMode.EACH)
    subscribe(user=w.other_member, group=w.other, mode=MailMode.EACH)
    thread = make_thread(group=w.group, author=w.leader, title="Budget")
    hidden = make_reply(thread=thread, author=w.leader, body="HiddenBeforeSending")
    removed = make_reply(thread=thread, author=w.leader, body="RemovedBeforeSending")
    make_reply(thread=thread, author=w.leader, body="KeptAndSent")
    moved = make_thread(group=w.other, author=w.leader, title="Shortlist",
                        body="MovedBeforeSending")
    opening = root_post(moved)
    db.session.commit()  # each post's mail is queued for the watchers, not yet sent
    hide_post(hidden, by=w.moderator)
    delete_post(removed, w.leader)
    move_thread(moved, by=w.site_admin, target_group=w.private)
    db.session.commit()
    assert _quoting(mail, w.group_member, "KeptAndSent")
    for user, text in ((w.group_member, "HiddenBeforeSending"),
                       (w.group_member, "RemovedBeforeSending"),
                       (w.other_member, "MovedBeforeSending")):
        assert not _quoting(mail, user, text), text
    reasons = db.session.scalars(select(Delivery.last_error).where(
        Delivery.post_id.in_([hidden.id, removed.id, opening.id]))).all()
    assert reasons and set(reasons) == {WITHDRAWN}


def test_a_digest_quotes_only_posts_the_member_may_see_when_it_runs(app, world, mail):
    w = world  # members of a group get its daily digest by default
    thread = make_thread(group=w.group, author=w.leader, title="Budget")
    gone = make_reply(thread=thread, author=w.leader, body="GoneBeforeTheDigest")
    make_reply(thread=thread, author=w.leader, body="KeptForTheDigest")
    make_thread(group=w.other, author=w.leader, title="Elsewhere", body="OtherKept")
    moved = make_thread(group=w.other, author=w.leader, title="Shortlist",
                        body="MovedBeforeTheDigest")
    hide_post(gone, by=w.moderator)
    move_thread(moved, by=w.site_admin, target_group=w.private)
    db.session.commit()
    send_digests("daily")
    for user in (w.group_member, w.moderator):
        assert _quoting(mail, user, "KeptForTheDigest"), user.username
        assert not _quoting(mail, user, "GoneBeforeTheDigest"), user.username
    assert _quoting(mail, w.other_member, "OtherKept")
    assert not _quoting(mail, w.other_member, "MovedBeforeTheDigest")
