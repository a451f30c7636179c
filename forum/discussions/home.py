"""The section home page's "latest interest-group discussions" block."""

from __future__ import annotations

from forum.discussions.queries import latest_threads
from forum.home_block import HomeBlock


def home_blocks(perms) -> list[HomeBlock]:
    threads = latest_threads(perms)
    return [HomeBlock(
        key="discussions",
        title="Latest interest group discussions",
        template="discussions/_home_block.html",
        items=threads,
        # Visitors see that members-only discussions exist, with a prompt to sign in.
        login_prompt=not perms.is_member,
    )]
