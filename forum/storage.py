"""File blobs behind one interface: content-addressed by SHA-256, written atomically.

A blob is received in two steps so that nothing half-written or refused is ever visible:

    with storage.receive(stream, max_size=...) as pending:   # streamed to a temporary file
        check(pending)                                          # sniff it, check quotas …
        pending.commit()                                        # fsync + os.replace: visible
    # leaving the block without commit() deletes the temporary file

``LocalStorage`` keeps blobs under ``STORAGE_DIR`` at ``ab/cd/abcdef…`` (the hex digest). The
temporary file lives in the storage root, on the same file system as its final place, so
``os.replace`` is atomic: a crash leaves at worst an unreferenced ``.tmp-*`` file that
``flask files purge`` removes, never a partial blob under a real name.

``S3Storage`` (forum/storage_s3.py, ``STORAGE_BACKEND = "s3"``) keeps blobs in an
S3-compatible object store: ``receive`` spools to a temporary file under ``STORAGE_DIR`` the same
way, ``commit`` uploads it (an object is visible only once wholly written), and ``open`` gives a
seekable reader that fetches byte ranges as they are read. ``storage_for(app)`` picks the backend.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from typing import BinaryIO

from flask import current_app

CHUNK_SIZE = 64 * 1024
HEAD_SIZE = 8 * 1024  # the first bytes are kept for sniffing the type
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobTooLarge(Exception):
    """The stream went past the size limit; nothing was kept."""


class PendingBlob:
    """A received stream, hashed and on disk, not yet visible under its digest."""

    def __init__(self, storage: Storage, temp_path: str, sha256: str, size: int,
                 head: bytes) -> None:
        self.storage = storage
        self.temp_path = temp_path
        self.sha256 = sha256
        self.size = size
        self.head = head
        self.committed = False

    def open(self) -> BinaryIO:
        """Read the received bytes (for sniffing) before they are committed."""
        return open(self.temp_path, "rb")

    def commit(self) -> None:
        self.storage._commit(self)
        self.committed = True

    def discard(self) -> None:
        if not self.committed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.temp_path)


class Storage:
    """What every backend offers. Digests are validated before they touch a path or a key."""

    def receive(self, stream: BinaryIO, max_size: int | None = None):  # pragma: no cover
        raise NotImplementedError

    def open(self, sha256: str) -> BinaryIO:  # pragma: no cover
        raise NotImplementedError

    def local_path(self, sha256: str) -> str | None:
        """A path the web server may stream from, when the backend has one."""
        return None

    def exists(self, sha256: str) -> bool:  # pragma: no cover
        raise NotImplementedError

    def delete(self, sha256: str, *, unless_newer_than: float | None = None) -> bool:
        raise NotImplementedError  # pragma: no cover

    def iter_blobs(self) -> Iterator[tuple[str, float]]:  # pragma: no cover
        """Every stored digest with its modification time (for purging unreferenced blobs)."""
        raise NotImplementedError

    def sweep_temporary(self, older_than: float) -> int:  # pragma: no cover
        raise NotImplementedError

    def check_ready(self) -> None:  # pragma: no cover
        """Raise unless the store takes blobs right now (``/readyz``, production start-up)."""
        raise NotImplementedError


class LocalStorage(Storage):
    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)

    # --- paths -----------------------------------------------------------------------------
    def path_for(self, sha256: str) -> str:
        if not _SHA256.match(sha256 or ""):
            raise ValueError("not a SHA-256 hex digest")
        return os.path.join(self.root, sha256[:2], sha256[2:4], sha256)

    def local_path(self, sha256: str) -> str | None:
        return self.path_for(sha256)

    # --- writing ---------------------------------------------------------------------------
    def receive(self, stream: BinaryIO, max_size: int | None = None):
        return spool(self, self.root, stream, max_size)

    def _commit(self, pending: PendingBlob) -> None:
        final = self.path_for(pending.sha256)
        directory = os.path.dirname(final)
        os.makedirs(directory, exist_ok=True)
        if os.path.exists(final):
            os.unlink(pending.temp_path)  # same content already stored: deduplicated
            # Fresh again: purge spares recently touched blobs, so it never removes one
            # that a version row is about to reference.
            os.utime(final)
            return
        os.replace(pending.temp_path, final)
        _fsync_dir(directory)

    # --- reading and removing ----------------------------------------------------------------
    def open(self, sha256: str) -> BinaryIO:
        return open(self.path_for(sha256), "rb")

    def exists(self, sha256: str) -> bool:
        return os.path.exists(self.path_for(sha256))

    def delete(self, sha256: str, *, unless_newer_than: float | None = None) -> bool:
        path = self.path_for(sha256)
        try:
            if unless_newer_than is not None and os.path.getmtime(path) > unless_newer_than:
                return False
            os.unlink(path)
        except FileNotFoundError:
            return False
        return True

    def iter_blobs(self) -> Iterator[tuple[str, float]]:
        if not os.path.isdir(self.root):
            return
        for dirpath, _dirs, names in os.walk(self.root):
            for name in names:
                if _SHA256.match(name):
                    yield name, os.path.getmtime(os.path.join(dirpath, name))

    def sweep_temporary(self, older_than: float) -> int:
        return sweep_temporary_files(self.root, older_than)

    def check_ready(self) -> None:
        check_writable(self.root)


@contextlib.contextmanager
def spool(storage: Storage, root: str, stream: BinaryIO,
          max_size: int | None) -> Iterator[PendingBlob]:
    """Receive a stream into a temporary file under ``root``, hashing it (every backend)."""
    os.makedirs(root, exist_ok=True)
    fd, temp_path = tempfile.mkstemp(prefix=".tmp-", dir=root)
    pending = None
    try:
        sha, size, head = _copy_hashing(stream, fd, max_size)
        pending = PendingBlob(storage, temp_path, sha, size, head)
        yield pending
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)
        if pending is None or not pending.committed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_path)


def sweep_temporary_files(root: str, older_than: float) -> int:
    """Remove temporary files left by a crash (only old ones: uploads may be in flight)."""
    removed = 0
    if not os.path.isdir(root):
        return 0
    for name in os.listdir(root):
        path = os.path.join(root, name)
        if name.startswith(".tmp-") and os.path.getmtime(path) < time.time() - older_than:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
                removed += 1
    return removed


def check_writable(root: str) -> None:
    """The folder exists (or can be made) and takes a file; the probe is named like the
    store's temporary files, so a crash here leaves nothing ``files purge`` misses."""
    os.makedirs(root, exist_ok=True)
    fd, path = tempfile.mkstemp(prefix=".tmp-ready-", dir=root)
    try:
        os.write(fd, b"ready")
    finally:
        os.close(fd)
        os.unlink(path)


def _copy_hashing(stream: BinaryIO, fd: int, max_size: int | None) -> tuple[str, int, bytes]:
    """Copy in chunks while hashing: memory stays at one chunk whatever the file's size."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    while True:
        chunk = stream.read(CHUNK_SIZE)
        if not chunk:
            break
        size += len(chunk)
        if max_size is not None and size > max_size:
            raise BlobTooLarge()
        if len(head) < HEAD_SIZE:
            head += chunk[: HEAD_SIZE - len(head)]
        digest.update(chunk)
        view = memoryview(chunk)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    os.fsync(fd)
    return digest.hexdigest(), size, head


def _fsync_dir(directory: str) -> None:
    # Make the rename itself durable; not every platform lets a directory be opened.
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


BACKENDS = ("local", "s3")


def storage_for(app) -> Storage:
    """The configured backend: ``STORAGE_BACKEND`` "local" (files under ``STORAGE_DIR``) or
    "s3" (an S3-compatible bucket; one client per app, kept in ``app.extensions``)."""
    backend = app.config.get("STORAGE_BACKEND") or "local"
    if backend == "local":
        return LocalStorage(app.config["STORAGE_DIR"])
    if backend == "s3":
        store = app.extensions.get("forum_s3_storage")
        if store is None:
            from forum.storage_s3 import S3Storage

            store = app.extensions["forum_s3_storage"] = S3Storage.from_config(app.config)
        return store
    raise RuntimeError(f"STORAGE_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}.")


def get_storage() -> Storage:
    """The application's storage backend (local files unless configured otherwise)."""
    return storage_for(current_app)
