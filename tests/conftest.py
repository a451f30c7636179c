"""Fixtures: an app per test on SQLite and on PostgreSQL, a client, real SMTP, helpers.

Every test that asks for ``app`` runs twice: on a fresh SQLite file and on a PostgreSQL database
made for this test session (tables truncated after each test). PostgreSQL comes from
``FORUM_TEST_POSTGRES_URL`` or a local server on 127.0.0.1:5432; when neither answers those runs
are skipped — unless ``FORUM_REQUIRE_POSTGRES=1`` (CI), where they fail.
"""

from __future__ import annotations

import contextvars
import os
import time
import uuid

import pytest
import sqlalchemy as sa
from flask.globals import _cv_app, _cv_request
from flask.testing import FlaskClient

from forum import create_app
from forum.extensions import db
from forum.pagecache import pages
from tests.helpers import SmtpSink

DEFAULT_PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


# --- PostgreSQL: one database per test session ------------------------------------------------

def _pg_admin_url() -> str:
    url = os.environ.get("FORUM_TEST_POSTGRES_URL") or DEFAULT_PG_ADMIN_URL
    return url.replace("postgresql://", "postgresql+psycopg://", 1) \
        if url.startswith("postgresql://") else url


@pytest.fixture(scope="session")
def postgres_url():
    admin_url = sa.make_url(_pg_admin_url())
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            name = f"forum_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL is not reachable at {admin_url.render_as_string()}: {exc}"
        if os.environ.get("FORUM_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    url = admin_url.set(database=name)
    _create_schema(url)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _create_schema(url) -> None:
    from forum import models  # noqa: F401 - registers every table

    engine = sa.create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()


# Every sequence of the test database (serial and identity columns), to start again at 1.
_SEQUENCES = sa.text(
    "SELECT setval(c.oid, 1, false) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind = 'S' AND n.nspname = current_schema()")


def truncate_all(engine) -> None:
    """Empty every table after a PostgreSQL test, and restart the ids at 1.

    DELETE, not TRUNCATE: TRUNCATE costs the same whatever a table holds (new files for the
    table and each of its indexes, synced at commit), about a second per test with this
    schema, and half the suite's tests run on PostgreSQL; a test's few rows DELETE in
    milliseconds. Foreign keys are not checked while emptying (session_replication_role, for
    this transaction only; the test server's user is a superuser), so the order of the tables
    does not matter.
    """
    deletes = "; ".join(f'DELETE FROM "{t.name}"' for t in db.metadata.sorted_tables)
    with engine.begin() as conn:  # one round trip for the deletes
        conn.exec_driver_sql(f"SET LOCAL session_replication_role = replica; {deletes}")
        conn.execute(_SEQUENCES)


# --- the app --------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _page_clock_held_still(monkeypatch):
    """The page cache's clock stands still for the length of a test. With the in-process
    store a visitor's page and its ETag are keyed on a 60-second window of that clock, so two
    looks at a page that straddled a window's edge got different answers: a test of "the
    second look is a 304" then failed about once in a few hundred runs. Tests of the window
    itself set their own clock."""
    now = time.time()
    monkeypatch.setattr(pages, "_now", lambda: now)


def _share_url_builders() -> None:
    """Werkzeug compiles a Python function for every URL rule of every app it builds; the
    suite builds an app per test, each with the same ~160 rules, and those compilations were
    two thirds of making one (50 ms a test). A builder depends only on the rule's text, its
    parsed parts and its defaults, so one compiled per such rule serves every app. Tests
    only: a server builds one app."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    if getattr(compile_builder, "shared_by_tests", False):
        return
    built: dict = {}

    def shared(self, append_unknown: bool = True):
        key = (self.rule, tuple(self._trace), append_unknown,
               tuple(sorted((k, repr(v)) for k, v in (self.defaults or {}).items())))
        if key not in built:
            built[key] = compile_builder(self, append_unknown)
        return built[key]

    shared.shared_by_tests = True
    Rule._compile_builder = shared


_share_url_builders()

@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'forum.db'}"
    return request.getfixturevalue("postgres_url")


def make_test_app(database_url: str, instance_path, **overrides):
    config = {
        "ENV_NAME": "testing",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(instance_path),
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # memory-hard still, but quick for tests
        "MAIL_SERVER": None,
        "SITE_URL": "http://localhost",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app_overrides():
    """Override to change configuration for a module: ``return {"KEY": value}``."""
    return {}


@pytest.fixture
def app(database, tmp_path, app_overrides):
    app = make_test_app(database, tmp_path / "instance", **app_overrides)
    app.test_client_class = IsolatedClient
    with app.app_context():
        if database.startswith("sqlite"):
            db.create_all()
        yield app
        db.session.remove()
        if not database.startswith("sqlite"):
            truncate_all(db.engine)
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, as a real server would.

    The test's own app context (and its database session) stays pushed for setting up data and
    checking results; each request gets a fresh context, session and ``g``. What the test added
    is committed before the request, and the test's session starts afresh after it, so checks
    read what the request wrote.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        ctx = contextvars.copy_context()
        response = ctx.run(self._open_outside_test_context, *args, **kwargs)
        db.session.commit()  # end the test's read transaction; objects reload on next access
        return response

    def _open_outside_test_context(self, *args, **kwargs):
        _cv_app.set(None)
        _cv_request.set(None)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()


# --- mail -----------------------------------------------------------------------------------

@pytest.fixture
def smtp():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def mail(app, smtp):
    """Mail goes over real SMTP to an aiosmtpd server on loopback; ``mail.deliver()`` runs the
    outbox worker and returns the messages that arrived."""
    app.config.update(MAIL_SERVER=smtp.host, MAIL_PORT=smtp.port)
    smtp.app = app
    return smtp


@pytest.fixture
def lmtp(app):
    """An LMTP client connected to the app's own LMTP server (``flask mail lmtp``) on
    loopback, the way an MTA delivers mail in."""
    import smtplib

    from forum.inbound.lmtp import lmtp_server
    from tests.helpers import _free_port

    server = lmtp_server(app, "127.0.0.1", _free_port())
    server.start()
    client = smtplib.LMTP("127.0.0.1", server.port)
    yield client
    client.close()
    server.stop()


@pytest.fixture
def world(app):
    """One user per role and the groups they hold roles in: see tests/world.py."""
    from tests.world import build_world

    return build_world()
