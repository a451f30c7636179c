"""flask backup / flask restore: a restore drill on SQLite, refusals, and PostgreSQL's answer."""

from __future__ import annotations

import json
import os
import sqlite3
import threading

import pytest

from forum.extensions import db
from forum.storage import LocalStorage
from tests.conftest import make_test_app
from tests.factories import make_group, make_membership, make_user
from tests.factories_discussions import make_reply, make_thread
from tests.factories_files import make_file, make_png


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def table_rows(path: str) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
                for n in names}
    finally:
        conn.close()


def blob_bytes(app) -> dict[str, bytes]:
    storage = LocalStorage(app.config["STORAGE_DIR"])
    return {sha: open(storage.path_for(sha), "rb").read() for sha, _ in storage.iter_blobs()}


@pytest.fixture
def live(tmp_path):
    """A site on SQLite with members, a thread and its replies, and two files (blobs)."""
    app = make_test_app(f"sqlite:///{tmp_path / 'live' / 'forum.db'}", tmp_path / "live")
    with app.app_context():
        db.create_all()
        group = make_group(slug="drill")
        author = make_user(username="driller")
        make_membership(group=group, user=author)
        thread = make_thread(group=group, author=author, title="Restore drill")
        for n in range(5):
            make_reply(thread=thread, author=author, body=f"Reply {n} with ünïcode ✓")
        make_file(group=group, uploader=author, data=b"name,count\nAna,3\n" * 500)
        make_file(group=group, uploader=author, data=make_png(), name="logo.png")
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_restore_drill_into_a_fresh_instance(live, tmp_path):
    path = live.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    # Live: another connection is in the middle of a write while the backup runs. The backup
    # is a consistent snapshot without that uncommitted row, and does not wait for it.
    # Committed rows still in the write-ahead log, not yet in forum.db: a copy of the file
    # would miss them; the backup API does not.
    assert os.path.getsize(path + "-wal") > 0
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO sections (name, slug, description, timezone, created_at, "
                   "updated_at) VALUES ('Uncommitted', 'uncommitted', '', 'UTC', "
                   "'2026-01-01 00:00:00', '2026-01-01 00:00:00')")
    done = {}
    worker = threading.Thread(target=lambda: done.update(
        result=invoke(live, "backup", str(tmp_path / "backup"))))
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the backup waited for the writer"
    writer.execute("ROLLBACK")
    writer.close()
    result = done["result"]
    assert result.exit_code == 0, result.output
    assert "2 blobs" in result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["tables"]["posts"] == 6
    assert manifest["blobs"]["count"] == 2

    # A site answering requests on the live database all along.
    assert live.test_client().get("/").status_code == 200

    fresh = make_test_app(f"sqlite:///{tmp_path / 'fresh' / 'forum.db'}", tmp_path / "fresh")
    with fresh.app_context():
        result = invoke(fresh, "restore", str(tmp_path / "backup"))
        assert result.exit_code == 0, result.output
        assert table_rows(fresh.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")) \
            == table_rows(path)
        assert blob_bytes(fresh) == blob_bytes(live) and len(blob_bytes(fresh)) == 2
        assert "Uncommitted" not in json.dumps(
            table_rows(fresh.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))[
                "sections"])
        # The restored site serves its thread.
        response = fresh.test_client().get("/")
        assert response.status_code == 200

        # Now the instance has data: a second restore is refused unless forced.
        again = invoke(fresh, "restore", str(tmp_path / "backup"))
        assert again.exit_code != 0 and "--force" in again.output
        forced = invoke(fresh, "restore", "--force", str(tmp_path / "backup"))
        assert forced.exit_code == 0, forced.output
        db.engine.dispose()


def test_an_archive_backup_restores_too(live, tmp_path):
    archive = tmp_path / "site.tar.gz"
    assert invoke(live, "backup", str(archive)).exit_code == 0
    assert archive.is_file() and not list(tmp_path.glob(".backup-*"))
    assert invoke(live, "backup", str(archive)).exit_code != 0  # never overwrites
    fresh = make_test_app(f"sqlite:///{tmp_path / 'fresh' / 'forum.db'}", tmp_path / "fresh")
    with fresh.app_context():
        result = invoke(fresh, "restore", str(archive))
        assert result.exit_code == 0, result.output
        assert blob_bytes(fresh) == blob_bytes(live)
        db.engine.dispose()


def test_a_damaged_backup_is_refused_before_anything_is_written(live, tmp_path):
    assert invoke(live, "backup", str(tmp_path / "backup")).exit_code == 0
    blob = next((tmp_path / "backup" / "blobs").rglob("*"))
    while blob.is_dir():
        blob = next(blob.iterdir())
    blob.write_bytes(blob.read_bytes() + b"tampered")
    fresh = make_test_app(f"sqlite:///{tmp_path / 'fresh' / 'forum.db'}", tmp_path / "fresh")
    with fresh.app_context():
        result = invoke(fresh, "restore", str(tmp_path / "backup"))
        db.engine.dispose()
    assert result.exit_code != 0 and "damaged" in result.output
    assert not os.path.exists(tmp_path / "fresh" / "forum.db") or not table_rows(
        str(tmp_path / "fresh" / "forum.db")).get("posts")
    assert not blob_bytes(fresh)


def test_backup_into_a_non_empty_folder_is_refused(live, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "other.txt").write_text("keep me")
    result = invoke(live, "backup", str(tmp_path / "busy"))
    assert result.exit_code != 0 and "already exists" in result.output
    assert os.listdir(tmp_path / "busy") == ["other.txt"]


def test_on_postgresql_backup_says_pg_dump_and_fails(app, tmp_path):
    result = invoke(app, "backup", str(tmp_path / "backup"))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert result.exit_code != 0 and "pg_dump" in result.output
        assert not (tmp_path / "backup").exists()
        (tmp_path / "backup").mkdir()
        refused = invoke(app, "restore", str(tmp_path / "backup"))
        assert refused.exit_code != 0 and "pg_dump" in refused.output
    else:
        assert result.exit_code == 0, result.output
        assert (tmp_path / "backup" / "forum.db").is_file()
