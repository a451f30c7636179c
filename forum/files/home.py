"""The home page's "recently shared files" block (see the brief: ≤ 2 queries)."""

from __future__ import annotations

from forum.files.queries import recent_files


def home_blocks(perms) -> list[dict]:
    items = [] if perms.is_suspended else recent_files(perms, limit=5)
    return [{
        "key": "recent_files",
        "title": "Recently shared files",
        "template": "files/_home_block.html",
        "items": items,
        # Visitors see that members share files, and are asked to sign in to see them.
        "login_prompt": not perms.is_member,
    }]
