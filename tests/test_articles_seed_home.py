"""The demo articles (five: one with three comments from different members, one scheduled,
one draft, by a seeded section editor) and the home page's "Latest articles" block."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum.articles import home as articles_home
from forum.articles import seed as articles_seed
from forum.articles.models import Article, ArticleStatus
from forum.db import utcnow, writing
from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.groups import seed as groups_seed
from forum.permissions import Permissions
from forum.querycount import count_queries
from tests.factories import make_user
from tests.factories_articles import comment, make_article

HANDLES = ("admin", "sarah", "priya", "marcus", "lena", "tom", "james", "aisha", "diego",
           "hannah", "oliver", "mei", "ruth", "samir")


def test_seed_writes_five_articles_like_a_living_section(app):
    ctx = {"users": {h: make_user(username=h) for h in HANDLES}}
    with writing():
        groups_seed.seed(ctx)
        articles_seed.seed(ctx)
        db.session.commit()
    articles = list(db.session.scalars(select(Article).order_by(Article.id)))
    assert len(articles) == 5
    assert Permissions(ctx["users"]["priya"]).is_section_editor(ctx["section"].id)
    visible = [a for a in articles if a.is_visible()]
    assert len(visible) == 3
    assert sum(a.is_scheduled for a in articles) == 1
    assert sum(a.status == ArticleStatus.DRAFT for a in articles) == 1
    commented = articles[1]
    authors = set(db.session.scalars(select(Post.author_id).where(
        Post.thread_id == commented.thread_id, Post.depth > 0)))
    assert len(authors) == 3
    assert db.session.get(Thread, commented.thread_id).reply_count == 3


def test_the_home_block_shows_the_latest_published_articles_in_one_query(app, world):
    for n in range(4):
        make_article(section=world.section, author=world.editor, title=f"Article {n}",
                     publish_at=utcnow() - timedelta(days=10 - n))
    make_article(section=world.section, author=world.editor, title="Tomorrow",
                 publish_at=utcnow() + timedelta(days=1))
    make_article(section=world.section, author=world.editor, title="Draft", published=False)
    comment(article=db.session.scalar(select(Article).where(Article.title == "Article 3")),
            author=world.member)
    db.session.commit()
    with count_queries() as q:
        blocks = articles_home.home_blocks(Permissions())
    assert len(q) <= 2
    (block,) = blocks
    assert block.title == "Latest articles"
    assert [a.title for a in block.items] == ["Article 3", "Article 2", "Article 1"]
    assert block.items[0].responses == 1


def test_the_home_block_template_prints_excerpts_and_read_more(app, world):
    from flask import render_template

    make_article(section=world.section, author=world.editor, title="On <leading> well",
                 excerpt="Short & sweet.")
    db.session.commit()
    (block,) = articles_home.home_blocks(Permissions())
    with app.test_request_context("/"):
        html = render_template("articles/_home_block.html", block=block)
    assert "On &lt;leading&gt; well" in html and "Short &amp; sweet." in html
    assert "Read more" in html and "0 responses" in html
