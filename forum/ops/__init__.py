"""Operations: what a load balancer, a log shipper, Prometheus and the person on call need.

- ``/healthz`` (the process answers) and ``/readyz`` (the database, Redis and the blob store
  answer): health.py, views.py;
- one JSON log line per request with its request id (observe.py, logs.py);
- Prometheus metrics at ``/metrics`` behind a bearer token (metrics.py);
- ``flask backup`` / ``flask restore`` for the embedded SQLite default (backup.py, cli.py);
- production start-up refuses unsafe settings (startup.py).

``create_app`` calls ``configure_logging`` while configuring and ``install_observer`` last, so
the observer is the outermost WSGI layer and sees every answer, the page cache's front door's
too. The routes are ``ROUTE_MODULES`` like any feature's.
"""

from __future__ import annotations

from flask import Blueprint

from forum.ops.logs import configure_logging
from forum.ops.observe import install_observer
from forum.security import mark_no_store

bp = Blueprint("ops", __name__)
# Nothing here is for a cache to keep, whoever asks.
bp.before_request(mark_no_store)

ROUTE_MODULES = ("views",)

__all__ = ["bp", "ROUTE_MODULES", "configure_logging", "install_observer"]
