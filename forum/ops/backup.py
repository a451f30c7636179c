"""Backup and restore of the embedded SQLite database and the blob folder.

A backup is one folder (or the same folder as a ``.tar.gz``/``.tgz`` archive):

    manifest.json   format, when, the database file's SHA-256 and size, every table's row
                    count, the Alembic revision, every blob's digest and size
    forum.db        the database, copied with SQLite's online backup API
                    (``sqlite3.Connection.backup``): a consistent snapshot taken inside one
                    read transaction while the site keeps running — never a file copy, which
                    can catch a live database (and its WAL) half-written
    blobs/ab/cd/…   the blobs, read through the configured store (the folder, or the S3
                    bucket), each checked against its name

The database is copied first, the blobs after: every blob a row of the snapshot refers to was
stored before that row was committed (forum/storage.py), so it is there to copy; a blob
uploaded in between is copied too and is merely unreferenced (``flask files purge``).

Restore checks everything first (the manifest, the database's digest and ``PRAGMA
integrity_check``, every blob's digest), and only then writes: the database through the
backup API again (into the configured file), the blobs through the store's own atomic
receive and commit. It refuses an instance that has data — any row in any table, or any blob —
unless forced.

PostgreSQL is backed up with its own tools (pg_dump, or base backups with WAL archiving for
point-in-time recovery; docs/deploy.md): ``PostgresNotSupported`` says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy.engine import make_url

from forum.storage import CHUNK_SIZE, Storage, storage_for

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "forum.db"
BLOBS = "blobs"
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")  # a manifest's digest, before it names a path


class BackupError(Exception):
    """Something the operator must fix; the message says what."""


class PostgresNotSupported(BackupError):
    def __init__(self) -> None:
        super().__init__(
            "The database is PostgreSQL: back it up with pg_dump (or base backups and WAL "
            "archiving for point-in-time recovery) and the blob store with its own tools; "
            "see docs/deploy.md, 'Backups'. flask backup/restore handle the embedded SQLite "
            "database only.")


def sqlite_file(app: Flask) -> str:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        raise PostgresNotSupported()
    if not url.database or url.database == ":memory:":
        raise BackupError("The SQLite database is in memory: there is nothing to back up.")
    return os.path.abspath(url.database)


# --- backup ----------------------------------------------------------------------------------

def backup(app: Flask, dest: str) -> dict:
    """Write a backup of the running site to ``dest`` (a new folder, or an archive)."""
    source = sqlite_file(app)
    if not os.path.exists(source):
        raise BackupError(f"There is no database at {source}.")
    archive = dest.endswith(ARCHIVE_SUFFIXES)
    if os.path.exists(dest) and (archive or os.listdir(dest)):
        raise BackupError(f"{dest} already exists: name a new folder or archive.")
    parent = os.path.dirname(os.path.abspath(dest))
    os.makedirs(parent, exist_ok=True)
    folder = tempfile.mkdtemp(prefix=".backup-", dir=parent) if archive else dest
    os.makedirs(folder, exist_ok=True)
    try:
        database = _snapshot(source, os.path.join(folder, DATABASE))
        blobs = _copy_blobs(storage_for(app), os.path.join(folder, BLOBS))
        manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(),
                    "database": database, "blobs": blobs}
        with open(os.path.join(folder, MANIFEST), "w") as out:
            json.dump(manifest, out, indent=1, sort_keys=True)
        if archive:
            partial = dest + ".partial"
            with tarfile.open(partial, "w:gz") as tar:
                for name in sorted(os.listdir(folder)):
                    tar.add(os.path.join(folder, name), arcname=name)
            os.replace(partial, dest)
    finally:
        if archive:
            shutil.rmtree(folder, ignore_errors=True)
    return manifest


def _snapshot(source: str, target: str) -> dict:
    """The online backup API, in one step (one read transaction: one consistent snapshot)."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        described = _describe(dst)
    finally:
        dst.close()
        src.close()
    described.update(file=DATABASE, sha256=_digest(target), size=os.path.getsize(target))
    return described


def _describe(conn: sqlite3.Connection) -> dict:
    check = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise BackupError(f"The database copy fails SQLite's integrity check: {check}")
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    tables = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    revision = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return {"tables": tables, "alembic_revision": revision}


def _copy_blobs(storage: Storage, target: str) -> dict:
    """Every blob of the store (the folder, or the bucket), read through the store."""
    files = []
    for sha, _mtime in sorted(storage.iter_blobs()):
        dest = os.path.join(target, sha[:2], sha[2:4], sha)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with storage.open(sha) as source:
            size = _copy_checked(source, dest, sha)
        files.append([sha, size])
    return {"count": len(files), "bytes": sum(size for _, size in files), "files": files}


# --- restore ---------------------------------------------------------------------------------

def restore(app: Flask, src: str, *, force: bool = False) -> dict:
    """Restore a backup into this instance's database file and blob folder."""
    target = sqlite_file(app)
    with _opened(src) as folder:
        manifest = _verified(folder)
        storage = storage_for(app)
        if not force and _has_data(target, storage):
            raise BackupError(
                f"This instance already has data ({target} or its blob store): restore into "
                "an empty instance, or add --force to replace its database.")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        src_conn = sqlite3.connect(os.path.join(folder, DATABASE))
        dst_conn = sqlite3.connect(target, timeout=30)
        try:
            src_conn.backup(dst_conn)
        finally:
            dst_conn.close()
            src_conn.close()
        for sha, _size in manifest["blobs"]["files"]:
            # Through the store's own receive/commit: hashed again, written atomically, and a
            # blob already there is kept (content-addressed).
            with open(os.path.join(folder, BLOBS, sha[:2], sha[2:4], sha), "rb") as data, \
                    storage.receive(data) as pending:
                if pending.sha256 != sha:
                    raise BackupError(f"Blob {sha} changed while it was restored.")
                pending.commit()
    return manifest


class _opened:
    """The backup as a folder: itself, or an archive unpacked (safely) into a temporary one."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.temp: str | None = None

    def __enter__(self) -> str:
        if os.path.isdir(self.src):
            return self.src
        if not (self.src.endswith(ARCHIVE_SUFFIXES) and os.path.isfile(self.src)):
            raise BackupError(f"{self.src} is neither a backup folder nor a .tar.gz archive.")
        self.temp = tempfile.mkdtemp(prefix=".restore-")
        with tarfile.open(self.src, "r:gz") as tar:
            tar.extractall(self.temp, filter="data")  # no absolute paths, links or devices
        return self.temp

    def __exit__(self, *exc) -> None:
        if self.temp:
            shutil.rmtree(self.temp, ignore_errors=True)


def _verified(folder: str) -> dict:
    try:
        with open(os.path.join(folder, MANIFEST)) as f:
            manifest = json.load(f)
    except (OSError, ValueError) as exc:
        raise BackupError(f"No readable {MANIFEST} in the backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    database = os.path.join(folder, DATABASE)
    if not os.path.isfile(database) or _digest(database) != manifest["database"]["sha256"]:
        raise BackupError("The backup's database does not match its manifest (damaged?).")
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        _describe(conn)
    finally:
        conn.close()
    for sha, size in manifest["blobs"]["files"]:
        path = os.path.join(folder, BLOBS, sha[:2], sha[2:4], sha)
        if not _SHA256.match(sha) or not os.path.isfile(path) or _digest(path) != sha \
                or os.path.getsize(path) != size:
            raise BackupError(f"Blob {sha} is missing or damaged in the backup.")
    return manifest


def _has_data(database: str, storage: Storage) -> bool:
    if next(iter(storage.iter_blobs()), None) is not None:
        return True
    if not os.path.exists(database) or os.path.getsize(database) == 0:
        return False
    conn = sqlite3.connect(database, timeout=30)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'")]
        return any(conn.execute(f'SELECT 1 FROM "{n}" LIMIT 1').fetchone() for n in names)
    finally:
        conn.close()


def _digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_checked(inp, dest: str, sha: str) -> int:
    """Copy a blob, hashing on the way; a blob whose bytes do not match its name is refused."""
    digest = hashlib.sha256()
    size = 0
    with open(dest, "wb") as out:
        while chunk := inp.read(CHUNK_SIZE):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != sha:
        os.unlink(dest)
        raise BackupError(f"Blob {sha} does not match its digest: the stored file is damaged.")
    return size
