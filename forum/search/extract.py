"""Reading the words inside uploaded files, for search: in the delivery worker, never in a
request (a 200-page PDF takes seconds), within caps on the bytes read and the text kept.

``extract_pending`` finds library files whose current version has not been read (no
``FileText`` row, or one for an older blob), reads a few, stores their text and writes their
search documents again. A file that cannot be read (damaged, encrypted, too large) gets a row
saying why, so it is not tried on every round; its title, name and description stay
searchable. Several workers may run it at once: the worst case is a file read twice."""

from __future__ import annotations

import io
import logging

from flask import current_app
from sqlalchemy import and_, or_, select

from forum.db import utcnow, writing
from forum.extensions import db
from forum.files.models import FileVersion, SharedFile
from forum.search.documents import file_document
from forum.search.indexer import write_documents
from forum.search.models import FileText
from forum.storage import get_storage

log = logging.getLogger(__name__)

READABLE = ("pdf", "docx", "txt", "md", "csv")
PDF_PAGES_MAX = 300


class Unreadable(Exception):
    pass


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader  # the worker's import: requests never load the PDF reader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise Unreadable("encrypted")
    return "\n".join((page.extract_text() or "") for page in reader.pages[:PDF_PAGES_MAX])


def _docx(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _plain(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


READERS = {"pdf": _pdf, "docx": _docx, "txt": _plain, "md": _plain, "csv": _plain}


def read_text(data: bytes, kind: str, max_chars: int) -> str:
    """The text of a file's bytes, whitespace collapsed and cut to ``max_chars``."""
    try:
        text = READERS[kind](data)
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged upload may raise anything a parser
        # has (pypdf's, zipfile's, lxml's errors, RecursionError): all mean "unreadable".
        raise Unreadable("unreadable") from exc
    return " ".join(text.replace("\x00", " ").split())[:max_chars]


def pending_files(limit: int) -> list[tuple[SharedFile, FileVersion]]:
    version = FileVersion
    stmt = (select(SharedFile, version)
            .join(version, version.id == SharedFile.current_version_id)
            .outerjoin(FileText, FileText.file_id == SharedFile.id)
            .where(SharedFile.deleted_at.is_(None), SharedFile.kind.in_(READABLE),
                   or_(FileText.file_id.is_(None),
                       and_(FileText.blob_sha256 != version.blob_sha256)))
            .order_by(SharedFile.id).limit(limit))
    return [tuple(row) for row in db.session.execute(stmt)]


def extract_pending(limit: int = 10) -> int:
    """Read up to ``limit`` files; returns how many were read (or found unreadable)."""
    config = current_app.config
    max_bytes, max_chars = config["SEARCH_EXTRACT_MAX_BYTES"], config["SEARCH_EXTRACT_MAX_CHARS"]
    done = 0
    with writing():
        for f, version in pending_files(limit):
            text, problem = "", ""
            if version.size > max_bytes:
                problem = "too large"
            else:
                try:
                    with get_storage().open(version.blob_sha256) as stream:
                        text = read_text(stream.read(max_bytes + 1), f.kind, max_chars)
                except Unreadable as exc:
                    problem = str(exc)
                except FileNotFoundError:
                    problem = "blob missing"
            if problem:
                log.info("search: file %s not read (%s)", f.id, problem)
            row = db.session.get(FileText, f.id) or FileText(file_id=f.id)
            row.blob_sha256, row.text, row.problem = version.blob_sha256, text, problem
            row.extracted_at = utcnow()
            db.session.add(row)
            db.session.flush()
            write_documents(db.session.connection(), [file_document(f, text)])
            done += 1
        db.session.commit()
    return done
