"""A big upload and download stream through the worker: Python's own allocations stay small
whatever the file's size (the figure is in docs/files.md)."""

from __future__ import annotations

import hashlib
import io
import tracemalloc

import pytest

from tests.factories_files import token
from tests.helpers import login

SIZE = 64 * 1024 * 1024  # 64 MB of CSV, generated on the fly
LIMIT = 20 * 1024 * 1024
LINE = b"2024-03-07,Project Management Interest Group,present,0123456789abcdef\n"


class GeneratedCSV(io.RawIOBase):
    """A file-like object that makes its bytes as they are read: never all in memory."""

    def __init__(self, size: int) -> None:
        self.remaining = size
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.remaining)
        if n == 0:
            return 0
        chunk = (LINE * (n // len(LINE) + 1))[:n]
        buffer[:n] = chunk
        self.digest.update(chunk)
        self.remaining -= n
        return n


@pytest.fixture
def app_overrides():
    return {"FILE_MAX_SIZE": 128 * 1024 * 1024, "MAX_CONTENT_LENGTH": 256 * 1024 * 1024}


def test_big_upload_and_download_stream_in_small_memory(client, world):
    login(client, world.group_member)
    data = {"csrf_token": token(client), "folder": "0",
            "files": [(io.BufferedReader(GeneratedCSV(SIZE), 256 * 1024), "big.csv")]}
    tracemalloc.start()
    try:
        response = client.post("/g/project-management/files/upload", data=data,
                               content_type="multipart/form-data")
        _, upload_peak = tracemalloc.get_traced_memory()
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        file_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
        tracemalloc.reset_peak()
        response = client.get(f"/g/project-management/files/{file_id}/download")
        digest, received = hashlib.sha256(), 0
        for chunk in response.response:
            digest.update(chunk)
            received += len(chunk)
        response.close()
        _, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == SIZE
    assert response.headers["Content-Length"] == str(SIZE)
    print(f"\npeak Python memory: upload {upload_peak / 2**20:.1f} MB, "
          f"download {download_peak / 2**20:.1f} MB for {SIZE / 2**20:.0f} MB")
    assert upload_peak < LIMIT and download_peak < LIMIT
