"""Threads and their nested posts, with paths built by ``path_segment`` under ``MAX_DEPTH``.

Posts get consecutive ids inside a thread, so a post's index in its thread is ``id - root id``
and a parent is found without a dictionary. Timestamps grow with ids across the whole site, so
the special threads (seeded last) are the most recent: they lead the home and group pages.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.engine import Connection

from bench import content
from bench.seed import Progress, Scale, insert_batches, next_id, table
from forum.discussions.models import MAX_DEPTH, path_segment

SPAN = timedelta(days=730)


def _parent_ordinary(posts: list, rng: random.Random) -> int:
    return 0 if rng.random() < 0.4 else rng.randrange(len(posts))


def _parent_nested(posts: list, rng: random.Random) -> int:
    r = rng.random()  # mostly answering the latest post: long chains that reach the cap
    if r < 0.6:
        return len(posts) - 1
    return 0 if r < 0.7 else rng.randrange(len(posts))


def thread_posts(root_id: int, replies: int, rng: random.Random, nested: bool = False) -> list:
    """[id, parent_id, reply_to_id, path, depth] for a thread's opening post and its replies."""
    choose = _parent_nested if nested else _parent_ordinary
    posts = [[root_id, None, None, path_segment(root_id), 0]]
    for n in range(1, replies + 1):
        post_id = root_id + n
        target = posts[choose(posts, rng)]
        parent, reply_to = target, None
        if target[4] >= MAX_DEPTH:  # at the cap: a sibling that records whom it answers
            parent, reply_to = posts[target[1] - root_id], target[0]
        posts.append([post_id, parent[0], reply_to, parent[3] + path_segment(post_id),
                      parent[4] + 1])
    return posts


def _plan(scale: Scale, rng: random.Random, n_groups: int) -> list[tuple[int, int, str]]:
    """(group index, replies, kind) per thread; the special threads come last."""
    special = [(0, scale.big_thread_replies, "big"), (0, scale.small_thread_replies, "small"),
               (0, 0, "write")]
    budget = scale.posts - sum(1 + r for _, r, _ in special)
    weights = [1 / (i + 1) ** 0.8 for i in range(n_groups)]
    plan = []
    while budget > 0:
        replies = min(budget - 1, rng.randint(0, 2 * scale.replies_per_thread))
        plan.append((rng.choices(range(n_groups), weights=weights)[0], replies, "ordinary"))
        budget -= 1 + replies
    return plan + special


class _Writer:
    """Buffers threads and posts; threads are written before the posts that refer to them."""

    def __init__(self, conn: Connection, progress: Progress | None) -> None:
        self.conn, self.progress = conn, progress
        self.threads: list[dict] = []
        self.posts: list[dict] = []

    def add(self, thread: dict, posts: list[dict]) -> None:
        self.threads.append(thread)
        self.posts.extend(posts)
        if len(self.posts) >= 5000:
            self.flush()

    def flush(self) -> None:
        insert_batches(self.conn, "threads", self.threads)
        insert_batches(self.conn, "posts", self.posts, self.progress)
        self.threads, self.posts = [], []


def seed_threads(conn: Connection, scale: Scale, groups: list[dict], members: dict,
                 rng: random.Random, now, progress: Progress | None) -> dict:
    plan = _plan(scale, rng, len(groups))
    thread_id, post_id = next_id(conn, "threads"), next_id(conn, "posts")
    start, step = now - SPAN, SPAN / scale.posts
    bodies, writer, special = content.bodies(), _Writer(conn, progress), {}
    for n, (group_index, replies, kind) in enumerate(plan):
        group = groups[group_index]
        authors = members[group["id"]]
        tree = thread_posts(post_id, replies, rng, nested=kind == "big")
        rows = []
        for p_id, parent_id, reply_to_id, path, depth in tree:
            source, html = bodies[p_id % len(bodies)]
            rows.append({"id": p_id, "thread_id": thread_id, "parent_id": parent_id,
                         "reply_to_id": reply_to_id, "path": path, "depth": depth,
                         "author_id": authors[int(len(authors) * rng.random() ** 3)],
                         "source": source, "html": html, "status": "published",
                         "created_at": start + step * (p_id - 1), "recommend_count": 0})
        first, last = rows[0], rows[-1]
        writer.add({"id": thread_id, "group_id": group["id"], "kind": "discussion",
                    "title": content.TITLES[n % len(content.TITLES)] + f" ({n + 1})",
                    "author_id": first["author_id"], "pinned": False, "locked": False,
                    "hidden": False, "post_count": len(rows), "last_post_id": last["id"],
                    "last_post_at": last["created_at"], "last_poster_id": last["author_id"],
                    "created_at": first["created_at"], "updated_at": last["created_at"]}, rows)
        if kind != "ordinary":
            special[kind] = (thread_id, tree)
        thread_id, post_id = thread_id + 1, post_id + len(rows)
    writer.flush()
    return _special_info(conn, special)


def _special_info(conn: Connection, special: dict) -> dict:
    big_id, big_tree = special["big"]
    by_path = sorted(big_tree, key=lambda p: p[3])
    posts, users = table("posts"), table("users")
    top_author = conn.execute(
        select(users.c.username).join(posts, posts.c.author_id == users.c.id)
        .group_by(users.c.id, users.c.username).order_by(func.count().desc()).limit(1)
    ).scalar_one()
    return {"big_thread_id": big_id, "big_root_post_id": big_tree[0][0],
            "small_thread_id": special["small"][0],
            "write_thread_id": special["write"][0],
            "write_parent_id": special["write"][1][0][0],
            "deep_post_id": by_path[int(len(by_path) * 0.75)][0],
            "max_depth_seen": max(p[4] for p in big_tree), "profile_username": top_author}


def refresh_group_counters(conn: Connection) -> None:
    """Counters as the app keeps them, computed once from the rows just written."""
    groups, memberships, threads = table("groups"), table("memberships"), table("threads")
    values = {
        "member_count": select(func.count()).where(and_(
            memberships.c.group_id == groups.c.id, memberships.c.status == "active"
        )).scalar_subquery(),
        "last_activity_at": select(func.max(threads.c.last_post_at))
        .where(threads.c.group_id == groups.c.id).scalar_subquery(),
    }
    # Counters other features may add to groups; kept consistent when they exist.
    if "thread_count" in groups.c:
        values["thread_count"] = select(func.count()).where(
            threads.c.group_id == groups.c.id).scalar_subquery()
    if "post_count" in groups.c:
        values["post_count"] = select(func.coalesce(func.sum(threads.c.post_count), 0)).where(
            threads.c.group_id == groups.c.id).scalar_subquery()
    conn.execute(update(groups).values(**values))
