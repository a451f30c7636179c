"""The bulk seeder: a large site in seconds, with SQLAlchemy Core ``insert()`` in batches.

Ids are assigned here (from the tables' current maximum), so materialized paths are built in
Python before the rows exist; PostgreSQL sequences are moved past them afterwards. Counters
(``member_count``, ``post_count``, ``last_post_*``, ``last_activity_at``) are computed from the
rows written, so they agree with the data. Every bench account shares ONE password hash.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection
from werkzeug.security import generate_password_hash

from bench import content
from forum.db import Base, utcnow
from forum.markup import render
from forum.users.names import username_key, username_skeleton

BENCH_PASSWORD = "bench-password-not-secret"
BATCH = 5000
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Scale:
    name: str
    posts: int
    groups: int
    members: int
    big_thread_replies: int = 2000
    small_thread_replies: int = 20
    files: int = 0
    replies_per_thread: int = 19  # on average, in the ordinary threads


SCALES = {
    "10k": Scale("10k", posts=10_000, groups=200, members=1_000, files=1_000),
    "100k": Scale("100k", posts=100_000, groups=200, members=5_000, files=5_000),
    "1m": Scale("1m", posts=1_000_000, groups=200, members=10_000, files=10_000),
}
SCALES["default"] = SCALES["100k"]


def table(name: str):
    return Base.metadata.tables[name]


def next_id(conn: Connection, name: str) -> int:
    return (conn.scalar(select(func.max(table(name).c.id))) or 0) + 1


def insert_batches(conn: Connection, name: str, rows: Iterable[dict],
                   progress: Progress | None = None) -> int:
    """Insert ``rows`` with executemany in batches; return how many were written."""
    stmt, batch, total = insert(table(name)), [], 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            conn.execute(stmt, batch)
            total += len(batch)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        conn.execute(stmt, batch)
        total += len(batch)
        if progress:
            progress(len(batch))
    return total


def seed(conn: Connection, scale: Scale, progress: Progress | None = None,
         rng_seed: int = 2026) -> dict:
    """Seed ``scale`` into the (schema-ready) database of ``conn``; return what the bench needs."""
    from bench import seed_articles, seed_calendar, seed_files, seed_posts, seed_search

    rng = random.Random(rng_seed)
    now = utcnow()
    users = _seed_users(conn, scale, now)
    groups = _seed_groups(conn, scale, now)
    members = _seed_memberships(conn, groups, users, rng, now)
    _seed_appointments(conn, groups, members, now)
    info = seed_posts.seed_threads(conn, scale, groups, members, rng, now, progress)
    info["files"] = seed_files.seed_files(conn, scale, groups, members, rng, now, info)
    info.update(seed_calendar.seed_calendar(conn, scale, groups, members, rng, now))
    info.update(seed_articles.seed_articles(conn, scale, groups, members, rng, now))
    seed_posts.refresh_group_counters(conn)
    _move_sequences(conn)
    info["search_documents"] = seed_search.seed_search(conn)
    info.update(bench_email=users["bench_email"], password=BENCH_PASSWORD,
                group_slug=groups[0]["slug"], scale=scale.name)
    return info


def _seed_users(conn: Connection, scale: Scale, now) -> dict:
    first = next_id(conn, "users")
    password_hash = generate_password_hash(BENCH_PASSWORD)  # hashed once, shared by all
    # Names are unique per seeding, so a test may seed twice into one database.
    prefix, bench_name = ("member", "bench") if first == 1 else (f"m{first}x", f"bench{first}")

    def rows():
        for n in range(scale.members):
            username = bench_name if n == 0 else f"{prefix}{n:05d}"
            display, affiliation = content.person(n)
            yield {"id": first + n, "email": f"{username}@example.org", "username": username,
                   "username_key": username_key(username),
                   "username_skeleton": username_skeleton(username), "display_name": display,
                   "affiliation": affiliation, "bio": "Librarian and section member.",
                   "password_hash": password_hash, "verified_at": now - timedelta(days=900),
                   "created_at": now - timedelta(days=900), "updated_at": now}

    insert_batches(conn, "users", rows())
    return {"ids": list(range(first, first + scale.members)),
            "bench_email": f"{bench_name}@example.org"}


def _seed_groups(conn: Connection, scale: Scale, now) -> list[dict]:
    section_id = next_id(conn, "sections")
    suffix = "" if section_id == 1 else f"-{section_id}"
    conn.execute(insert(table("sections")), [{
        "id": section_id, "slug": "leadership" + suffix, "name": "Leadership and Management",
        "description": "The section's groups.", "created_at": now, "updated_at": now}])
    first = next_id(conn, "groups")
    groups = []
    for i in range(scale.groups):
        slug, name, kind = content.group_name(i)
        visibility = "public" if i == 0 or i % 10 < 8 else ("members" if i % 10 == 8
                                                            else "private")
        purpose = f"Members working on {name.lower()}."
        # Rendered at write time, as the site's forms do (forum.groups.services).
        groups.append({"id": first + i, "section_id": section_id, "slug": slug + suffix,
                       "name": name, "kind": kind, "visibility": visibility,
                       "join_policy": "open", "purpose": purpose,
                       "purpose_html": render(purpose), "member_count": 0,
                       "created_at": now - timedelta(days=1000), "updated_at": now})
    insert_batches(conn, "groups", groups)
    return groups


def _seed_memberships(conn: Connection, groups: list[dict], users: dict, rng, now
                      ) -> dict[int, list[int]]:
    """Each member joins a few groups (busy groups attract more); returns active members."""
    weights = [1 / (i + 1) ** 0.7 for i in range(len(groups))]
    active: dict[int, list[int]] = {g["id"]: [] for g in groups}
    rows = []
    for n, user_id in enumerate(users["ids"]):
        chosen = {groups[0]["id"]} if n == 0 else set()  # the bench user is in the bench group
        for g in rng.choices(groups, weights=weights, k=rng.randint(1, 8)):
            chosen.add(g["id"])
        for group_id in sorted(chosen):
            status = "pending" if n and rng.random() < 0.03 else "active"
            if status == "active":
                active[group_id].append(user_id)
            rows.append({"group_id": group_id, "user_id": user_id, "status": status,
                         "created_at": now - timedelta(days=800),
                         "joined_at": now - timedelta(days=800) if status == "active" else None})
    taken = {(r["group_id"], r["user_id"]) for r in rows}
    for g in groups:  # no group without members: authors come from a group's members
        if not active[g["id"]]:
            user_id = next(u for u in users["ids"] if (g["id"], u) not in taken)
            active[g["id"]].append(user_id)
            rows.append({"group_id": g["id"], "user_id": user_id, "status": "active",
                         "created_at": now, "joined_at": now})
    insert_batches(conn, "memberships", rows)
    return active


def _seed_appointments(conn: Connection, groups: list[dict], members: dict, now) -> None:
    start = date.today() - timedelta(days=200)
    rows = []
    for g in groups:
        for title, user_id in zip(("Chair", "Co-chair"), members[g["id"]][:2], strict=False):
            rows.append({"user_id": user_id, "group_id": g["id"], "role": "leader",
                         "title": title, "starts_on": start, "created_at": now})
    insert_batches(conn, "appointments", rows)


def _move_sequences(conn: Connection) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the rows."""
    if conn.dialect.name != "postgresql":
        return
    for t in Base.metadata.sorted_tables:
        if "id" in t.c and t.c.id.primary_key and t.c.id.autoincrement:
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{t.name}\"), 0) + 1, false)"))
