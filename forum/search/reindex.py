"""``flask search reindex``: write every document of the index again, with a progress bar.

For rows written around the ORM (the benchmark's seeders, a restore, an import) and after a
change to what a document holds. It writes in batches, each in its own transaction, from the
live tables; entries whose object is gone are removed at the end. Safe to run while the site
serves: a write meanwhile updates its own entry through the listener as always."""

from __future__ import annotations

from collections.abc import Iterator

import click
from flask.cli import with_appcontext
from sqlalchemy import delete, func, select

from forum.db import writing
from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.search.documents import WATCHED, Document, post_values_document
from forum.search.indexer import write_documents
from forum.search.models import SearchEntry

BATCH = 2000


@click.group("search", help="The search index.")
def search_cli() -> None:
    pass


def _post_batches(after: int = 0) -> Iterator[list[Document]]:
    while True:
        rows = db.session.execute(
            select(Post.id, Post.html, Post.created_at, Post.parent_id, Thread.title)
            .join(Thread, Thread.id == Post.thread_id)
            .where(Post.id > after).order_by(Post.id).limit(BATCH)).all()
        if not rows:
            return
        yield [post_values_document(r.id, r.html, r.created_at,
                                    r.title if r.parent_id is None else None) for r in rows]
        after = rows[-1].id


def _model_batches(model, make) -> Iterator[list[Document]]:
    after = 0
    while True:
        objs = db.session.scalars(
            select(model).where(model.id > after).order_by(model.id).limit(BATCH)).all()
        if not objs:
            return
        yield [make(o) for o in objs]
        after = objs[-1].id


def reindex(progress=None) -> int:
    """Every document again; returns how many. ``progress(n)``: called after each batch."""
    written = 0
    sources = [_post_batches()] + [_model_batches(model, make)
                                   for model, (_, _, make) in WATCHED.items()]
    for batches in sources:
        for docs in batches:
            with writing():
                write_documents(db.session.connection(), docs)
                db.session.commit()
            written += len(docs)
            if progress:
                progress(len(docs))
    _remove_orphans()
    return written


def _remove_orphans() -> None:
    """Entries whose object is gone (deleted by a cascade in the database, which no listener
    sees) are dropped: search already skips them, this only frees the space."""
    with writing():
        for model, (kind, _, _) in [(Post, ("post", None, None)), *WATCHED.items()]:
            db.session.execute(delete(SearchEntry).where(
                SearchEntry.kind == str(kind),
                SearchEntry.ref_id.not_in(select(model.id))))
        db.session.commit()


def _total() -> int:
    total = db.session.scalar(select(func.count()).select_from(Post)) or 0
    for model in WATCHED:
        total += db.session.scalar(select(func.count()).select_from(model)) or 0
    return total


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


