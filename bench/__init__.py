"""`make bench`: seed a large forum, serve it with gunicorn as in production, load it with wrk.

Modules: ``seed`` (bulk seeder and its scales), ``seed_posts`` (threads and nested posts),
``seed_files`` (file-library metadata), ``content`` (names and pre-rendered bodies),
``database`` (bench databases and their cache), ``server`` (gunicorn and worker memory),
``ceiling_apps`` (the hello and Jinja ceilings), ``runner`` (wrk runs per page), ``soak``
(is worker memory flat?), ``report`` (table and JSON), ``cluster`` (``--instances N``: 1 vs N
instances on one port; ``--writes``: replies per second with 8 posters); ``sql`` and
``profile`` look at one page in process (its statements; its CPU per request). See
docs/performance.md.
"""

from __future__ import annotations

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT_DIR = BENCH_DIR.parent
# Seeded databases, keyed by scale + schema hash (git-ignored); BENCH_CACHE_DIR moves them.
CACHE_DIR = Path(os.environ.get("BENCH_CACHE_DIR") or BENCH_DIR / ".cache")
RESULTS_DIR = BENCH_DIR / "results"
