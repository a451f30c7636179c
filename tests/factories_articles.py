"""Factories for articles (keyword-only, like the others)."""

from __future__ import annotations

from datetime import datetime

from forum.articles import services
from forum.articles.models import Article
from forum.db import utcnow
from forum.extensions import db


def make_article(*, section, author, title: str = "Leading through change",
                 body: str = "Change is *hard*. Here is how teams get through it.\n\nMore.",
                 excerpt: str = "", byline: str = "", published: bool = True,
                 publish_at: datetime | None = None) -> Article:
    article = services.create_article(section, author, services.ArticleDraft(
        title=title, body=body, excerpt=excerpt, byline=byline))
    if published:
        past = publish_at is not None and publish_at <= utcnow()
        services.publish(article, author, None if past else publish_at,
                         at=publish_at if past else None)
    db.session.flush()
    return article


def comment(*, article, author, text: str = "Thank you for this.", parent=None):
    """A published comment on the article (a reply in its thread)."""
    from forum.discussions import services as discussions
    from forum.discussions.models import Thread

    thread = db.session.get(Thread, article.thread_id)
    parent = parent or services.opening_post(article)
    return discussions.reply(thread, parent, author, text)
