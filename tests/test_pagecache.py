"""The shared page cache for visitors (forum/pagecache): what enters it, what never does, and
that every kind of write reaches the next visitor at once.

Every test runs on SQLite and PostgreSQL, with the page cache in this process and in Redis
(``backend``): the generations and the pages live in whichever the site is configured with."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import update

from forum.discussions import services as discussions
from forum.discussions.models import Thread
from forum.extensions import db
from forum.groups.models import Visibility
from forum.pagecache import pages
from forum.querycount import count_queries
from tests.factories import make_group, make_membership, make_moderator, make_user
from tests.factories_discussions import make_reply, make_thread, root_post
from tests.factories_files import make_file
from tests.helpers import REDIS_URL, login, require_redis


def redis_overrides() -> dict:
    require_redis()
    return {"REDIS_URL": REDIS_URL, "PAGE_CACHE_KEY_PREFIX": f"test-page-{uuid.uuid4().hex}"}


@pytest.fixture(params=["memory", "redis"])
def app_overrides(request):
    return redis_overrides() if request.param == "redis" else {}


@pytest.fixture(autouse=True)
def _still_clock(monkeypatch):
    # Mid-window: a run never straddles the in-process store's time window.
    monkeypatch.setattr(pages, "_now", lambda: 1_900_000_030.0)


@pytest.fixture
def site(app):
    author = make_user(username="ada", display_name="Ada Lovelace")
    pub = make_group(slug="pub", name="Public Group", visibility=Visibility.PUBLIC)
    club = make_group(slug="club", name="Club Group", visibility=Visibility.MEMBERS)
    secret = make_group(slug="secret", name="Secret Group", visibility=Visibility.PRIVATE)
    for group in (pub, club, secret):
        make_membership(group=group, user=author)
    thread = make_thread(group=pub, author=author, title="Budget talk", body="Opening words.")
    club_thread = make_thread(group=club, author=author, title="Club talk")
    secret_thread = make_thread(group=secret, author=author, title="Secret talk")
    db.session.commit()
    return SimpleNamespace(author=author, pub=pub, club=club, secret=secret, thread=thread,
                           club_thread=club_thread, secret_thread=secret_thread,
                           url=f"/g/pub/t/{thread.id}")


def visit(app, url: str):
    """A new visitor: a fresh client, no cookie."""
    return app.test_client().get(url)


def cached(app, url: str) -> bool:
    return visit(app, url).headers.get("X-Page-Cache") == "hit"


def warm(app, url: str) -> str:
    first = visit(app, url)
    assert first.status_code == 200 and first.headers.get("X-Page-Cache") == "miss", url
    assert cached(app, url), url
    return first.get_data(as_text=True)


PAGES = ["/", "/groups", "/g/pub", "/g/pub/discussions", "/g/pub/feed.atom", "/g/pub/files",
         "/members/ada"]


@pytest.mark.parametrize("path", PAGES + ["thread"])
def test_a_visitors_second_look_comes_from_the_cache_without_sql(app, site, path):
    url = site.url if path == "thread" else path
    warm(app, url)
    client = app.test_client()
    with count_queries() as statements:
        again = client.get(url)
    assert again.status_code == 200 and again.headers["X-Page-Cache"] == "hit"
    assert statements == []
    assert "Set-Cookie" not in again.headers
    assert again.get_data() == visit(app, url).get_data()


def test_head_is_answered_from_the_cache_too(app, site):
    warm(app, site.url)
    head = app.test_client().head(site.url)
    assert head.status_code == 200 and head.headers["X-Page-Cache"] == "hit"
    assert head.get_data() == b""


@pytest.mark.parametrize("which", ["club", "secret"])
def test_members_only_and_private_groups_pages_are_never_cached(app, site, which):
    group_thread = site.club_thread if which == "club" else site.secret_thread
    for url in (f"/g/{which}", f"/g/{which}/discussions", f"/g/{which}/t/{group_thread.id}",
                f"/g/{which}/feed.atom"):
        for _ in range(2):
            response = visit(app, url)
            assert "X-Page-Cache" not in response.headers, url
            assert "Club talk" not in response.get_data(as_text=True)
            assert "Secret talk" not in response.get_data(as_text=True)


def test_a_member_never_gets_the_visitors_copy_nor_fills_the_cache(app, site, client):
    visitor_html = warm(app, site.url)
    login(client, site.author)
    mine = client.get(site.url)
    assert "X-Page-Cache" not in mine.headers
    assert mine.get_data(as_text=True) != visitor_html
    assert 'name="csrf-token"' in mine.get_data(as_text=True)  # a member's page
    assert client.get(site.url).headers.get("X-Page-Cache") is None
    # and what the member saw went nowhere: the next visitor still gets the visitors' page
    assert "csrf" not in visit(app, site.url).get_data(as_text=True)


def test_a_flash_shows_once_and_is_never_replayed_to_the_next_visitor(app, site):
    warm(app, "/")
    flashed = app.test_client()
    with flashed.session_transaction() as session:
        session["_flashes"] = [("info", "Only for you, once")]
    page = flashed.get("/")
    assert "Only for you, once" in page.get_data(as_text=True)
    assert "X-Page-Cache" not in page.headers and "ETag" not in page.headers
    assert "Only for you, once" not in flashed.get("/").get_data(as_text=True)
    other = visit(app, "/")
    assert other.headers["X-Page-Cache"] == "hit"
    assert "Only for you, once" not in other.get_data(as_text=True)


def test_the_thread_view_cookie_is_part_of_the_key(app, site):
    make_reply(thread=site.thread, author=site.author, body="A reply")
    db.session.commit()
    tree = warm(app, site.url)
    flat = app.test_client()
    flat.set_cookie("thread_view", "newest")
    first = flat.get(site.url)
    assert first.headers["X-Page-Cache"] == "miss"
    assert first.get_data(as_text=True) != tree
    assert flat.get(site.url).headers["X-Page-Cache"] == "hit"
    assert warm(app, site.url + "?page=1") != ""  # the query string is part of it too


# --- every kind of write reaches the next visitor at once ------------------------------------

def _reply(app, site):
    make_reply(thread=site.thread, author=site.author, body="Fresh reply text")
    return site.url, "Fresh reply text"


def _edit(app, site):
    discussions.edit_post(root_post(site.thread), site.author, "Edited opening words")
    return site.url, "Edited opening words"


def _hide(app, site):
    from forum.moderation.posts import hide_post

    post = make_reply(thread=site.thread, author=site.author, body="Soon hidden words")
    db.session.commit()
    warm(app, site.url)
    hide_post(post, by=make_moderator(group=site.pub), reason="spam")
    return site.url, "!Soon hidden words"


def _rename(app, site):
    site.pub.name = "Renamed Group"
    return "/g/pub", "Renamed Group"


def _new_slug(app, site):
    site.pub.slug = "pub2"
    return "/g/pub", 404


def _move(app, site):
    from forum.moderation.threads import move_thread

    target = make_group(slug="elsewhere", visibility=Visibility.PUBLIC)
    move_thread(site.thread, by=make_moderator(group=site.pub), target_group=target)
    return "/g/pub/discussions", "!Budget talk"


def _new_file(app, site):
    make_file(group=site.pub, uploader=site.author, title="Minutes of May")
    return "/g/pub", None  # visitors see no file names: the key must change all the same


def _file_in_library(app, site):
    make_file(group=site.pub, uploader=site.author, title="Minutes of June")
    return "/g/pub/files", "Minutes of June"


def _post_on_profile(app, site):
    make_reply(thread=site.thread, author=site.author, body="Words for the profile page")
    return "/members/ada", "Words for the profile page"


def _counters_by_bulk_update(app, site):
    db.session.execute(update(Thread).where(Thread.id == site.thread.id)
                       .values(title="Retitled in bulk"))
    return "/g/pub/discussions", "Retitled in bulk"


def _display_name(app, site):
    site.author.display_name = "Ada King"
    return site.url, "Ada King"


def _new_thread(app, site):
    make_thread(group=site.pub, author=site.author, title="Brand new thread")
    return "/g/pub/discussions", "Brand new thread"


def _raw_sql(app, site):
    from sqlalchemy import text

    db.session.execute(text("UPDATE threads SET title = 'Raw title' WHERE id = :id"),
                       {"id": site.thread.id})
    return "/g/pub/discussions", "Raw title"


WRITES = [_reply, _edit, _hide, _rename, _new_slug, _move, _new_file, _file_in_library,
          _post_on_profile, _counters_by_bulk_update, _display_name, _new_thread, _raw_sql]
@pytest.mark.parametrize("write", WRITES, ids=lambda f: f.__name__.strip("_"))
def test_a_write_is_seen_by_the_next_visitor_at_once(app, site, write):
    for url in ("/", "/groups", "/g/pub", "/g/pub/discussions", "/g/pub/files", "/members/ada",
                site.url):
        warm(app, url)
    url, expected = write(app, site)
    db.session.commit()
    response = visit(app, url)
    assert response.headers.get("X-Page-Cache") != "hit"
    if expected == 404:
        assert response.status_code == 404
        assert visit(app, "/g/pub2").status_code == 200
    elif isinstance(expected, str) and expected.startswith("!"):
        assert expected[1:] not in response.get_data(as_text=True)
    elif expected:
        assert expected in response.get_data(as_text=True)


def test_writes_elsewhere_leave_a_groups_pages_cached(app, site):
    warm(app, site.url)
    other = make_group(slug="other", visibility=Visibility.PUBLIC)
    make_thread(group=other, author=site.author, title="Elsewhere")
    db.session.commit()
    assert cached(app, site.url)
    assert not cached(app, "/")  # the home page shows every group's news


def test_a_read_mark_changes_nothing_for_visitors(app, site):
    warm(app, site.url)
    discussions.mark_read(site.author, site.thread)
    db.session.commit()
    assert cached(app, site.url)


def test_a_rolled_back_write_bumps_nothing(app, site):
    warm(app, site.url)
    make_reply(thread=site.thread, author=site.author, body="Never committed")
    db.session.rollback()
    assert cached(app, site.url)


def test_zero_seconds_turns_the_page_cache_off(app, site):
    app.extensions["pagecache"].seconds = 0
    for _ in range(2):
        assert "X-Page-Cache" not in visit(app, site.url).headers


def test_a_visitor_following_a_permalink_lands_on_a_cacheable_page(client, world):
    """The permalink names no view for a reader who never chose one, so the thread page it
    leads to sets no cookie and the next visitor gets it from the cache."""
    group = make_group(section=world.section, slug="perma", visibility=Visibility.PUBLIC)
    thread = make_thread(group=group, author=world.leader, title="Linked")
    db.session.commit()
    post_id = root_post(thread).id
    r = client.get(f"/p/{post_id}")
    assert r.status_code == 302 and "view=" not in r.headers["Location"]
    target = r.headers["Location"].split("#")[0]
    first = client.get(target)
    assert first.status_code == 200 and "Set-Cookie" not in first.headers
    assert client.get(target).headers.get("X-Page-Cache") == "hit"


def test_a_ticking_page_changes_key_with_the_clock_and_others_wait_for_a_write(
        app, site, monkeypatch):
    # The home page lists upcoming events and scheduled articles: time alone changes it. A
    # thread page changes only by writes (with Redis the generations see every worker's).
    warm(app, "/")
    warm(app, site.url)
    monkeypatch.setattr(pages, "_now", lambda: 1_900_000_030.0 + 60)
    assert not cached(app, "/")
    shared = app.extensions["pagecache"].generations.shared
    assert cached(app, site.url) is shared
