"""/metrics: Prometheus text behind a bearer token; counters that move; the outbox's depth."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from forum.extensions import db
from forum.mail import queue_mail
from forum.mailing.models import Delivery, DeliveryStatus
from tests.conftest import IsolatedClient

TOKEN = "metrics-token-0123456789abcdef"
ROOT = Path(__file__).resolve().parent.parent


class ClosingClient(IsolatedClient):
    """Requests are counted when the server closes the answer's body: buffered, as one would."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture
def app_overrides():
    return {"METRICS_TOKEN": TOKEN}


@pytest.fixture
def client(app):
    app.test_client_class = ClosingClient
    return app.test_client()


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    assert "Set-Cookie" not in response.headers and "no-store" in response.headers[
        "Cache-Control"]
    return samples(response.get_data(as_text=True))


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def requests_count(values, route: str, status: str = "200", method: str = "GET") -> float:
    key = ("forum_http_requests_total",
           (("method", method), ("route", route), ("status", status)))
    return values.get(key, 0.0)


@pytest.mark.parametrize("app_overrides", [{}], ids=["no-token"])
def test_no_token_configured_means_no_endpoint(app, client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
                      ).status_code == 404


def test_a_wrong_or_missing_token_is_refused(app, client):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": TOKEN},
                    {"Authorization": f"Bearer {TOKEN[:-1]}"}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401, headers
        assert "forum_http_requests" not in response.get_data(as_text=True)
    assert client.get("/metrics", headers={"Authorization": f"bearer {TOKEN}"}
                      ).status_code == 200


def test_counters_and_histogram_move_after_requests(app, client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert client.get("/no/such/page").status_code == 404
    after = scrape(client)
    assert requests_count(after, "/healthz") - requests_count(before, "/healthz") == 3
    assert requests_count(after, "unmatched", "404") - requests_count(
        before, "unmatched", "404") == 1
    histogram = ("forum_http_request_duration_seconds_count",
                 (("method", "GET"), ("route", "/healthz")))
    assert after[histogram] - before.get(histogram, 0) == 3
    bucket = ("forum_http_request_duration_seconds_bucket",
              (("le", "+Inf"), ("method", "GET"), ("route", "/healthz")))
    assert after[bucket] == after[histogram]
    # The scrape before this one was counted too, by its rule.
    assert requests_count(after, "/metrics") >= 1


def test_outbox_depth_and_failures_come_from_the_deliveries_table(app, client):
    values = scrape(client)
    assert values[("forum_outbox_depth", ())] == 0
    assert values[("forum_deliveries_failed", ())] == 0
    for n in range(3):
        queue_mail(f"reader{n}@example.org", "Hello", "Body")
    db.session.commit()
    gave_up = db.session.query(Delivery).order_by(Delivery.id).first()
    gave_up.status, gave_up.attempts = DeliveryStatus.FAILED, 8
    retrying = db.session.query(Delivery).order_by(Delivery.id.desc()).first()
    retrying.attempts = 2
    db.session.commit()
    values = scrape(client)
    assert values[("forum_outbox_depth", ())] == 2
    assert values[("forum_deliveries_failed", ())] == 1
    assert values[("forum_deliveries_retrying", ())] == 1
    assert values[("forum_outbox_oldest_seconds", ())] >= 0


MULTIPROCESS_WORKER = """
import sys
from forum import create_app
app = create_app({"ENV_NAME": "testing", "SECRET_KEY": "s" * 40, "METRICS_TOKEN": sys.argv[3],
                  "SQLALCHEMY_DATABASE_URI": sys.argv[1], "INSTANCE_PATH": sys.argv[2]})
client = app.test_client()
for _ in range(int(sys.argv[4])):
    assert client.get("/healthz", buffered=True).status_code == 200
if sys.argv[5] == "scrape":
    from forum.extensions import db
    with app.app_context():
        db.create_all()
    response = client.get("/metrics", headers={"Authorization": "Bearer " + sys.argv[3]},
                          buffered=True)
    sys.stdout.write(response.get_data(as_text=True))
"""


def test_multiprocess_mode_adds_up_every_workers_counts(tmp_path):
    """As under gunicorn with PROMETHEUS_MULTIPROC_DIR: three processes count, one scrape (in
    the last) reports the sum of all of them."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder),
           "PYTHONPATH": str(ROOT)}
    database = f"sqlite:///{tmp_path / 'forum.db'}"

    def run(count: int, mode: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", MULTIPROCESS_WORKER, database, str(tmp_path / "instance"),
             TOKEN, str(count), mode], env=env, capture_output=True, text=True, timeout=120,
            cwd=ROOT)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run(2, "count")
    run(3, "count")
    text = run(1, "scrape")
    assert list(folder.glob("*.db")), "the workers' counters live in the folder"
    values = samples(text)
    assert requests_count(values, "/healthz") == 6
    assert values[("forum_outbox_depth", ())] == 0


def test_gunicorn_hooks_clear_the_folder_and_mark_workers_dead(tmp_path, monkeypatch):
    from forum.ops import gunicorn_conf

    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"old")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    gunicorn_conf.on_starting(None)
    assert not list(folder.glob("*.db"))
    (folder / "gauge_livesum_4242.db").write_bytes(b"x" * 16)
    gunicorn_conf.child_exit(None, type("Worker", (), {"pid": 4242})())
    assert not (folder / "gauge_livesum_4242.db").exists()
    assert gunicorn_conf.accesslog is None
