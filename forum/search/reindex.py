"""``flask search reindex``: write every document of the index again, with a progress bar.

For rows written around the ORM (the benchmark's seeders, a restore, an import) and after a
change to what a document holds. It reads the live tables in batches by id and writes each
batch in its own transaction (a site that keeps serving waits for one batch at most); entries
whose object is gone are removed at the end. A write meanwhile updates its own entry through
the listener as always."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import click
from flask.cli import with_appcontext
from sqlalchemy import delete, func, select

from forum.db import writing
from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.files.models import SharedFile
from forum.search.documents import WATCHED, Document, file_document, post_values_document
from forum.search.indexer import write_documents
from forum.search.models import FileText, SearchEntry, SearchKind

BATCH = 2000


def _post_batches(execute) -> Iterator[list[Document]]:
    after = 0
    while True:
        rows = execute(
            select(Post.id, Post.html, Post.created_at, Post.parent_id, Thread.title)
            .join(Thread, Thread.id == Post.thread_id)
            .where(Post.id > after).order_by(Post.id).limit(BATCH)).all()
        if not rows:
            return
        yield [post_values_document(r.id, r.html, r.created_at,
                                    r.title if r.parent_id is None else None) for r in rows]
        after = rows[-1].id


def _model_batches(execute, model, make) -> Iterator[list[Document]]:
    """Documents made from plain rows (the document functions read columns by name)."""
    table = model.__table__
    after = 0
    while True:
        stmt = select(table).where(table.c.id > after).order_by(table.c.id).limit(BATCH)
        if model is SharedFile:
            stmt = stmt.add_columns(FileText.text.label("words")).outerjoin(
                FileText, FileText.file_id == table.c.id)
        rows = execute(stmt).all()
        if not rows:
            return
        if model is SharedFile:
            yield [file_document(r, r.words or "") for r in rows]
        else:
            yield [make(r) for r in rows]
        after = rows[-1].id


def document_batches(execute) -> Iterator[list[Document]]:
    """Every document, in batches; ``execute(statement)`` runs a read (a session's or a
    connection's)."""
    yield from _post_batches(execute)
    for model, (_, _, make) in WATCHED.items():
        yield from _model_batches(execute, model, make)


def remove_orphans(execute) -> None:
    """Entries whose object is gone (a cascade in the database, which no listener sees)."""
    for model, kind in [(Post, SearchKind.POST), *((m, k) for m, (k, _, _) in WATCHED.items())]:
        execute(delete(SearchEntry).where(SearchEntry.kind == kind.value,
                                          SearchEntry.ref_id.not_in(select(model.id))))


def reindex(progress: Callable[[int], None] | None = None) -> int:
    """Every document again, through the app's session; returns how many."""
    written = 0
    with writing():
        for docs in document_batches(db.session.execute):
            write_documents(db.session.connection(), docs)
            db.session.commit()
            written += len(docs)
            if progress:
                progress(len(docs))
        remove_orphans(db.session.execute)
        db.session.commit()
    return written


def _total() -> int:
    return sum(db.session.scalar(select(func.count()).select_from(model)) or 0
               for model in (Post, *WATCHED))


@click.group("search", help="The search index.")
def search_cli() -> None:
    pass


@search_cli.command("reindex")
@click.option("--if-empty", is_flag=True,
              help="Only when the index is empty (a site upgraded to a version with search).")
@with_appcontext
def reindex_command(if_empty: bool) -> None:
    """Rebuild the search index from the live tables."""
    if if_empty and db.session.scalar(select(SearchEntry.id).limit(1)) is not None:
        return
    with click.progressbar(length=_total(), label="Indexing") as bar:
        written = reindex(bar.update)
    click.echo(f"Indexed {written} documents.")
