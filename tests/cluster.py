"""The production layout on loopback, for tests/test_ops_cluster.py: app servers and delivery
workers as real separate processes on one PostgreSQL database and one Redis, and an SMTP server
that can kill a worker in the middle of a send.

Every process is started in a process group of its own and killed (SIGKILL to the group) when
the cluster stops; each one's standard error goes to a file whose tail a failing test shows.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.helpers import DEFAULT_PASSWORD, REDIS_URL, SmtpSink, _free_port, require_redis

ROOT = Path(__file__).resolve().parent.parent


class Process:
    """One child process in its own process group, its stderr kept in ``log``."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.log = logs / f"{name}.log"
        with open(self.log, "wb") as err:
            self.popen = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=err, stderr=err,
                                          stdin=subprocess.DEVNULL, start_new_session=True)
        self.pid = self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group (gunicorn's workers too); waits until it is gone."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(10)
        except subprocess.TimeoutExpired:  # pragma: no cover - the kernel always obeys
            pass

    def tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return f"--- {self.name} (pid {self.pid}) ---\n" + "\n".join(text[-lines:])


def app_server(name: str, env: dict[str, str], logs: Path) -> tuple[Process, int]:
    """gunicorn as docs/deploy.md starts it (forum/ops/gunicorn_conf.py), 2 workers."""
    port = _free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    cmd = [sys.executable, "-m", "gunicorn", "-c", "python:forum.ops.gunicorn_conf",
           "--no-control-socket", "wsgi:app"]
    return Process(name, cmd, env, logs), port


def delivery_worker(name: str, env: dict[str, str], logs: Path) -> Process:
    cmd = [sys.executable, "-m", "flask", "--app", "forum", "deliver", "--loop",
           "--interval", "0.2"]
    return Process(name, cmd, env, logs)


def wait_ready(process: Process, port: int, deadline: float) -> None:
    """Until ``/readyz`` answers 200 (database and Redis reached), or fail with the log."""
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited\n{process.tail()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{process.name} not ready in time\n{process.tail()}")


def wait_for(check, seconds: float, what: str):
    """Poll ``check()`` until it returns something true, or fail saying ``what``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class KillingSmtpSink(SmtpSink):
    """The real SMTP server of the suite, which can be told to SIGKILL one delivery worker in
    the middle of a send: when ``kill_after`` mails with ``subject_part`` have arrived and the
    next such mail comes from the doomed worker's connection, the worker is killed before its
    mail is accepted (the mail is answered 451 and not kept). The worker dies with the mail
    claimed but unsent and more claimed behind it — the case the claim timeout is for."""

    def __init__(self) -> None:
        super().__init__()
        self.doomed: Process | None = None
        self.kill_after = 0
        self.subject_part = ""
        self.killed_at: int | None = None  # how many such mails had arrived
        self._matching: list = []

    def arm(self, worker: Process, subject_part: str, kill_after: int) -> None:
        self.doomed, self.subject_part, self.kill_after = worker, subject_part, kill_after

    def matching(self) -> list:
        """The messages kept whose subject has ``subject_part``."""
        return list(self._matching)

    async def handle_DATA(self, server, session, envelope):
        doomed, ours = self.doomed, self.subject_part \
            and self.subject_part.encode() in envelope.content
        if ours and doomed is not None and self.killed_at is None \
                and len(self._matching) >= self.kill_after \
                and _connection_of(doomed.pid, session.peer[1]):
            self.killed_at = len(self._matching)
            doomed.kill()
            return "451 4.3.0 the sending worker was killed"
        answer = await super().handle_DATA(server, session, envelope)
        if ours:
            self._matching.append(self.messages[-1])
        return answer


def _connection_of(pid: int, local_port: int) -> bool:
    """Whether process ``pid`` holds the loopback TCP socket bound to ``local_port`` (the
    client end of an SMTP connection): its inode from /proc/net/tcp, found among the
    process's open files."""
    wanted = f"0100007F:{local_port:04X}"
    inode = None
    try:
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1] == wanted:
                inode = fields[9]
                break
        if inode is None:
            return False
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for name in names:
        try:
            if os.readlink(f"/proc/{pid}/fd/{name}") == f"socket:[{inode}]":
                return True
        except OSError:  # closed meanwhile
            continue
    return False


# --- the cluster: a database, seeded, two instances, two workers -----------------------------

@contextmanager
def start_cluster(folder: Path, watchers: int):
    """Yield the running cluster (a SimpleNamespace); stop and remove everything after."""
    redis_client = require_redis()
    prefix = f"test-cluster-{uuid.uuid4().hex[:12]}"
    smtp = KillingSmtpSink()
    processes: list[Process] = []
    with postgres_database() as url:
        env = _environment(url, folder, prefix, smtp.port)
        engine = sa.create_engine(url)
        smtp.start()
        try:
            # Started first: they boot while the test seeds (the schema is there already).
            (server_a, port_a), (server_b, port_b) = (app_server(n, env, folder)
                                                      for n in ("app-a", "app-b"))
            processes += [server_a, server_b]
            worker_a = delivery_worker("worker-a", env, folder)
            worker_b = delivery_worker("worker-b", env, folder)
            processes += [worker_a, worker_b]
            deadline = time.monotonic() + 60
            seeded = _seed(url, folder / "seed", watchers)
            wait_ready(server_a, port_a, deadline)
            wait_ready(server_b, port_b, deadline)
            yield SimpleNamespace(
                port_a=port_a, port_b=port_b, worker_a=worker_a, worker_b=worker_b, smtp=smtp,
                session=lambda: Session(engine), wait_for=wait_for, processes=processes,
                **seeded)
        except BaseException:
            sys.stderr.write("\n".join(p.tail() for p in processes) + "\n")
            raise
        finally:
            for process in processes:
                process.kill()
            smtp.stop()
            engine.dispose()
            for key in redis_client.scan_iter(f"{prefix}*"):
                redis_client.delete(key)


@contextmanager
def postgres_database():
    """A PostgreSQL database of its own, with the schema; dropped afterwards."""
    from tests.conftest import _create_schema, _pg_admin_url

    admin = sa.create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"forum_cluster_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        if os.environ.get("FORUM_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is not reachable: {exc}")
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    url = sa.make_url(_pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    try:
        _create_schema(sa.make_url(url))
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _environment(url: str, folder: Path, prefix: str, smtp_port: int) -> dict[str, str]:
    """Production's settings (docs/deploy.md), the same for every instance and worker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORUM_", "GUNICORN_"))}
    env.update({
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        "FORUM_ENV": "production",
        "FORUM_SECRET_KEY": SECRET_KEY,
        "FORUM_SQLALCHEMY_DATABASE_URI": url,
        "FORUM_REDIS_URL": REDIS_URL,
        "FORUM_PAGE_CACHE_KEY_PREFIX": f"{prefix}-page",
        "FORUM_RATELIMIT_STORAGE_URI": REDIS_URL,
        "FORUM_RATELIMIT_KEY_PREFIX": f"{prefix}-throttle",
        "FORUM_INSTANCE_PATH": str(folder / "instance"),
        "FORUM_STORAGE_DIR": str(folder / "blobs"),
        "FORUM_SITE_URL": "http://127.0.0.1",
        "FORUM_MAIL_SERVER": "127.0.0.1",
        "FORUM_MAIL_PORT": str(smtp_port),
        # A dead worker's claims are taken over after 5 s, not 10 minutes. A living worker
        # sends its batch of 10 well within that even on a loaded machine (~0.1 s a mail at
        # worst seen), so no living worker's mail is taken over and sent twice.
        "FORUM_MAIL_CLAIM_TIMEOUT_SECONDS": "5",
        "FORUM_MAIL_BATCH_SIZE": "10",
        "FORUM_PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        # Both workers look for due digests every second, so the two look at once.
        "FORUM_DIGEST_CHECK_SECONDS": "1",
        # 20 replies from four new accounts within the hour are what the test is about.
        "FORUM_MODERATION_NEW_ACCOUNT_POSTS_PER_HOUR": "1000",
        "FORUM_MODERATION_POSTS_PER_HOUR": "1000",
    })
    return env


SECRET_KEY = "cluster-test-secret-key-0123456789-abcdefghijklmnop"


def _seed(url: str, instance: Path, watchers: int) -> dict:
    """A public group with two threads and its members; a second group whose thread
    ``watchers`` members watch, each wanting a mail per post."""
    from forum.extensions import db
    from forum.groups.models import Visibility
    from tests.conftest import make_test_app
    from tests.factories import make_group, make_group_member, make_user
    from tests.factories_discussions import make_thread

    app = make_test_app(url, instance)
    with app.app_context():
        pub = make_group(slug="pub", name="Public Group", visibility=Visibility.PUBLIC)
        ada = make_group_member(group=pub, username="ada")
        for name in ("ann", "bob", "rita", "cleo", "sid", *(f"poster{n}" for n in range(4))):
            make_group_member(group=pub, username=name)
        make_user(username="sam", site_admin=True)
        cache_thread = make_thread(group=pub, author=ada, title="Cache talk")
        busy_thread = make_thread(group=pub, author=ada, title="Busy thread")
        news = make_group(slug="news", name="News Group", visibility=Visibility.PUBLIC)
        nora = make_group_member(group=news, username="nora")
        news_thread = make_thread(group=news, author=nora, title="Cluster newsletter")
        emails = _watchers(news, watchers)
        db.session.commit()
        seeded = {"cache_thread": f"/g/pub/t/{cache_thread.id}",
                  "busy_thread": f"/g/pub/t/{busy_thread.id}",
                  "news_thread": f"/g/news/t/{news_thread.id}", "watchers": emails}
        db.session.remove()
        db.engine.dispose()
    return seeded


def _watchers(group, count: int) -> set[str]:
    """``count`` members of ``group`` who watch it with a mail per post, inserted in bulk
    (one password hash for all: creating each account alone took most of the set-up)."""
    from forum.db import utcnow
    from forum.extensions import db
    from forum.groups.models import Membership, MembershipStatus
    from forum.notifications.models import MailMode, Subscription
    from forum.users.models import User
    from forum.users.services import checked_username, hash_password

    password_hash, now = hash_password(DEFAULT_PASSWORD), utcnow()
    users = []
    for n in range(count):
        key, shape = checked_username(f"reader{n}")
        users.append(User(email=f"reader{n}@example.org", username=f"reader{n}",
                          username_key=key, username_skeleton=shape,
                          display_name=f"Reader {n}", password_hash=password_hash,
                          verified_at=now))
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all([Membership(group_id=group.id, user_id=u.id, joined_at=now,
                                   status=MembershipStatus.ACTIVE) for u in users])
    db.session.add_all([Subscription(user_id=u.id, group_id=group.id, watching=True,
                                     mode=MailMode.EACH) for u in users])
    group.member_count += count
    db.session.flush()
    return {u.email for u in users}
