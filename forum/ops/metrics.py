"""Prometheus metrics (``prometheus-client``), served at ``/metrics`` (views.py).

Per app, counted by the request observer (observe.py):
- ``forum_http_requests_total{method, route, status}`` — ``route`` is the URL rule
  (``/g/<slug>/t/<int:thread_id>``), never the raw path, so the label set stays small;
- ``forum_http_request_duration_seconds{method, route}`` — a latency histogram.

Read from the database at each scrape (so every worker reports the same, true numbers):
- ``forum_outbox_depth`` — mail waiting in the outbox (``deliveries`` pending or being sent);
- ``forum_outbox_oldest_seconds`` — how long the oldest waiting mail has waited;
- ``forum_deliveries_failed`` — mail the worker gave up on (``MAIL_MAX_ATTEMPTS`` reached);
- ``forum_deliveries_retrying`` — waiting mail that has failed at least once.

Under gunicorn each worker is a process with its own counters. With the environment variable
``PROMETHEUS_MULTIPROC_DIR`` set (before the workers start; see docs/deploy.md), the counters
are kept in files in that folder and a scrape, whichever worker answers it, adds up every
worker's (``MultiProcessCollector``); gunicorn's ``child_exit`` hook (forum/ops/gunicorn.py)
tells the library when a worker is gone.
"""

from __future__ import annotations

import os
from datetime import datetime

from flask import Flask
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import func, select

from forum.db import utcnow
from forum.extensions import db
from forum.mailing.models import Delivery, DeliveryStatus

disable_created_metrics()  # the *_created series double the output for nothing we read

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """One app's request metrics, in a registry of its own (tests build many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "forum_http_requests", "HTTP requests answered, by route and status.",
            ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram(
            "forum_http_request_duration_seconds", "Time to answer a request, by route.",
            ["method", "route"], buckets=BUCKETS, registry=self.registry)

        # The labelled children, found once: ``labels()`` costs more than the count itself.
        self._children: dict[tuple[str, str, int], tuple] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route))
        children[0].inc()
        children[1].observe(seconds)


class OutboxCollector:
    """The outbox's numbers, read when Prometheus scrapes (inside the request's app context)."""

    def collect(self):
        waiting = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
        counts = dict(db.session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)).all())
        oldest, retrying = db.session.execute(
            select(func.min(Delivery.created_at),
                   func.count().filter(Delivery.attempts > 0))
            .where(Delivery.status.in_(waiting))).one()
        yield _gauge("forum_outbox_depth", "Mail waiting in the outbox (pending or sending).",
                     sum(counts.get(s, 0) for s in waiting))
        yield _gauge("forum_outbox_oldest_seconds", "Age of the oldest mail still waiting.",
                     _age(oldest))
        yield _gauge("forum_deliveries_failed",
                     "Mail the worker gave up on after MAIL_MAX_ATTEMPTS.",
                     counts.get(DeliveryStatus.FAILED, 0))
        yield _gauge("forum_deliveries_retrying", "Waiting mail that failed at least once.",
                     retrying or 0)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _age(created: datetime | None) -> float:
    if created is None:
        return 0.0
    now = utcnow()
    if created.tzinfo is None:
        now = now.replace(tzinfo=None)
    return max(0.0, (now - created).total_seconds())


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition(app: Flask) -> tuple[bytes, str]:
    """The text Prometheus reads: the request metrics (this process's, or every worker's in
    multiprocess mode) followed by the outbox's."""
    if multiprocess_dir():
        from prometheus_client import multiprocess

        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = app.extensions["forum_metrics"].registry
    outbox = CollectorRegistry(auto_describe=False)
    outbox.register(OutboxCollector())
    return generate_latest(requests) + generate_latest(outbox), CONTENT_TYPE_LATEST
