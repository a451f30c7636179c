"""The search index of the seeded site: written from its rows as ``flask search reindex``
writes it (the seeders insert around the ORM, so no listener saw them)."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from forum.search.indexer import write_documents
from forum.search.reindex import document_batches


def seed_search(conn: Connection, progress=None) -> int:
    written = 0
    for docs in document_batches(conn.execute):
        write_documents(conn, docs)
        written += len(docs)
        if progress:
            progress(len(docs))
    return written
