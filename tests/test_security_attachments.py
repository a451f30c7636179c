"""A file attached to a post follows the post, its thread and its group, on every request; and
what must not be kept by a cache (private files, exports, the account pages) says
``Cache-Control: private, no-store``.

Before: a file attached to a post that was later hidden, held for approval, deleted by its
author or moved with its thread into a private group stayed downloadable at its old address by
everyone who could read the library (200), and stayed listed there.
"""

from __future__ import annotations

import pytest

from forum.discussions import services as discussions
from forum.discussions.models import Post, PostStatus, Thread
from forum.extensions import db
from forum.files.attachments import attach_uploads
from forum.files.models import Attachment
from forum.groups.models import Role, Visibility
from forum.moderation.posts import hide_post
from forum.moderation.threads import move_thread
from forum.querycount import count_queries
from tests.factories import appoint, make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.factories_files import make_file, make_png, upload_of
from tests.factories_volunteering import make_application, make_opportunity
from tests.helpers import login

PUBLIC = "open-forum"
NAME = "seating-plan.png"

# Who asks (visitor; a verified member of no group; a member of the private group the thread
# may be moved to; the post's author; a moderator of the public group) → status by the
# post's fate.
WHO = ("visitor", "non_member", "new_group_member", "author", "moderator")
EXPECTED = {
    "published": dict(visitor=200, non_member=200, new_group_member=200, author=200,
                      moderator=200),
    "hidden": dict(visitor=404, non_member=404, new_group_member=404, author=404,
                   moderator=200),
    "pending": dict(visitor=404, non_member=404, new_group_member=404, author=200,
                    moderator=200),
    "deleted": dict(visitor=404, non_member=404, new_group_member=404, author=404,
                    moderator=404),
    "moved": dict(visitor=404, non_member=404, new_group_member=200, author=404,
                  moderator=404),
}


def _attached(world, fate: str):
    """A public group's thread, a reply by ``author`` with a PNG attached, then ``fate``."""
    group = make_group(section=world.section, name="Open Forum", slug=PUBLIC,
                       visibility=Visibility.PUBLIC)
    author, starter, moderator = make_user(), make_user(), make_user()
    for user in (author, starter, moderator):
        make_membership(group=group, user=user)
    appoint(user=moderator, group=group, role=Role.MODERATOR, title="Moderator")
    thread = make_thread(group=group, author=starter)
    status = PostStatus.PENDING if fate == "pending" else PostStatus.PUBLISHED
    post = make_reply(thread=thread, author=author, status=status)
    (attachment,) = attach_uploads(post, [upload_of(make_png(), NAME, "image/png")], author)
    if fate == "hidden":
        hide_post(post, by=moderator)
    elif fate == "deleted":
        discussions.delete_post(post, author)
    elif fate == "moved":
        move_thread(thread, by=world.site_admin, target_group=world.private)
    db.session.flush()
    users = {"visitor": None, "non_member": world.member, "new_group_member": world.group_member,
             "author": author, "moderator": moderator}
    return attachment.file_id, users, group


def _client_of(app, user):
    client = app.test_client()
    if user is not None:
        login(client, user)
    return client


@pytest.mark.parametrize("fate", list(EXPECTED))
def test_download_and_preview_follow_the_post_thread_and_group(app, world, fate):
    file_id, users, _group = _attached(world, fate)
    base = f"/g/{PUBLIC}/files/{file_id}"
    urls = (f"{base}/download", f"{base}/preview", f"{base}/versions/1/download",
            f"{base}/versions/1/preview", base)
    for who in WHO:
        client = _client_of(app, users[who])
        got = {url: client.get(url).status_code for url in urls}
        want = EXPECTED[fate][who]
        assert got == dict.fromkeys(urls, want), (fate, who)


@pytest.mark.parametrize("fate", ["hidden", "pending", "deleted", "moved"])
def test_a_file_of_a_post_nobody_may_list_leaves_the_lists(app, world, fate):
    file_id, users, group = _attached(world, fate)
    make_file(group=group, uploader=users["author"], title="Plain minutes")
    for who in ("visitor", "non_member", "author", "moderator"):
        client = _client_of(app, users[who])
        for url in (f"/g/{PUBLIC}/files", f"/g/{PUBLIC}", "/"):
            html = client.get(url).get_data(as_text=True)
            assert NAME not in html and f"/files/{file_id}\"" not in html, (fate, who, url)
        # The library itself is still listed (the home page shows files to members only).
        assert "Plain minutes" in client.get(f"/g/{PUBLIC}/files").get_data(as_text=True)


def test_a_file_of_a_published_post_is_listed_and_links_to_its_post(app, world):
    file_id, users, _group = _attached(world, "published")
    client = _client_of(app, users["non_member"])
    for url in (f"/g/{PUBLIC}/files", f"/g/{PUBLIC}", "/"):
        assert NAME in client.get(url).get_data(as_text=True), url
    detail = client.get(f"/g/{PUBLIC}/files/{file_id}").get_data(as_text=True)
    assert "a discussion post</a>" in detail


def test_a_file_on_several_posts_follows_the_one_the_reader_may_see(app, world):
    file_id, users, _group = _attached(world, "hidden")
    hidden = db.session.scalar(
        db.select(Post).join(Attachment, Attachment.post_id == Post.id)
        .where(Attachment.file_id == file_id))
    hidden_post_id = hidden.id
    # A second, published post of the same thread holds the same file.
    shown = make_reply(thread=db.session.get(Thread, hidden.thread_id), author=world.member)
    db.session.add(Attachment(post_id=shown.id, file_id=file_id, position=1))
    shown.has_files = True
    db.session.flush()
    client = _client_of(app, None)
    assert client.get(f"/g/{PUBLIC}/files/{file_id}/download").status_code == 200
    detail = client.get(f"/g/{PUBLIC}/files/{file_id}").get_data(as_text=True)
    assert f'href="/p/{shown.id}"' in detail and f"/p/{hidden_post_id}" not in detail


def test_a_file_uploaded_to_the_library_follows_its_group_alone(app, world):
    f = make_file(group=world.group, uploader=world.leader, data=make_png(), name="logo.png")
    client = _client_of(app, world.member)
    assert client.get(f"/g/project-management/files/{f.id}/download").status_code == 200
    assert _client_of(app, None).get(
        f"/g/project-management/files/{f.id}/download").status_code == 302  # sign in first


def test_the_posts_cost_a_download_one_statement(app, world):
    file_id, users, group = _attached(world, "published")
    plain = make_file(group=group, uploader=users["author"], data=make_png(), name="plain.png")
    for user in (None, world.member):
        client = _client_of(app, user)
        client.get(f"/g/{PUBLIC}/files/{plain.id}/download")  # warm-up
        spent = {}
        for fid in (plain.id, file_id):
            with count_queries() as q:
                assert client.get(f"/g/{PUBLIC}/files/{fid}/download").status_code == 200
            spent[fid] = len(q)
        assert spent[file_id] == spent[plain.id] + 1, user


# --- Cache-Control: private, no-store ---------------------------------------------------------

NO_STORE = "private, no-store"


def test_private_downloads_and_previews_are_never_stored(app, world):
    f = make_file(group=world.group, uploader=world.leader, data=make_png(), name="logo.png")
    client = _client_of(app, world.group_member)
    base = f"/g/project-management/files/{f.id}"
    for url in (f"{base}/download", f"{base}/preview", f"{base}/versions/1/download"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == NO_STORE, url


def test_a_file_visitors_may_open_keeps_no_cache_and_one_they_may_not_is_no_store(app, world):
    file_id, _users, _group = _attached(world, "published")
    response = _client_of(app, None).get(f"/g/{PUBLIC}/files/{file_id}/download")
    assert response.headers["Cache-Control"] == "private, no-cache"

    hidden_id, users = _attached_again(world)
    response = _client_of(app, users["moderator"]).get(f"/g/{PUBLIC}-2/files/{hidden_id}/preview")
    assert response.status_code == 200 and response.headers["Cache-Control"] == NO_STORE


def _attached_again(world):
    """A second public group whose attached file's post is hidden (its moderator may see it)."""
    group = make_group(section=world.section, slug=f"{PUBLIC}-2", visibility=Visibility.PUBLIC)
    author, moderator = make_user(), make_user()
    make_membership(group=group, user=author)
    appoint(user=moderator, group=group, role=Role.MODERATOR, title="Moderator")
    post = make_reply(thread=make_thread(group=group, author=author), author=author)
    (attachment,) = attach_uploads(post, [upload_of(make_png(), NAME, "image/png")], author)
    hide_post(post, by=moderator)
    return attachment.file_id, {"moderator": moderator}


def test_csv_exports_are_never_stored(app, world):
    opportunity = make_opportunity(group=world.group)
    make_application(opportunity=opportunity, user=world.member)
    client = _client_of(app, world.leader)
    for url in ("/g/project-management/members.csv", "/get-involved/review/applications.csv",
                "/get-involved/manage/roster.csv", "/g/project-management/moderation/log.csv"):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "text/csv", url
        assert response.headers["Cache-Control"] == NO_STORE, url


def test_account_pages_are_never_stored(app, world):
    visitor = _client_of(app, None)
    for url in ("/auth/login", "/auth/register", "/auth/forgot-password",
                "/auth/reset-password/not-a-real-token"):
        response = visitor.get(url)
        assert response.status_code < 500
        assert response.headers.get("Cache-Control") == NO_STORE, url
    member = _client_of(app, world.member)
    for url in ("/auth/settings", "/auth/settings/profile", "/auth/settings/password",
                "/auth/settings/email", "/auth/sessions"):
        response = member.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == NO_STORE, url


def test_ordinary_member_pages_keep_private_no_cache(app, world):
    # no-store is for what must not be kept; other pages stay revalidated, not refetched.
    response = _client_of(app, world.member).get("/")
    assert response.headers["Cache-Control"] == "private, no-cache"

