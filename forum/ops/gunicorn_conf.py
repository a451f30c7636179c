"""gunicorn's settings for production: ``gunicorn -c python:forum.ops.gunicorn_conf wsgi:app``.

Read from the environment: ``GUNICORN_BIND`` (default ``127.0.0.1:8000``, for a proxy on
the same host), ``GUNICORN_WORKERS`` (default 2 × CPUs + 1), ``GUNICORN_TIMEOUT`` (30 s).
gunicorn's own access log is off: the app writes one JSON line per request
(forum.requests) with more in it.

With ``PROMETHEUS_MULTIPROC_DIR`` set (docs/deploy.md, "Metrics"), every worker keeps its
counters in files there: the folder is emptied when the master starts (old workers' numbers
would be counted again) and a worker that exits is marked dead.
"""

from __future__ import annotations

import glob
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
accesslog = None
errorlog = "-"


def on_starting(server) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for path in glob.glob(os.path.join(folder, "*.db")):
            os.unlink(path)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
