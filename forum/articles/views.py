"""Readers' pages of articles: the latest articles, one article with its comments, its image
and the Atom feed. Editors' pages are in editor_views.py."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    url_for,
)

from forum.articles import bp
from forum.articles.queries import (
    FEED_ENTRIES,
    article_slug_for_thread,
    latest_articles,
    load_article,
    recent_articles,
)
from forum.db import utcnow
from forum.discussions.forms import ReplyForm
from forum.discussions.models import Thread
from forum.discussions.reading import read_thread_page
from forum.extensions import db
from forum.files.pictures import picture_response
from forum.forms import ActionForm
from forum.groups.queries import site_zone
from forum.http import arg_page
from forum.jinja import reader_zone
from forum.pagecache import cached_page
from forum.security import mark_no_store


@bp.get("/articles/")
@cached_page("site", ticking=True)  # a scheduled article comes out with no write
def index():
    page = latest_articles(arg_page())
    return render_template("articles/index.html", page=page,
                           reader_zone=reader_zone(site_zone(g.perms)),
                           can_write=g.perms.is_member and _writes_any(g.perms))


def _writes_any(perms) -> bool:
    return perms.is_site_admin or any(
        perms.can_write_articles(a.section_id) for a in perms.appointments
        if a.section_id is not None)


@bp.get("/articles/<slug>")
@cached_page("site")
def show(slug: str):
    perms = g.perms
    article = load_article(perms, slug)
    thread = db.session.get(Thread, article.thread_id) if article.thread_id else None
    posts = viewer = form = None
    if thread is not None and perms.can_read_thread(thread):
        viewer = perms.thread_viewer(thread)
        posts = read_thread_page(thread, perms, viewer, view="tree", number=arg_page(),
                                 after=None, last_read=None)
        if viewer.can_reply and posts.opening_post_id:
            form = ReplyForm(formdata=None)
            form.parent_id.data = str(posts.opening_post_id)
    writes = perms.can_write_articles(article.section_id)
    if not article.is_visible():
        mark_no_store()  # a draft or a scheduled article: never in a shared cache
    return render_template(
        "articles/show.html", article=article, thread=thread, posts=posts, viewer=viewer,
        form=form, writes=writes, action=ActionForm() if writes else None,
        reader_zone=reader_zone(article.section.timezone))


@bp.get("/articles/responses/<int:thread_id>")
def for_thread(thread_id: int):
    """Where an article's responses live: its page (a permalink to a response lands here,
    page number kept; the browser keeps the #post anchor across the redirect)."""
    slug = article_slug_for_thread(g.perms, thread_id)
    page = arg_page()
    return redirect(url_for("articles.show", slug=slug, page=page if page > 1 else None))


@bp.get("/articles/<slug>/image")
def image(slug: str):
    article = load_article(g.perms, slug)
    if article.image_sha256 is None:
        abort(404)
    return picture_response(article.image_sha256, article.image_type,
                            max_age=3600 if article.is_visible() else 0)


@bp.get("/articles/feed.atom")
@cached_page("site", ticking=True)  # a scheduled article comes out with no write
def feed():
    entries = recent_articles(FEED_ENTRIES)
    xml = render_template("articles/feed.atom.xml", entries=entries,
                          updated=entries[0].publish_at if entries else utcnow(),
                          site_url=current_app.config["SITE_URL"])
    response = make_response(xml)
    response.mimetype = "application/atom+xml"
    return response
