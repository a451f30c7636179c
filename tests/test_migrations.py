"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from forum.extensions import db
from forum.search.models import include_name
from tests.conftest import _pg_admin_url, make_test_app


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    admin_url = sa.make_url(_pg_admin_url())
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"forum_migrate_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        if os.environ.get("FORUM_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is not reachable: {exc}")
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    yield admin_url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_match_the_models(empty_database, tmp_path):
    app = make_test_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True,
                         "include_name": include_name})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_posts_with_files_before_the_flag_are_flagged(empty_database, tmp_path):
    """Files attached before posts carried ``has_files`` still show on their thread page."""
    app = make_test_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade(revision="e41a7c9b2d63")
        with db.engine.begin() as conn:
            _rows_before_the_flag(conn)
        upgrade()
        with db.engine.connect() as conn:
            flagged = dict(conn.execute(sa.text("SELECT id, has_files FROM posts")).all())
        db.engine.dispose()
    assert {k: bool(v) for k, v in flagged.items()} == {1: True, 2: False}


def _rows_before_the_flag(conn) -> None:
    """Two posts of one thread, the first with a file attached, written as the schema stood."""
    rows = [
        ("sections", {"id": 1, "slug": "s"}),
        ("users", {"id": 1, "username": "a", "username_key": "a", "is_site_admin": False}),
        ("groups", {"id": 1, "section_id": 1, "slug": "g", "kind": "interest_group",
                    "visibility": "public", "join_policy": "open", "member_count": 0}),
        ("threads", {"id": 1, "group_id": 1, "kind": "discussion", "pinned": False,
                     "locked": False, "hidden": False, "post_count": 2}),
        ("posts", {"id": 1, "thread_id": 1, "path": "00000001", "depth": 0, "author_id": 1,
                   "status": "published", "recommend_count": 0}),
        ("posts", {"id": 2, "thread_id": 1, "path": "0000000100000002", "depth": 1,
                   "author_id": 1, "status": "published", "recommend_count": 0}),
        ("shared_files", {"id": 1, "group_id": 1, "size": 1, "kind": "csv",
                          "content_type": "text/csv", "version_count": 1, "download_count": 0,
                          "attached": True}),
        ("attachments", {"id": 1, "post_id": 1, "file_id": 1, "position": 0}),
    ]
    metadata = sa.MetaData()
    for name, values in rows:
        table = sa.Table(name, metadata, autoload_with=conn)
        conn.execute(table.insert().values(**_filled(table, values)))


def _filled(table: sa.Table, values: dict) -> dict:
    """``values`` plus a plain value for every other required column (text, a time)."""
    filled = dict(values)
    for column in table.columns:
        if column.name in filled or column.nullable or column.primary_key:
            continue
        if column.server_default is not None:
            continue
        python_type = column.type.python_type
        filled[column.name] = (datetime(2026, 11, 1, tzinfo=UTC) if python_type is datetime
                               else "x")
    return filled


def test_members_made_before_skeletons_get_theirs_and_the_first_keeps_a_lookalike(
        empty_database, tmp_path):
    """Upgrading fills each name's look-alike skeleton; of two look-alikes made before the
    rule, the older account holds it (so new look-alikes of either are still refused)."""
    app = make_test_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade(revision="a7f3c1e9b542")
        with db.engine.begin() as conn:
            users = sa.Table("users", sa.MetaData(), autoload_with=conn)
            for user_id, name in ((1, "lena"), (2, "1ena"), (3, "admin")):
                conn.execute(users.insert().values(**_filled(users, {
                    "id": user_id, "username": name, "username_key": name,
                    "email": f"{name}@example.org", "is_site_admin": False})))
        upgrade()
        with db.engine.connect() as conn:
            shapes = dict(conn.execute(sa.text("SELECT id, username_skeleton FROM users")).all())
        db.engine.dispose()
    assert shapes[1] is not None and shapes[3] is not None and shapes[1] != shapes[3]
    assert shapes[2] is None


def test_sections_made_before_time_zones_read_in_utc_and_keep_their_groups(
        empty_database, tmp_path):
    """Upgrading gives every section UTC (what readers saw before); neither step recreates
    ``sections``, so its groups survive both ways (on SQLite a recreated table cascades)."""
    app = make_test_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade(revision="5809225190fe")
        with db.engine.begin() as conn:
            metadata = sa.MetaData()
            for name, values in (("sections", {"id": 1, "slug": "s"}),
                                 ("groups", {"id": 1, "section_id": 1, "slug": "g",
                                             "kind": "interest_group", "visibility": "public",
                                             "join_policy": "open", "member_count": 0})):
                table = sa.Table(name, metadata, autoload_with=conn)
                conn.execute(table.insert().values(**_filled(table, values)))
        upgrade()
        with db.engine.connect() as conn:
            zones = conn.execute(sa.text("SELECT timezone FROM sections")).scalars().all()
        downgrade(revision="5809225190fe")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("sections")}
            groups = conn.execute(sa.text("SELECT slug FROM groups")).scalars().all()
        db.engine.dispose()
    assert zones == ["UTC"]
    assert "timezone" not in columns and groups == ["g"]


def test_articles_groups_fit_the_kind_check_and_nothing_cascades(empty_database, tmp_path):
    """The articles migration widens ``ck_groups_group_kind`` without recreating ``groups``
    (on SQLite a recreated table cascades): a group and its thread made before it survive,
    an ``articles`` group fits after it, and a made-up kind is still refused."""
    app = make_test_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade(revision="3f6b2d8e1c47")
        with db.engine.begin() as conn:
            metadata = sa.MetaData()
            for name, values in (("sections", {"id": 1, "slug": "s"}),
                                 ("groups", {"id": 1, "section_id": 1, "slug": "g",
                                             "kind": "interest_group", "visibility": "public",
                                             "join_policy": "open", "member_count": 0}),
                                 ("threads", {"id": 1, "group_id": 1, "kind": "discussion",
                                              "title": "t", "pinned": False, "locked": False,
                                              "hidden": False, "post_count": 0})):
                table = sa.Table(name, metadata, autoload_with=conn)
                conn.execute(table.insert().values(**_filled(table, values)))
        upgrade(revision="8d5f3b0c2e41")
        groups = sa.Table("groups", sa.MetaData(), autoload_with=db.engine)
        with db.engine.begin() as conn:
            conn.execute(groups.insert().values(**_filled(groups, {
                "id": 2, "section_id": 1, "slug": "s-articles", "kind": "articles",
                "visibility": "public", "join_policy": "invite", "member_count": 0})))
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(groups.insert().values(**_filled(groups, {
                "id": 3, "section_id": 1, "slug": "x", "kind": "emperor",
                "visibility": "public", "join_policy": "open", "member_count": 0})))
        with db.engine.connect() as conn:
            kept = conn.execute(sa.text("SELECT count(*) FROM threads")).scalar_one()
            kinds = sorted(conn.execute(sa.text("SELECT kind FROM groups")).scalars())
        downgrade(revision="3f6b2d8e1c47")
        with db.engine.connect() as conn:
            after = sorted(conn.execute(sa.text("SELECT kind FROM groups")).scalars())
            threads = conn.execute(sa.text("SELECT count(*) FROM threads")).scalar_one()
        db.engine.dispose()
    assert kept == 1 and kinds == ["articles", "interest_group"]
    assert after == ["interest_group"] and threads == 1
