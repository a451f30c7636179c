"""The home page's "recently shared files" block (see the brief: ≤ 2 queries; here one)."""

from __future__ import annotations

from forum.files.queries import recent_file_rows
from forum.home_block import HomeBlock


def home_blocks(perms) -> list[HomeBlock]:
    # Visitors (and suspended accounts) see that members share files, with a log-in prompt.
    members = perms.is_member
    return [HomeBlock(
        key="recent_files",
        title="Recently shared files",
        template="files/_home_block.html",
        items=recent_file_rows(perms, limit=5) if members else [],
        login_prompt=not members,
    )]
