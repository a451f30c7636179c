"""What a hit prints besides its marked text: its link, where it lives, who wrote it, when.

One statement per kind present on the page (at most six, whatever the page size), each over
the page's ids only; the search already decided the reader may see these rows."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from forum.articles.models import Article
from forum.discussions.models import Post, Thread
from forum.events.models import Event
from forum.files.models import SharedFile
from forum.groups.models import Group
from forum.search.models import SearchKind
from forum.users.models import User


class HitLink(NamedTuple):
    title: str  # the object's own title, when the index's title is empty (a reply)
    endpoint: str
    args: dict
    where: str  # the group (or calendar) it lives in, "" for none
    author: str | None
    when: datetime | None


def _posts(session, ids):
    rows = session.execute(
        select(Post.id, Thread.title, Group.name, User.display_name, Post.created_at)
        .join(Thread, Thread.id == Post.thread_id).join(Group, Group.id == Thread.group_id)
        .outerjoin(User, User.id == Post.author_id).where(Post.id.in_(ids)))
    return {r.id: HitLink(r.title, "discussions.permalink", {"post_id": r.id}, r.name,
                          r.display_name, r.created_at) for r in rows}


def _files(session, ids):
    rows = session.execute(
        select(SharedFile.id, SharedFile.title, Group.slug, Group.name, User.display_name,
               SharedFile.updated_at)
        .join(Group, Group.id == SharedFile.group_id)
        .outerjoin(User, User.id == SharedFile.uploader_id).where(SharedFile.id.in_(ids)))
    return {r.id: HitLink(r.title, "files.detail", {"slug": r.slug, "file_id": r.id}, r.name,
                          r.display_name, r.updated_at) for r in rows}


def _events(session, ids):
    rows = session.execute(
        select(Event.id, Event.title, Group.name, Event.starts_at)
        .outerjoin(Group, Group.id == Event.group_id).where(Event.id.in_(ids)))
    return {r.id: HitLink(r.title, "events.event", {"event_id": r.id}, r.name or "",
                          None, r.starts_at) for r in rows}


def _articles(session, ids):
    rows = session.execute(
        select(Article.id, Article.title, Article.slug, Article.byline, User.display_name,
               Article.publish_at)
        .outerjoin(User, User.id == Article.author_id).where(Article.id.in_(ids)))
    return {r.id: HitLink(r.title, "articles.show", {"slug": r.slug}, "",
                          r.byline or r.display_name, r.publish_at) for r in rows}


def _groups(session, ids):
    rows = session.execute(select(Group.id, Group.name, Group.slug).where(Group.id.in_(ids)))
    return {r.id: HitLink(r.name, "groups.show", {"slug": r.slug}, "", None, None)
            for r in rows}


def _people(session, ids):
    rows = session.execute(
        select(User.id, User.display_name, User.username, User.affiliation)
        .where(User.id.in_(ids)))
    return {r.id: HitLink(r.display_name, "users.profile", {"username": r.username},
                          r.affiliation, None, None) for r in rows}


_LOADERS = {
    SearchKind.POST: _posts, SearchKind.FILE: _files, SearchKind.EVENT: _events,
    SearchKind.ARTICLE: _articles, SearchKind.GROUP: _groups, SearchKind.PERSON: _people,
}


def load_links(session, refs: list[tuple[str, int]]) -> dict[tuple[str, int], HitLink]:
    by_kind: dict[str, list[int]] = {}
    for kind, ref_id in refs:
        by_kind.setdefault(kind, []).append(ref_id)
    links = {}
    for kind, ids in by_kind.items():
        for ref_id, link in _LOADERS[SearchKind(kind)](session, ids).items():
            links[(kind, ref_id)] = link
    return links
