"""Many app servers and delivery workers serve one site (issue 27): two gunicorn instances on
two loopback ports and two ``flask deliver --loop`` workers, real separate processes started as
docs/deploy.md starts them, on one PostgreSQL database and one Redis, with a real SMTP server.

PostgreSQL and Redis only, by design: this is the production layout, where several hosts share
a database server and a Redis. SQLite is one file on one machine (its writers are serialised by
a file lock, and the outbox claim has no SKIP LOCKED), so "two hosts" means nothing there; the
suite's other tests cover SQLite. Without PostgreSQL or Redis the module is skipped — unless
FORUM_REQUIRE_POSTGRES=1 / FORUM_REQUIRE_REDIS=1 (CI), where it fails.

One cluster is started for the module (tests/cluster.py); each test uses its own members and
threads. The worker-killing test comes last: it leaves one worker dead.
"""

from __future__ import annotations

import http.client
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from forum.discussions.models import Post, Thread
from forum.mailing.models import Delivery, DeliveryStatus
from forum.notifications.models import DigestCursor
from forum.users.models import User
from tests.cluster import start_cluster
from tests.helpers import DEFAULT_PASSWORD
from tests.live_server import Answer, Browser

NEWSLETTER_WATCHERS = 500
CONCURRENT_REPLIES = 20


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with start_cluster(tmp_path_factory.mktemp("cluster"), NEWSLETTER_WATCHERS) as running:
        yield running


@pytest.fixture(autouse=True)
def _process_logs(cluster):
    """The tail of every process's log after each test: pytest shows it when the test fails."""
    yield
    sys.stderr.write("\n".join(p.tail() for p in cluster.processes) + "\n")


def twin(browser: Browser, port: int) -> Browser:
    """The same browser (one cookie jar) talking to another instance."""
    other = Browser(port)
    other.cookies, other._lock = browser.cookies, browser._lock
    return other


def signed_in(email: str, port: int) -> Browser:
    browser = Browser(port)
    browser.sign_in(email, DEFAULT_PASSWORD)
    return browser


def is_member(browser: Browser) -> bool:
    """The settings page answers a signed-in member; a visitor is sent to sign in."""
    status = browser.get("/auth/settings").status
    assert status in (200, 302), status
    return status == 200


def reply(browser: Browser, thread: str, body: str, token: str | None = None):
    """A reply to the opening post of ``thread`` (its path), through the form, as a browser."""
    return browser.post(f"{thread}/reply", {
        "body": body, "parent_id": "", "submission_key": uuid.uuid4().hex,
        "csrf_token": token or browser.token(thread)})


def test_a_session_from_one_instance_is_valid_on_the_other_and_ends_on_both(cluster):
    on_a = signed_in("ann@example.org", cluster.port_a)
    on_b = twin(on_a, cluster.port_b)
    assert is_member(on_a) and is_member(on_b)
    answer = on_a.post("/auth/logout", {"csrf_token": on_a.token("/auth/settings")})
    assert answer.status == 302
    assert not is_member(on_b), "signed out on A, still signed in on B"
    assert not is_member(on_a)


def test_a_password_changed_on_one_instance_ends_the_other_sessions_on_every_instance(cluster):
    laptop = signed_in("bob@example.org", cluster.port_a)
    phone = signed_in("bob@example.org", cluster.port_b)
    laptop_via_b = twin(laptop, cluster.port_b)
    assert is_member(laptop) and is_member(laptop_via_b)
    answer = phone.post("/auth/settings/password", {
        "current_password": DEFAULT_PASSWORD, "password": "a new and longer passphrase 42",
        "confirm": "a new and longer passphrase 42",
        "csrf_token": phone.token("/auth/settings/password")})
    assert answer.status == 302, answer.text[:500]
    assert not is_member(laptop) and not is_member(laptop_via_b)
    assert is_member(phone) and is_member(twin(phone, cluster.port_a))


def test_a_suspension_on_one_instance_ends_the_members_session_on_the_other(cluster):
    member = signed_in("sid@example.org", cluster.port_a)
    admin = signed_in("sam@example.org", cluster.port_b)
    assert is_member(member)
    page = "/moderation/users/sid/suspend"
    answer = admin.post(page, {"duration": "7", "reason": "Spam",
                               "csrf_token": admin.token(page)})
    assert answer.status == 302, answer.text[:500]
    assert not is_member(member) and not is_member(twin(member, cluster.port_b))


def test_a_sign_in_limit_counts_attempts_through_both_instances(cluster):
    """LOGIN_LIMIT_PER_ACCOUNT is 10 per 15 minutes: ten wrong passwords, alternating between
    the instances, and the eleventh attempt is refused on both — the right password too."""
    browsers = [Browser(cluster.port_a), Browser(cluster.port_b)]
    statuses = []
    for n in range(10):
        browser = browsers[n % 2]
        statuses.append(browser.post("/auth/login", {
            "email": "rita@example.org", "password": f"wrong guess {n}",
            "csrf_token": browser.token()}).status)
    assert 429 not in statuses and 302 not in statuses, statuses
    for browser in browsers:
        answer = browser.post("/auth/login", {"email": "rita@example.org",
                                              "password": DEFAULT_PASSWORD,
                                              "csrf_token": browser.token()})
        assert answer.status == 429, answer.status


def visit(port: int, path: str) -> Answer:
    """A visitor without cookies, through a proxy: every instance sees the same Host."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": "forum.test"})
        response = conn.getresponse()
        return Answer(response.status, dict(response.headers),
                      response.read().decode("utf-8", "replace"))
    finally:
        conn.close()


def test_a_page_cached_on_one_instance_is_renewed_there_by_a_reply_through_the_other(cluster):
    a, b, url = cluster.port_a, cluster.port_b, cluster.cache_thread
    first = visit(a, url)
    assert first.status == 200 and first.headers.get("X-Page-Cache") == "miss"
    assert visit(a, url).headers.get("X-Page-Cache") == "hit"
    assert visit(b, url).headers.get("X-Page-Cache") == "hit"  # one store for both

    member = signed_in("cleo@example.org", b)
    assert reply(member, url, "Posted through instance B").status == 302

    after = visit(a, url)
    assert after.status == 200 and after.headers.get("X-Page-Cache") == "miss"
    assert "Posted through instance B" in after.text
    assert visit(b, url).headers.get("X-Page-Cache") == "hit"  # A's new copy, on B too


def test_concurrent_replies_through_both_instances_keep_exact_counts(cluster):
    posters = [signed_in(f"poster{n}@example.org", cluster.port_a) for n in range(4)]
    tokens = [p.token(cluster.busy_thread) for p in posters]
    pairs = [(p, twin(p, cluster.port_b)) for p in posters]
    gate = threading.Barrier(CONCURRENT_REPLIES)

    def post(n: int):
        browser = pairs[n % len(pairs)][n % 2]  # half through A, half through B
        gate.wait(60)
        return reply(browser, cluster.busy_thread, f"Concurrent reply number {n}",
                     tokens[n % len(pairs)])

    with ThreadPoolExecutor(max_workers=CONCURRENT_REPLIES) as pool:
        answers = list(pool.map(post, range(CONCURRENT_REPLIES)))
    assert [a.status for a in answers] == [302] * CONCURRENT_REPLIES, \
        [a.text[:300] for a in answers if a.status != 302]

    with cluster.session() as s:
        thread = s.get(Thread, int(cluster.busy_thread.rsplit("/", 1)[1]))
        posts = s.scalars(select(Post).where(Post.thread_id == thread.id)).all()
        bodies = [p.source for p in posts if p.source.startswith("Concurrent reply")]
        assert sorted(bodies) == sorted(f"Concurrent reply number {n}"
                                        for n in range(CONCURRENT_REPLIES))
        assert thread.post_count == len(posts) == CONCURRENT_REPLIES + 1
        assert len({p.path for p in posts}) == len(posts)
        assert thread.last_post_id == max(p.id for p in posts)


DIGEST_READERS = {f"{name}@example.org" for name in
                  ("ann", "bob", "rita", "cleo", "sid", *(f"poster{n}" for n in range(4)))}


def test_each_members_digest_is_queued_once_though_both_workers_look_for_it(cluster):
    """The public group's members get the day's digest of Ada's two threads (seeded in one
    transaction: a worker sees all of it or none). Both workers look for due digests every
    second; each member's cursor moves by a conditional UPDATE, so only one of them queues it."""
    def digests() -> dict[str, int]:
        with cluster.session() as s:
            return dict(s.execute(
                select(Delivery.to_address, func.count(Delivery.id))
                .where(Delivery.subject.like("Your daily digest%"))
                .group_by(Delivery.to_address)).all())

    cluster.wait_for(lambda: DIGEST_READERS <= set(digests()), 60,
                     "a digest queued for every member of the public group")
    queued = digests()
    assert {to: n for to, n in queued.items() if n != 1} == {}  # nobody's twice
    with cluster.session() as s:
        cursors = s.scalar(select(func.count(DigestCursor.id)).join(
            User, User.id == DigestCursor.user_id).where(
            User.email.in_(DIGEST_READERS), DigestCursor.period == "daily"))
    assert cursors == len(DIGEST_READERS)


def test_500_mails_are_sent_exactly_once_while_a_worker_is_killed_half_way(cluster):
    """One reply to a thread of a group 500 members watch queues 500 mails; two workers send
    them. When half have arrived, the SMTP server SIGKILLs worker A in the middle of a send
    (its mail refused, more claimed behind it). Worker B sends the rest and, once the claim
    timeout (MAIL_CLAIM_TIMEOUT_SECONDS, a few seconds here) has passed, A's claimed mails."""
    smtp, doomed, survivor = cluster.smtp, cluster.worker_a, cluster.worker_b
    smtp.arm(doomed, "Cluster newsletter", NEWSLETTER_WATCHERS // 2)
    author = signed_in("nora@example.org", cluster.port_b)
    assert reply(author, cluster.news_thread, "Our next meeting is on Thursday.").status == 302

    def all_sent():
        with cluster.session() as s:
            return s.scalar(select(func.count(Delivery.id)).where(
                Delivery.subject.contains("Cluster newsletter"),
                Delivery.status == DeliveryStatus.SENT)) == NEWSLETTER_WATCHERS

    cluster.wait_for(all_sent, 90, "every newsletter mail marked sent")
    assert smtp.killed_at is not None and not doomed.alive(), "worker A was never killed"
    assert survivor.alive(), survivor.tail()
    mails = smtp.matching()
    assert len(mails) == NEWSLETTER_WATCHERS
    assert len({m["Message-ID"] for m in mails}) == NEWSLETTER_WATCHERS
    assert {m["To"].addresses[0].addr_spec for m in mails} == cluster.watchers
    with cluster.session() as s:
        taken_over = s.scalar(select(func.count(Delivery.id)).where(
            Delivery.subject.contains("Cluster newsletter"), Delivery.attempts > 1))
    assert taken_over >= 1  # at least the mail A died sending
