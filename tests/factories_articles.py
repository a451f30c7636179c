"""Factories for articles (keyword-only, like the others)."""

from __future__ import annotations

from datetime import datetime

from forum.articles import services
from forum.articles.models import Article
from forum.extensions import db


def make_article(*, section, author, title: str = "Leading through change",
                 body: str = "Change is *hard*. Here is how teams get through it.\n\nMore.",
                 excerpt: str = "", byline: str = "", published: bool = True,
                 publish_at: datetime | None = None) -> Article:
    article = services.create_article(section, author, services.ArticleDraft(
        title=title, body=body, excerpt=excerpt, byline=byline))
    if published:
        services.publish(article, author, publish_at)
        if publish_at is not None:  # the past too (services schedule only the future)
            article.publish_at = publish_at
    db.session.flush()
    return article


def comment(*, article, author, text: str = "Thank you for this.", parent=None):
    """A published comment on the article (a reply in its thread)."""
    from forum.discussions import services as discussions
    from forum.discussions.models import Thread

    thread = db.session.get(Thread, article.thread_id)
    parent = parent or services.opening_post(article)
    return discussions.reply(thread, parent, author, text)
