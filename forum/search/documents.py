"""What the index holds for each kind of object: a title, a body of plain text and a date.

One function per kind turns a model into a ``Document``; ``WATCHED`` names the attributes whose
change means the object's document must be written again (a post's status is not one: who may
see a hit is asked of the live rows at search time, never stored)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from forum.articles.models import Article
from forum.discussions.models import Post
from forum.events.models import Event
from forum.extensions import db
from forum.files.models import SharedFile
from forum.groups.models import Group
from forum.markup import plain_text
from forum.search.models import FileText, SearchKind
from forum.users.models import User

# Enough for the longest post the forms accept, with room; a longer text is cut, not refused.
BODY_MAX = 200_000
# Snippets are cut out of the body between these two characters (engines.py); they never
# stand in the text itself.
MARK_START, MARK_END = "\ue000", "\ue001"


class Document(NamedTuple):
    kind: SearchKind
    ref_id: int
    title: str
    body: str
    created_at: datetime


def _clean(text: str | None, limit: int = BODY_MAX) -> str:
    text = (text or "").replace(MARK_START, "").replace(MARK_END, "").replace("\x00", "")
    return text[:limit]


def _join(*parts: str | None) -> str:
    return _clean(" ".join(p for p in parts if p))


def post_document(post: Post, thread_title: str | None) -> Document:
    """A post's text; the opening post carries its thread's title too (``thread_title``:
    None for a reply), so a thread is found by its title and lands on its first post."""
    return post_values_document(post.id, post.html, post.created_at, thread_title)


def post_values_document(post_id: int, html: str | None, created_at: datetime,
                         thread_title: str | None) -> Document:
    return Document(SearchKind.POST, post_id, _clean(thread_title or "", 400),
                    _clean(plain_text(html or "")), created_at)


def file_document(f: SharedFile, content: str | None = None) -> Document:
    """A file's title, name and description, and the words inside it (``content``: read by
    the worker, forum.search.extract; None: whatever was read last, looked up here)."""
    if content is None:
        content = _stored_text(f.id)
    # The name's words apart too: PostgreSQL's parser reads "minutes-march.csv" as one token.
    name_words = " ".join(re.findall(r"[^\W_]+", f.original_name or ""))
    return Document(SearchKind.FILE, f.id, _clean(f.title, 400),
                    _join(f.original_name, name_words, f.description, content), f.created_at)


def _stored_text(file_id: int | None) -> str:
    if file_id is None:
        return ""
    return db.session.scalar(select(FileText.text).where(FileText.file_id == file_id)) or ""


def event_document(event: Event) -> Document:
    return Document(SearchKind.EVENT, event.id, _clean(event.title, 400),
                    _join(event.location, plain_text(event.description_html or "")),
                    event.starts_at)


def article_document(article: Article) -> Document:
    return Document(SearchKind.ARTICLE, article.id, _clean(article.title, 400),
                    _join(article.excerpt, plain_text(article.body_html or ""), article.byline),
                    article.publish_at or article.created_at)


def group_document(group: Group) -> Document:
    return Document(SearchKind.GROUP, group.id, _clean(group.name, 400),
                    _join(plain_text(group.purpose_html or "")),
                    group.created_at)


def person_document(user: User) -> Document:
    # Names and what the member wrote about themselves; never the e-mail address.
    return Document(SearchKind.PERSON, user.id, _join(user.display_name, user.username),
                    _join(user.affiliation, plain_text(user.bio_html or "")),
                    user.created_at)


# model → (kind, the attributes whose change rewrites its document, the document)
WATCHED = {
    SharedFile: (SearchKind.FILE, ("title", "description", "original_name"), file_document),
    Event: (SearchKind.EVENT, ("title", "description_html", "location", "starts_at"),
            event_document),
    Article: (SearchKind.ARTICLE, ("title", "body_html", "excerpt", "byline", "publish_at"),
              article_document),
    Group: (SearchKind.GROUP, ("name", "purpose_html"), group_document),
    User: (SearchKind.PERSON, ("display_name", "username", "affiliation", "bio_html"),
           person_document),
}
POST_WATCHED = ("html",)
THREAD_WATCHED = ("title",)
