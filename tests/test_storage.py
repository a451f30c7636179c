"""LocalStorage: content-addressed, atomic, and nothing visible until committed."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from forum.storage import BlobTooLarge, LocalStorage


def _files(root) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, n), root)
                  for d, _, names in os.walk(root) for n in names)


def test_committed_blob_lives_under_its_sha256(tmp_path):
    storage = LocalStorage(str(tmp_path))
    data = b"minutes of the March meeting\n" * 1000
    sha = hashlib.sha256(data).hexdigest()
    with storage.receive(io.BytesIO(data)) as pending:
        assert (pending.sha256, pending.size) == (sha, len(data))
        assert pending.head == data[:8192]
        assert _files(tmp_path)[0].startswith(".tmp-")  # only a temporary file so far
        pending.commit()
    assert _files(tmp_path) == [f"{sha[:2]}/{sha[2:4]}/{sha}"]
    with storage.open(sha) as stream:
        assert stream.read() == data


def test_leaving_without_commit_keeps_nothing(tmp_path):
    storage = LocalStorage(str(tmp_path))
    with storage.receive(io.BytesIO(b"refused")):
        pass
    assert _files(tmp_path) == []


def test_an_error_while_checking_keeps_nothing(tmp_path):
    storage = LocalStorage(str(tmp_path))
    with pytest.raises(RuntimeError), storage.receive(io.BytesIO(b"abc")):
        raise RuntimeError("sniffing failed")
    assert _files(tmp_path) == []


def test_a_stream_past_the_limit_stops_and_keeps_nothing(tmp_path):
    storage = LocalStorage(str(tmp_path))
    with pytest.raises(BlobTooLarge), storage.receive(io.BytesIO(b"x" * 200_000),
                                                      max_size=100_000):
        pass
    assert _files(tmp_path) == []


def test_same_content_is_stored_once(tmp_path):
    storage = LocalStorage(str(tmp_path))
    for _ in range(2):
        with storage.receive(io.BytesIO(b"same")) as pending:
            pending.commit()
    assert len(_files(tmp_path)) == 1
    assert storage.delete(pending.sha256) is True
    assert storage.delete(pending.sha256) is False


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ab/../../x", "A" * 64, "", "0" * 63])
def test_only_hex_digests_become_paths(tmp_path, bad):
    storage = LocalStorage(str(tmp_path))
    with pytest.raises(ValueError):
        storage.path_for(bad)


def test_old_temporary_files_are_swept(tmp_path):
    storage = LocalStorage(str(tmp_path))
    leftover = tmp_path / ".tmp-crashed"
    leftover.write_bytes(b"half")
    os.utime(leftover, (1, 1))
    (tmp_path / ".tmp-in-flight").write_bytes(b"uploading")
    assert storage.sweep_temporary(older_than=60) == 1
    assert _files(tmp_path) == [".tmp-in-flight"]


def test_reusing_a_blob_refreshes_it_so_purge_spares_it(tmp_path):
    storage = LocalStorage(str(tmp_path))
    with storage.receive(io.BytesIO(b"agenda")) as pending:
        pending.commit()
    path = storage.path_for(pending.sha256)
    os.utime(path, (1, 1))  # an old, unreferenced blob …
    with storage.receive(io.BytesIO(b"agenda")) as again:
        again.commit()  # … that a new upload reuses just before purge deletes it
    assert storage.delete(pending.sha256, unless_newer_than=1000) is False
    assert storage.exists(pending.sha256)
