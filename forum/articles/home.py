"""The home page's "Latest articles" block: the newest published articles with their
excerpts and responses counts (one statement; articles are public, so every reader sees the
same list)."""

from __future__ import annotations

from forum.articles.queries import recent_articles
from forum.home_block import HomeBlock

BLOCK_SIZE = 3


def home_blocks(perms) -> list[HomeBlock]:
    return [HomeBlock(key="articles", title="Latest articles",
                      template="articles/_home_block.html", items=recent_articles(BLOCK_SIZE))]
