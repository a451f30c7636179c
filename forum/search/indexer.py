"""Keeping the index in step with every write, in the writer's own transaction.

A listener on every session's flush sees the objects written (new, changed, deleted) while
their attribute history still tells what changed, and writes their documents with one
upsert per flush on the flush's own connection: a post and its index row commit or roll back
together. Only text changes write: a post hidden or a thread moved changes who may see a hit,
which searches ask of the live rows, not the index.

A post is the one object written by a Core INSERT in the normal course (for speed: the
statement builds its path from its new id); its writer calls ``index_inserted_post``. Rows
written with bulk statements (the benchmark's seeders) bypass the ORM: ``reindex`` (the
``flask search reindex`` command) writes every document again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import delete, event, select, tuple_
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from forum.discussions.models import Post, Thread
from forum.search.documents import (
    POST_WATCHED,
    THREAD_WATCHED,
    WATCHED,
    Document,
    post_document,
)
from forum.search.models import SearchEntry, SearchKind


def _changed(obj, names: Iterable[str]) -> bool:
    attrs = sa_inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, context) -> None:
    documents: dict[tuple[str, int], Document] = {}
    gone: set[tuple[str, int]] = set()
    renamed_threads: dict[int, str] = {}
    for obj in session.new:
        for doc in _documents_of(obj, session):
            documents[(doc.kind, doc.ref_id)] = doc
    for obj in session.dirty:
        if isinstance(obj, Thread):
            if _changed(obj, THREAD_WATCHED):
                renamed_threads[obj.id] = obj.title
        elif isinstance(obj, Post):
            if _changed(obj, POST_WATCHED):
                documents[(SearchKind.POST, obj.id)] = post_document(obj, _title_of(obj))
        elif type(obj) in WATCHED and _changed(obj, WATCHED[type(obj)][1]):
            for doc in _documents_of(obj, session):
                documents[(doc.kind, doc.ref_id)] = doc
    for obj in session.deleted:
        kind = SearchKind.POST if isinstance(obj, Post) else WATCHED.get(type(obj), (None,))[0]
        if kind is not None:
            gone.add((kind, obj.id))
    if renamed_threads:
        for doc in _opening_posts(session, renamed_threads):
            documents.setdefault((doc.kind, doc.ref_id), doc)
    if documents or gone:
        connection = session.connection()
        write_documents(connection, documents.values())
        remove_documents(connection, gone)


def _documents_of(obj, session: Session) -> Iterator[Document]:
    if isinstance(obj, Post):
        yield post_document(obj, _title_of(obj))
    elif type(obj) in WATCHED:
        yield WATCHED[type(obj)][2](obj)


def _title_of(post: Post) -> str | None:
    """The thread's title for an opening post (its thread is in the session: loaded with it,
    or created in the same flush); None for a reply."""
    if post.parent_id is not None:
        return None
    thread = post.__dict__.get("thread")
    if thread is None:
        thread = post.thread
    return thread.title if thread is not None else None


def _opening_posts(session: Session, titles: dict[int, str]) -> Iterator[Document]:
    rows = session.execute(
        select(Post).where(Post.thread_id.in_(titles), Post.parent_id.is_(None))
        .execution_options(populate_existing=False)).scalars()
    for post in rows:
        yield post_document(post, titles[post.thread_id])


def index_inserted_post(session: Session, post: Post) -> None:
    """For a post written by a Core INSERT and handed to the session as already loaded
    (``discussions.services._insert_post``: the flush never sees it as new)."""
    write_documents(session.connection(), [post_document(post, _title_of(post))])


def write_documents(connection, documents: Iterable[Document]) -> None:
    """Insert or replace the documents' rows (one statement, on the caller's connection)."""
    rows = [doc._asdict() for doc in documents]
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(SearchEntry)
    connection.execute(statement.on_conflict_do_update(
        index_elements=[SearchEntry.kind, SearchEntry.ref_id],
        set_={"title": statement.excluded.title, "body": statement.excluded.body,
              "created_at": statement.excluded.created_at}), rows)


def remove_documents(connection, keys: Iterable[tuple[str, int]]) -> None:
    keys = list(keys)
    if keys:
        connection.execute(delete(SearchEntry).where(
            tuple_(SearchEntry.kind, SearchEntry.ref_id).in_(keys)))
