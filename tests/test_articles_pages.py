"""Articles as readers and editors use them: the latest articles with excerpts and responses,
an article with its comments (a discussions thread), drafts and scheduled articles that only
editors see, the feed, and bad input that changes nothing."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.articles.models import Article, ArticleStatus
from forum.db import utcnow
from forum.discussions.models import Thread, ThreadKind
from forum.extensions import db
from forum.groups.models import GroupKind
from forum.notifications.models import Subscription
from forum.querycount import count_queries
from tests.factories import make_user
from tests.factories_articles import comment, make_article
from tests.helpers import login, post

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
NEW = {"title": "Leading Through Change", "body": "Change is *hard*.\n\nSecond paragraph.",
       "excerpt": "", "byline": ""}


def _count():
    return db.session.scalar(select(func.count(Article.id)))


def _new(client, data, **extra):
    form = dict(NEW, **data)
    form.setdefault("submission_key", "k" * 32)
    return post(client, "/articles/new/core", form, token_from="/articles/drafts", **extra)


def test_an_editor_writes_a_draft_that_only_editors_see(client, world):
    login(client, world.editor)
    response = _new(client, {})
    assert response.status_code == 302
    article = db.session.scalar(select(Article))
    assert article.status == ArticleStatus.DRAFT and article.slug == "leading-through-change"
    assert "<em>hard</em>" in article.body_html and article.excerpt.startswith("Change is hard")
    assert client.get("/articles/leading-through-change").status_code == 200
    client.post("/auth/logout")
    for who in (None, world.member, world.leader):
        fresh = client.application.test_client()
        if who is not None:
            login(fresh, who)
        assert fresh.get("/articles/leading-through-change").status_code == 404
        assert "Leading Through Change" not in fresh.get("/articles/").get_data(as_text=True)


def test_a_double_submitted_create_makes_one_article(client, world):
    login(client, world.editor)
    first, second = _new(client, {}), _new(client, {})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count() == 1


@pytest.mark.parametrize("data,message", [
    ({"title": "Bad\x01title"}, None),
    ({"title": ""}, "Give the article a title"),
    ({"body": "  "}, "Write the article"),
    ({"slug": "new"}, "reserved"),
    ({"slug": "!!!"}, "letters or digits"),
])
def test_bad_article_forms_are_clear_errors_and_change_nothing(client, world, data, message):
    login(client, world.editor)
    response = _new(client, data)
    assert response.status_code == 400
    if message:
        assert message in response.get_data(as_text=True)
    assert _count() == 0


def test_a_slug_clash_is_a_form_error(client, world):
    make_article(section=world.section, author=world.editor, title="Leading Through Change")
    login(client, world.editor)
    response = _new(client, {})
    assert response.status_code == 400
    assert "already uses the web address" in response.get_data(as_text=True)
    assert _count() == 1


def test_an_image_needs_alt_text_and_must_be_an_image(client, world):
    login(client, world.editor)
    no_alt = _new(client, {"image": (io.BytesIO(PNG), "team.png"), "submission_key": "a" * 32})
    assert no_alt.status_code == 400 and "alt text" in no_alt.get_data(as_text=True)
    not_image = _new(client, {"image": (io.BytesIO(b"%PDF-1.4\n" + b"x" * 50), "team.png"),
                              "image_alt": "A team", "submission_key": "b" * 32})
    assert not_image.status_code == 400
    assert "PNG, JPEG, GIF or WebP" in not_image.get_data(as_text=True)
    assert _count() == 0
    ok = _new(client, {"image": (io.BytesIO(PNG), "team.png"), "image_alt": "Five people at "
                       "a whiteboard", "submission_key": "c" * 32})
    assert ok.status_code == 302
    article = db.session.scalar(select(Article))
    assert article.image_type == "image/png" and article.image_alt.startswith("Five people")
    image = client.get("/articles/leading-through-change/image")
    assert image.status_code == 200 and image.mimetype == "image/png"
    page = client.get("/articles/leading-through-change").get_data(as_text=True)
    assert 'alt="Five people at a whiteboard"' in page


def test_publishing_makes_the_comment_thread_and_subscribes_the_author(client, world):
    article = make_article(section=world.section, author=world.editor, published=False)
    login(client, world.editor)
    response = post(client, f"/articles/{article.slug}/publish", {"publish_at": ""})
    assert response.status_code == 302
    db.session.refresh(article)
    assert article.is_visible() and article.thread_id is not None
    thread = db.session.get(Thread, article.thread_id)
    assert thread.kind == ThreadKind.ARTICLE and thread.group.kind == GroupKind.ARTICLES
    assert db.session.scalar(select(Subscription.watching).where(
        Subscription.user_id == world.editor.id, Subscription.thread_id == thread.id))


@pytest.mark.parametrize("value", ["tomorrow", "2027-13-45T25:61", "2027-03-07 09:30\x00"])
def test_a_bad_publish_time_is_a_clear_error(client, world, value):
    article = make_article(section=world.section, author=world.editor, published=False)
    login(client, world.editor)
    response = post(client, f"/articles/{article.slug}/publish", {"publish_at": value})
    assert response.status_code == 400
    if "\x00" not in value:  # a NUL is refused before any form (forum.security)
        assert "2027-03-07T09:30" in response.get_data(as_text=True)
    db.session.refresh(article)
    assert article.status == ArticleStatus.DRAFT and article.thread_id is None


def test_a_scheduled_article_shows_when_its_time_comes_with_no_write(client, world):
    article = make_article(section=world.section, author=world.editor, published=False)
    login(client, world.editor)
    later = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert post(client, f"/articles/{article.slug}/publish",
                {"publish_at": later}).status_code == 302
    db.session.refresh(article)
    assert article.status == ArticleStatus.PUBLISHED and article.is_scheduled
    reader = client.application.test_client()
    login(reader, world.member)
    assert reader.get(f"/articles/{article.slug}").status_code == 404
    thread = db.session.get(Thread, article.thread_id)
    assert reader.get(f"/g/{thread.group.slug}/t/{thread.id}").status_code == 404
    assert article.title not in reader.get("/articles/").get_data(as_text=True)
    # Time passes (the scheduled moment is now behind us): shown, with nothing written.
    article.publish_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert reader.get(f"/articles/{article.slug}").status_code == 200
    assert article.title in reader.get("/articles/").get_data(as_text=True)
    assert reader.get(f"/g/{thread.group.slug}/t/{thread.id}").status_code == 200


def test_the_feed_lists_published_articles_only(client, world):
    make_article(section=world.section, author=world.editor, title="Out now")
    make_article(section=world.section, author=world.editor, title="Not yet", published=False)
    make_article(section=world.section, author=world.editor, title="Later",
                 publish_at=utcnow() + timedelta(days=3))
    response = client.get("/articles/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)] == \
        ["Out now"]


def test_an_editor_edits_and_previews(client, world):
    article = make_article(section=world.section, author=world.editor)
    login(client, world.editor)
    preview = post(client, f"/articles/{article.slug}/edit",
                   dict(NEW, title="New title", preview="Preview", body="**Bold** move"))
    assert preview.status_code == 200 and "<strong>Bold</strong>" in preview.get_data(True)
    db.session.refresh(article)
    assert article.title == "Leading through change"
    saved = post(client, f"/articles/{article.slug}/edit",
                 dict(NEW, title="New title", slug=article.slug, submit="Save draft"))
    assert saved.status_code == 302
    db.session.refresh(article)
    assert article.title == "New title"
    assert db.session.get(Thread, article.thread_id).title == "New title"


@pytest.mark.parametrize("url", ["/articles/" + "x" * 300, "/articles/nope",
                                 "/articles/nope/image", "/articles/new/nowhere",
                                 "/articles/nope/edit"])
def test_unknown_articles_are_404(client, world, url):
    login(client, world.editor)
    assert client.get(url).status_code == 404


def test_reading_pages_run_a_constant_number_of_queries(client, world):
    def budget(url):
        with count_queries() as q:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(q)

    article = make_article(section=world.section, author=world.editor, title="Busy")
    for i in range(3):
        make_article(section=world.section, author=world.editor, title=f"Article {i}")
    few = (budget("/articles/?page=1"), budget(f"/articles/{article.slug}?page=1"))
    for i in range(6):
        comment(article=article, author=make_user(), text=f"Comment {i}")
        make_article(section=world.section, author=world.editor, title=f"More {i}")
    many = (budget("/articles/?page=1"), budget(f"/articles/{article.slug}?page=1"))
    # Rows, their total and responses: one statement; the visitor's time zone (the site's):
    # another.
    assert many[0] == few[0] == 2
    assert many[1] == few[1] <= 6


def test_a_visitors_article_page_revalidates_until_someone_comments(client, world):
    article = make_article(section=world.section, author=world.editor)
    first = client.get(f"/articles/{article.slug}")
    etag = first.headers["ETag"]
    assert client.get(f"/articles/{article.slug}",
                      headers={"If-None-Match": etag}).status_code == 304
    comment(article=article, author=world.member, text="Fresh comment")
    db.session.commit()
    again = client.get(f"/articles/{article.slug}", headers={"If-None-Match": etag})
    assert again.status_code == 200 and "Fresh comment" in again.get_data(as_text=True)


def test_purging_unreferenced_blobs_keeps_article_images(client, world):
    from forum.files.purge import PurgeReport, purge_unreferenced_blobs
    from forum.storage import get_storage

    login(client, world.editor)
    _new(client, {"image": (io.BytesIO(PNG), "team.png"), "image_alt": "A team"})
    article = db.session.scalar(select(Article))
    purge_unreferenced_blobs(PurgeReport(), grace_seconds=0)
    assert get_storage().exists(article.image_sha256)
    assert client.get(f"/articles/{article.slug}/image").status_code == 200


def test_a_derived_excerpt_follows_the_body_and_a_given_one_stays(client, world):
    article = make_article(section=world.section, author=world.editor, body="First words.")
    login(client, world.editor)
    form = client.get(f"/articles/{article.slug}/edit").get_data(as_text=True)
    excerpt_box = form.split('name="excerpt"')[1].split("</textarea>")[0]
    assert "First words." not in excerpt_box  # derived, so not offered as if given
    assert "First words." in form.split('name="body"')[1].split("</textarea>")[0]
    post(client, f"/articles/{article.slug}/edit",
         dict(NEW, title=article.title, body="Other words.", excerpt=""))
    db.session.refresh(article)
    assert article.excerpt == "Other words."
    post(client, f"/articles/{article.slug}/edit",
         dict(NEW, title=article.title, body="Third words.", excerpt="Given."))
    db.session.refresh(article)
    assert article.excerpt == "Given."
