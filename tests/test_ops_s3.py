"""The S3 blob backend against a real S3-compatible server: moto in server mode, started here
as a separate process speaking S3 over HTTP on loopback (no mocked client). The same contract
as the disk backend: content-addressed, nothing visible before commit, streaming, ranges,
downloads only through the permission checks."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import threading
import uuid

import boto3
import pytest
from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import ClientError
from flask import send_file

from forum.storage import BlobTooLarge, get_storage, storage_for
from forum.storage_s3 import S3Reader, S3Storage
from tests.factories_files import make_file, make_pdf
from tests.helpers import login

SLUG = "project-management"
KEYS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing",
        "S3_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3_server():
    """moto_server on a free loopback port; its first lines say which."""
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    drain = threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True)
    try:
        url = None
        for line in process.stdout:  # blocks until the server prints its address
            match = re.search(r"Running on (http://127\.0\.0\.1:\d+)", line)
            if match:
                url = match.group(1)
                break
        assert url, "moto server did not start"
        # It logs every request: keep reading, or a full pipe would stall the server.
        drain.start()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        if drain.is_alive():
            drain.join(timeout=30)  # the pipe ends with the process
        process.stdout.close()


@pytest.fixture
def bucket(s3_server):
    name = f"forum-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_server, aws_access_key_id="testing",
                 aws_secret_access_key="testing", region_name="us-east-1"
                 ).create_bucket(Bucket=name)
    return name


@pytest.fixture
def app_overrides(s3_server, bucket):
    return {"STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": s3_server, "S3_BUCKET": bucket,
            "S3_PREFIX": "blobs/", **KEYS}


def objects(storage: S3Storage) -> list[str]:
    listing = storage.client.list_objects_v2(Bucket=storage.bucket)
    return sorted(item["Key"] for item in listing.get("Contents", ()))


def spooled(storage: S3Storage) -> list[str]:
    return sorted(os.listdir(storage.spool_dir)) if os.path.isdir(storage.spool_dir) else []


def test_the_configured_backend_is_s3(app):
    storage = get_storage()
    assert isinstance(storage, S3Storage) and storage is get_storage()  # one client per app


def test_nothing_is_visible_until_commit_then_it_lives_under_its_digest(app):
    storage = get_storage()
    data = b"minutes of the March meeting\n" * 20_000  # 580 kB: several chunks
    sha = hashlib.sha256(data).hexdigest()
    with storage.receive(io.BytesIO(data)) as pending:
        assert (pending.sha256, pending.size, pending.head) == (sha, len(data), data[:8192])
        assert objects(storage) == [] and not storage.exists(sha)  # only spooled locally
        assert spooled(storage)[0].startswith(".tmp-")
        pending.commit()
    assert objects(storage) == [f"blobs/{sha[:2]}/{sha[2:4]}/{sha}"]
    assert spooled(storage) == [] and storage.exists(sha)
    with storage.open(sha) as stream:
        assert stream.read() == data
    assert [name for name, _ in storage.iter_blobs()] == [sha]


def test_refused_or_failed_uploads_leave_nothing(app):
    storage = get_storage()
    with storage.receive(io.BytesIO(b"refused")):
        pass
    with pytest.raises(RuntimeError), storage.receive(io.BytesIO(b"abc")):
        raise RuntimeError("sniffing failed")
    with pytest.raises(BlobTooLarge), storage.receive(io.BytesIO(b"x" * 200_000),
                                                      max_size=100_000):
        pass
    assert objects(storage) == [] and spooled(storage) == []


def test_a_failed_upload_leaves_no_object_and_no_spooled_file(app):
    storage = get_storage()
    broken = S3Storage(storage.client, "no-such-bucket-" + uuid.uuid4().hex[:8], "blobs/",
                       storage.spool_dir)
    failures = (ClientError, S3UploadFailedError)
    with pytest.raises(failures), broken.receive(io.BytesIO(b"lost")) as pending:
        pending.commit()
    assert spooled(storage) == [] and objects(storage) == []


def test_same_content_is_stored_once_and_purge_rules_hold(app):
    storage = get_storage()
    for _ in range(2):
        with storage.receive(io.BytesIO(b"same")) as pending:
            pending.commit()
    assert len(objects(storage)) == 1
    # A blob touched after the cut-off is spared, as a fresh file is on disk.
    assert storage.delete(pending.sha256, unless_newer_than=0) is False
    assert storage.delete(pending.sha256) is True
    assert storage.delete(pending.sha256) is False
    assert objects(storage) == []


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ab/../../x", "A" * 64, "", "0" * 63])
def test_only_hex_digests_become_keys(app, bad):
    with pytest.raises(ValueError):
        get_storage().key_for(bad)


def test_reads_stream_and_seek_with_ranged_gets(app):
    storage = get_storage()
    data = bytes(range(256)) * 4096  # 1 MiB
    with storage.receive(io.BytesIO(data)) as pending:
        pending.commit()
    reader = storage.open(pending.sha256)
    assert isinstance(reader, S3Reader) and reader.seekable() and reader.size == len(data)
    assert reader.read(10) == data[:10]
    reader.seek(500_000)
    assert reader.read(1000) == data[500_000:501_000] and reader.tell() == 501_000
    reader.seek(-5, io.SEEK_END)
    assert reader.read() == data[-5:] and reader.read(10) == b""
    reader.close()
    with pytest.raises(FileNotFoundError):
        storage.open("0" * 64)


def test_an_http_range_is_answered_from_the_store(app):
    storage = get_storage()
    data = make_pdf("A", ["b"] * 40)
    with storage.receive(io.BytesIO(data)) as pending:
        pending.commit()
    with app.test_request_context(headers={"Range": "bytes=100-199"}) as ctx:
        # What a view streaming from a backend without local files does: the reader knows
        # its size, so werkzeug can answer the range by seeking it (one ranged GET).
        reader = storage.open(pending.sha256)
        response = send_file(reader, mimetype="application/pdf", etag=pending.sha256)
        response.content_length = reader.size
        response = response.make_conditional(ctx.request.environ, accept_ranges=True,
                                             complete_length=reader.size)
        response.direct_passthrough = False
        assert response.status_code == 206
        assert response.get_data() == data[100:200]
        assert response.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
        response.close()


def test_downloads_go_through_the_permission_checks(client, world):
    data = make_pdf("Budget", ["line"] * 30)
    f = make_file(group=world.private, uploader=world.leader, data=data, name="budget.pdf")
    storage = get_storage()
    assert storage.exists(hashlib.sha256(data).hexdigest())  # in the bucket
    url = f"/g/nominating/files/{f.id}/download"
    login(client, world.other_member)
    assert client.get(url).status_code == 404
    outsider = client.application.test_client()
    assert outsider.get(url).status_code in (302, 404)
    member = client.application.test_client()
    login(member, world.leader)
    response = member.get(url)
    assert response.status_code == 200 and response.get_data() == data
    assert response.headers["Content-Length"] == str(len(data))
    # A range through the site's own download route, answered from the store (video seeks).
    part = member.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.get_data() == data[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(data)}"


def test_uploads_through_the_site_land_in_the_bucket(client, world):
    from tests.factories_files import upload

    login(client, world.group_member)
    response = upload(client, SLUG, (b"a,b\n1,2\n", "notes.csv"))
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    sha = hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert get_storage().exists(sha)
    assert spooled(get_storage()) == []


def test_readyz_asks_the_bucket(app, client, s3_server):
    assert client.get("/readyz").get_json()["checks"]["storage"] == "ok"
    app.config["S3_BUCKET"] = "missing-" + uuid.uuid4().hex[:8]
    app.extensions.pop("forum_s3_storage")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["storage"]
    assert response.get_json()["checks"]["storage"] == "ClientError"


def test_without_a_bucket_the_backend_says_so(app):
    app.config["S3_BUCKET"] = None
    app.extensions.pop("forum_s3_storage", None)
    with pytest.raises(RuntimeError, match="S3_BUCKET"):
        storage_for(app)
    app.config["STORAGE_BACKEND"] = "ftp"
    with pytest.raises(RuntimeError, match="STORAGE_BACKEND"):
        storage_for(app)


def test_backup_and_restore_go_through_the_bucket(s3_server, tmp_path):
    """SQLite with blobs in the store: the backup reads them from the bucket, a restore into a
    fresh instance writes them to its own (empty) bucket."""
    from forum.extensions import db
    from tests.conftest import make_test_app
    from tests.factories import make_group, make_user

    client = boto3.client("s3", endpoint_url=s3_server, **{
        "aws_access_key_id": "testing", "aws_secret_access_key": "testing",
        "region_name": "us-east-1"})
    buckets = [f"forum-{uuid.uuid4().hex[:12]}" for _ in range(2)]
    for name in buckets:
        client.create_bucket(Bucket=name)

    def site(name: str, bucket_name: str):
        return make_test_app(f"sqlite:///{tmp_path / name / 'forum.db'}", tmp_path / name,
                             STORAGE_BACKEND="s3", S3_ENDPOINT_URL=s3_server,
                             S3_BUCKET=bucket_name, **KEYS)

    live = site("live", buckets[0])
    data = make_pdf("Minutes", ["item"] * 50)
    with live.app_context():
        db.create_all()
        group = make_group(slug="s3-drill")
        make_file(group=group, uploader=make_user(username="s3drill"), data=data,
                  name="minutes.pdf")
        db.session.commit()
        result = live.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
        assert result.exit_code == 0, result.output
        assert "1 blobs" in result.output
        db.engine.dispose()
    fresh = site("fresh", buckets[1])
    with fresh.app_context():
        result = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
        assert result.exit_code == 0, result.output
        sha = hashlib.sha256(data).hexdigest()
        with get_storage().open(sha) as stream:
            assert stream.read() == data
        assert [name for name, _ in get_storage().iter_blobs()] == [sha]
        db.engine.dispose()
