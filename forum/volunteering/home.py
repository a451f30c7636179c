"""The home page's "Get involved" block: open opportunities and their deadlines."""

from __future__ import annotations

from forum.volunteering.queries import open_opportunities

BLOCK_SIZE = 5


def home_blocks(perms) -> list[dict]:
    # One query: recruiting is public within the groups the visitor may know of.
    return [{
        "key": "volunteering", "title": "Get involved",
        "template": "volunteering/_home_block.html",
        "items": open_opportunities(perms, limit=BLOCK_SIZE), "login_prompt": False,
    }]
