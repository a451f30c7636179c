"""The read side of articles: named rows for the lists and the loader of one article.

Visibility is decided in SQL with ``Article.visible_clause(:now)`` (published and due): a
scheduled article appears when its time comes, with no job and no write. Statements are
built once per process and run with ``now`` bound.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import NamedTuple

from flask import abort
from sqlalchemy import bindparam, func, select

from forum.articles.models import Article, ArticleStatus
from forum.db import UTCDateTime, run_columns, sql_int, utcnow
from forum.discussions.models import Thread
from forum.extensions import db
from forum.groups.models import Section
from forum.pagination import Page, paged, paginate

PAGE_SIZE = 10
FEED_ENTRIES = 20


class ArticleRow(NamedTuple):
    """An article in a list: what a list prints."""

    id: int
    slug: str
    title: str
    excerpt: str
    byline: str
    publish_at: datetime | None
    status: ArticleStatus
    responses: int  # published comments (the thread's opening note is not one)
    section_name: str
    has_image: bool
    image_alt: str

    @property
    def is_scheduled(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED and self.publish_at is not None \
            and self.publish_at > utcnow()


def _now():
    return bindparam("now", type_=UTCDateTime())


def _row_columns():
    responses = (select(func.coalesce(Thread.post_count - 1, 0))
                 .where(Thread.id == Article.thread_id).scalar_subquery())
    return (Article.id, Article.slug, Article.title, Article.excerpt, Article.byline,
            Article.publish_at, Article.status,
            func.coalesce(responses, 0).label("responses"),
            Section.name.label("section_name"),
            Article.image_sha256.is_not(None).label("has_image"), Article.image_alt)


def _rows(items) -> list[ArticleRow]:
    return [ArticleRow(r.id, r.slug, r.title, r.excerpt, r.byline, r.publish_at,
                       ArticleStatus(r.status), max(int(r.responses or 0), 0),
                       r.section_name, bool(r.has_image), r.image_alt) for r in items]


@cache
def _latest_statements() -> tuple:
    visible = Article.visible_clause(_now())
    rows = (select(*_row_columns()).join(Section, Section.id == Article.section_id)
            .where(visible).order_by(Article.publish_at.desc(), Article.id.desc()))
    count = select(func.count()).select_from(Article).where(visible)
    return paged(rows.add_columns(count.scalar_subquery().label("total"))), count


def latest_articles(page: int, per_page: int = PAGE_SIZE) -> Page[ArticleRow]:
    """Published articles whose time has come, newest first: one statement (rows with their
    total and responses count)."""
    rows, count = _latest_statements()
    found = paginate(rows, count=count, params={"now": utcnow()}, page=page,
                     per_page=per_page)
    found.items = _rows(found.items)
    return found


@cache
def _recent_statement(limit: int):
    return (select(*_row_columns()).join(Section, Section.id == Article.section_id)
            .where(Article.visible_clause(_now()))
            .order_by(Article.publish_at.desc(), Article.id.desc()).limit(sql_int(limit)))


def recent_articles(limit: int) -> list[ArticleRow]:
    """The newest visible articles (home block, feed): one statement."""
    return _rows(run_columns(db.session, _recent_statement(limit), {"now": utcnow()}).all())


def unpublished_articles(perms) -> list[ArticleRow]:
    """Drafts and scheduled articles of the sections this user writes for, newest first."""
    sections = [a.section_id for a in perms.appointments if a.section_id is not None]
    stmt = (select(*_row_columns()).join(Section, Section.id == Article.section_id)
            .where(~Article.visible_clause(utcnow()) | Article.publish_at.is_(None))
            .order_by(Article.updated_at.desc(), Article.id.desc()).limit(sql_int(100)))
    if not perms.is_site_admin:
        writable = [s for s in set(sections) if perms.can_write_articles(s)]
        stmt = stmt.where(Article.section_id.in_(writable or [0]))
    return _rows(run_columns(db.session, stmt).all())


def writable_sections(perms) -> list[Section]:
    """Sections the user may write articles for (site admins: all)."""
    stmt = select(Section).order_by(Section.name)
    if not perms.is_site_admin:
        ids = {a.section_id for a in perms.appointments if a.section_id is not None}
        stmt = stmt.where(Section.id.in_([s for s in ids if perms.can_write_articles(s)]
                                         or [0]))
    return list(db.session.scalars(stmt))


_BY_SLUG = select(Article).where(Article.slug == bindparam("slug"))


def load_article(perms, slug: str, *, write: bool = False) -> Article:
    """The article named ``slug``, or 404 — also when this user may not read it (a draft or a
    scheduled article to anyone but its writers); ``write``: its writers only (404 too)."""
    article = db.session.scalar(_BY_SLUG, {"slug": slug}) if len(slug) <= 200 else None
    if article is None:
        abort(404)
    allowed = perms.can_write_articles(article.section_id) if write \
        else perms.can_read_article(article)
    perms.ensure(allowed, hide=True)
    return article


def article_slug_for_thread(perms, thread_id: int) -> str:
    """The slug of the article whose responses are thread ``thread_id``, or 404 (also when
    this user may not read the article)."""
    article = db.session.scalar(select(Article).where(Article.thread_id == thread_id))
    if article is None:
        abort(404)
    perms.ensure(perms.can_read_article(article), hide=True)
    return article.slug


def load_section(perms, slug: str) -> Section:
    section = db.session.scalar(select(Section).where(Section.slug == slug)) \
        if len(slug) <= 80 else None
    if section is None:
        abort(404)
    perms.ensure(perms.can_write_articles(section.id), hide=True)
    return section
