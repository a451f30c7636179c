"""Rules for articles: who writes, publishes and reads them.

A section's editors (a section-scoped appointment in force), its admins and site admins write,
publish, schedule and unpublish its articles and see its drafts and scheduled articles;
everyone else sees an article once it is published and its time has come — and a 404 before,
for the article and for its comment thread alike (DiscussionRules asks ``article_thread_open``).
Comments are posts of the article's thread: DiscussionRules decides them, with the article
group's exception (any member in good standing comments without joining).
"""

from __future__ import annotations

from sqlalchemy import exists, func, or_, select

from forum.articles.models import Article
from forum.db import utcnow
from forum.discussions.models import Thread, ThreadKind
from forum.extensions import db


class ArticleRules:
    def can_write_articles(self, section_id: int) -> bool:
        """Write, edit, preview, publish, schedule and unpublish the section's articles."""
        if not self.is_member:
            return False
        return self.is_section_editor(section_id) or self.can_admin_section(section_id)

    def can_read_article(self, article) -> bool:
        """Published and due for everyone; drafts and scheduled ones for their writers."""
        if article.is_visible():
            return True
        return self.can_write_articles(article.section_id)

    def article_thread_open(self, thread) -> bool:
        """Whether an article thread's article is out (published, its time come): one query
        per thread and request, for the rules on its posts."""
        cache = self.__dict__.setdefault("_article_threads", {})
        if thread.id not in cache:
            cache[thread.id] = db.session.scalar(select(Article.id).where(
                Article.thread_id == thread.id, Article.visible_clause(utcnow()))) is not None
        return cache[thread.id]


def article_threads_clause():
    """SQL filter for lists over ``Thread``: an article's thread only once its article is out
    (now as the database's clock, so statements built once stay right)."""
    out = exists().where(Article.thread_id == Thread.id,
                         Article.visible_clause(func.current_timestamp()))
    return or_(Thread.kind != ThreadKind.ARTICLE, out)
