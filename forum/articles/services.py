"""Use cases of articles: they change data and flush; the view commits.

An article's comments are a discussions thread (``ThreadKind.ARTICLE``) in its section's
articles group, made on demand (``articles_group``) when the section's first article is
published; the thread is made when the article is first published and keeps its comments if
the article goes back to draft (the rules then hide it with the article).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from forum import markup
from forum.articles.models import SLUG_MAX, TITLE_MAX, Article, ArticleStatus
from forum.db import utcnow
from forum.discussions import services as discussions
from forum.discussions.models import Post, Thread, ThreadKind
from forum.extensions import db
from forum.groups.models import Group, GroupKind, JoinPolicy, Section, Visibility
from forum.notifications.subscriptions import set_watching

BODY_MAX = 100_000
EXCERPT_MAX = 400
RESERVED_SLUGS = frozenset({"new", "drafts", "feed", "write"})


class ArticleError(ValueError):
    """A refusal with a message for the form; nothing was changed."""


@dataclass(frozen=True)
class ArticleDraft:
    """What the editor's form gives (already validated for shape by the form)."""

    title: str
    body: str
    excerpt: str
    byline: str
    slug: str = ""
    image_alt: str = ""


def slugify(text: str) -> str:
    """A safe web address from a title: ASCII letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def _checked_slug(draft: ArticleDraft, except_id: int | None) -> str:
    slug = slugify(draft.slug or draft.title)
    if not slug or slug in RESERVED_SLUGS:
        raise ArticleError("Choose a web address with letters or digits (not a reserved word).")
    query = select(Article.id).where(Article.slug == slug)
    if except_id is not None:
        query = query.where(Article.id != except_id)
    if db.session.scalar(query) is not None:
        raise ArticleError(f"Another article already uses the web address “{slug}”: "
                           "choose another.")
    return slug


def _texts(draft: ArticleDraft) -> tuple[str, str, str, str]:
    title = " ".join(draft.title.split())
    if not title or len(title) > TITLE_MAX:
        raise ArticleError(f"Give the article a title of at most {TITLE_MAX} characters.")
    body = draft.body.replace("\r\n", "\n").strip()
    if not body:
        raise ArticleError("Write the article before saving it.")
    if len(body) > BODY_MAX:
        raise ArticleError(f"Articles are limited to {BODY_MAX:,} characters.")
    html = markup.render(body)
    excerpt = " ".join(draft.excerpt.split()) or derived_excerpt(html)
    return title, body, html, excerpt[:EXCERPT_MAX]


def derived_excerpt(html: str) -> str:
    """The excerpt of an article given none: its first words, as plain text."""
    return markup.plain_text(html, EXCERPT_MAX)


def create_article(section: Section, author, draft: ArticleDraft) -> Article:
    """A new draft."""
    title, body, html, excerpt = _texts(draft)
    article = Article(section_id=section.id, slug=_checked_slug(draft, None), title=title,
                      body=body, body_html=html, excerpt=excerpt, author_id=author.id,
                      byline=draft.byline.strip() or author.display_name,
                      status=ArticleStatus.DRAFT, image_alt=draft.image_alt.strip())
    db.session.add(article)
    db.session.flush()
    return article


def update_article(article: Article, draft: ArticleDraft) -> bool:
    """Save the editor's changes; False when nothing changed."""
    title, body, html, excerpt = _texts(draft)
    slug = _checked_slug(draft, article.id) if draft.slug else article.slug
    new = {"title": title, "body": body, "body_html": html, "excerpt": excerpt, "slug": slug,
           "byline": draft.byline.strip() or article.byline,
           "image_alt": draft.image_alt.strip()}
    changed = {k: v for k, v in new.items() if getattr(article, k) != v}
    if not changed:
        return False
    for key, value in changed.items():
        setattr(article, key, value)
    if article.thread_id is not None and "title" in changed:
        db.session.get(Thread, article.thread_id).title = title
    db.session.flush()
    return True


def set_image(article: Article, sha256: str | None, content_type: str | None) -> None:
    article.image_sha256, article.image_type = sha256, content_type
    if sha256 is None:
        article.image_alt = ""
    db.session.flush()


def articles_group(section: Section) -> Group:
    """The section's articles group (made on first use): public, never listed, nobody joins
    it; it carries the comment threads of the section's articles."""
    group = db.session.scalar(select(Group).where(
        Group.section_id == section.id, Group.kind == GroupKind.ARTICLES))
    if group is not None:
        return group
    slug, n = f"{section.slug}-articles"[:70], 1
    while db.session.scalar(select(Group.id).where(Group.slug == slug)) is not None:
        n += 1
        slug = f"{section.slug}-articles-{n}"[:80]
    group = Group(section_id=section.id, slug=slug, name=f"Articles of {section.name}"[:200],
                  kind=GroupKind.ARTICLES, visibility=Visibility.PUBLIC,
                  join_policy=JoinPolicy.INVITE,
                  purpose="Comments on the section's articles.",
                  purpose_html=markup.render("Comments on the section's articles."))
    db.session.add(group)
    db.session.flush()
    return group


def opening_text(title: str) -> str:
    return f"Responses to the article “{title}”."


def publish(article: Article, by, publish_at: datetime | None = None, *,
            at: datetime | None = None) -> str:
    """Publish now, or schedule for ``publish_at`` (shown from then on, with no job: reads
    compare with now). Makes the comment thread on first publishing. Returns a message.
    ``at``: "now" for seeding history (an article published weeks ago)."""
    now = at or utcnow()
    when = publish_at if publish_at is not None and publish_at > now else now
    if article.status == ArticleStatus.PUBLISHED and article.publish_at == when:
        return "Nothing changed: the article was already published then."
    article.status, article.publish_at = ArticleStatus.PUBLISHED, when
    article.published_at = article.published_at or now
    if article.thread_id is None:
        group = articles_group(article.section)
        author = article.author or by
        thread = discussions.start_thread(group, author, article.title,
                                          opening_text(article.title), at=now, notify=False)
        thread.kind = ThreadKind.ARTICLE
        article.thread_id = thread.id
        db.session.flush()
        set_watching(author.id, thread_id=thread.id, watching=True)  # replies reach the author
    db.session.flush()
    if when > now:
        return f"“{article.title}” is scheduled."
    return f"“{article.title}” is published."


def unpublish(article: Article) -> str:
    """Back to draft: the article and its comments leave view (rows stay)."""
    if article.status == ArticleStatus.DRAFT:
        return "The article was already a draft; nothing changed."
    article.status, article.publish_at = ArticleStatus.DRAFT, None
    db.session.flush()
    return f"“{article.title}” is a draft again: only editors see it."


def opening_post(article: Article) -> Post | None:
    if article.thread_id is None:
        return None
    return db.session.scalar(select(Post).where(Post.thread_id == article.thread_id,
                                                Post.parent_id.is_(None)).limit(1))
