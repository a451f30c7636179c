"""Articles for the bench: a few hundred published articles of the section, newest first, and
one article whose responses thread has many comments (its page is measured). Rows only, with
the shapes ``articles.services.publish`` writes: the section's articles group, an ARTICLE
thread with an opening note and nested replies, counters computed from the rows."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.engine import Connection

from bench import content
from bench.seed import Scale, insert_batches, next_id
from bench.seed_posts import thread_posts
from forum.markup import render

ARTICLES = {"10k": 100, "100k": 300, "1m": 1_000}
RESPONSES = 60
BODY = ("When our main library closed for fourteen months, we learned more about leadership "
        "than in the ten years before.\n\n1. **Over-communicate**, then communicate again.\n"
        "2. Give every team a visible role.\n3. Protect the budget for people.\n\n" * 4)


def seed_articles(conn: Connection, scale: Scale, groups: list[dict], members: dict,
                  rng: random.Random, now) -> dict:
    section_id = groups[0]["section_id"]
    authors = members[groups[0]["id"]]
    group_id = next_id(conn, "groups")
    insert_batches(conn, "groups", [{
        "id": group_id, "section_id": section_id, "slug": f"articles-{section_id}",
        "name": "Articles of Leadership and Management", "kind": "articles",
        "visibility": "public", "join_policy": "invite",
        "purpose": "Comments on the section's articles.",
        "purpose_html": render("Comments on the section's articles."), "member_count": 0,
        "created_at": now - timedelta(days=800), "updated_at": now}])
    html = render(BODY)
    count = ARTICLES.get(scale.name, 300)
    first_id = next_id(conn, "articles")
    thread_id, post_id = next_id(conn, "threads"), next_id(conn, "posts")
    articles = []
    for n in range(count):
        when = now - timedelta(days=count - n)
        articles.append({
            "id": first_id + n, "section_id": section_id, "slug": f"bench-article-{n + 1}",
            "title": f"{content.TITLES[n % len(content.TITLES)]}: notes from the section",
            "body": BODY, "body_html": html,
            "excerpt": "When our main library closed for fourteen months, we learned more "
                       "about leadership than in the ten years before.",
            "author_id": authors[n % len(authors)], "byline": "", "image_alt": "",
            "status": "published", "publish_at": when, "published_at": when,
            "thread_id": thread_id if n == count - 1 else None,
            "created_at": when, "updated_at": when})
    # The newest article has a long conversation: its page shows a page of it.
    bodies = content.bodies()
    start = now - timedelta(days=1)
    rows = []
    for p_id, parent_id, reply_to_id, path, depth in thread_posts(post_id, RESPONSES, rng,
                                                                   nested=True):
        source, body_html = bodies[p_id % len(bodies)]
        rows.append({"id": p_id, "thread_id": thread_id, "parent_id": parent_id,
                     "reply_to_id": reply_to_id, "path": path, "depth": depth,
                     "author_id": rng.choice(authors), "source": source, "html": body_html,
                     "status": "published", "created_at": start + timedelta(minutes=p_id - post_id),
                     "recommend_count": 0})
    last = rows[-1]
    insert_batches(conn, "threads", [{
        "id": thread_id, "group_id": group_id, "kind": "article",
        "title": articles[-1]["title"], "author_id": rows[0]["author_id"], "pinned": False,
        "locked": False, "hidden": False, "post_count": len(rows), "last_post_id": last["id"],
        "last_post_at": last["created_at"], "last_poster_id": last["author_id"],
        "created_at": rows[0]["created_at"], "updated_at": last["created_at"]}])
    insert_batches(conn, "posts", rows)
    insert_batches(conn, "articles", articles)
    return {"articles": count, "article_slug": articles[-1]["slug"]}
