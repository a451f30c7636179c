"""The materialized-path tree: placing a new post, and walking a path-ordered list once.

Pure functions with no database access, so a bulk seeder (bench/) can compute paths for rows it
inserts itself: ``placement(parent)`` says where a reply goes, ``child_path(base, id)`` builds the
stored path once the new row's id is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from forum.discussions.models import DISPLAY_DEPTH, MAX_DEPTH, PATH_SEGMENT, path_segment

# Any character after "9" closes a path range: every descendant of P sorts in [P, P + ":").
PATH_RANGE_END = ":"


@dataclass(frozen=True)
class Placement:
    """Where a reply to some post goes in the tree."""

    parent_id: int | None
    base_path: str  # the parent's path; the new post's own segment is appended
    depth: int
    reply_to_id: int | None  # set when the reply had to become a sibling at the depth cap


def root_placement() -> Placement:
    return Placement(parent_id=None, base_path="", depth=0, reply_to_id=None)


def placement(parent_id: int, parent_path: str, parent_depth: int,
              grandparent_id: int | None) -> Placement:
    """A reply nests under what it answers, until the depth cap; then it joins that post's
    branch as a sibling and records whom it answers, so deep conversations never fail."""
    if parent_depth < MAX_DEPTH:
        return Placement(parent_id, parent_path, parent_depth + 1, None)
    return Placement(grandparent_id, parent_path[:-PATH_SEGMENT], parent_depth, parent_id)


def child_path(base_path: str, post_id: int) -> str:
    return base_path + path_segment(post_id)


def subtree_range(path: str) -> tuple[str, str]:
    """``lo <= Post.path < hi`` selects the post at ``path`` and all its descendants."""
    return path, path + PATH_RANGE_END


def ancestor_ids(path: str) -> list[int]:
    """The ids along a path, the root first and the post itself last."""
    return [int(path[i:i + PATH_SEGMENT]) for i in range(0, len(path), PATH_SEGMENT)]


def branch_root_depth(depth: int, display_depth: int = DISPLAY_DEPTH) -> int:
    """Depth of the post whose branch page shows a post at ``depth`` (0 = the thread page)."""
    if depth <= display_depth:
        return 0
    return display_depth * ((depth - 1) // display_depth)


@dataclass
class TreeItem:
    post: object
    level: int  # display level, 0 for the shallowest post on the page
    opens: bool  # this post has children on the page: a branch (list of replies) opens after it
    closes: int  # how many branches close after this post (and its replies)


def walk(posts: Iterable) -> Iterator[TreeItem]:
    """One pass over a path-ordered list: yield each post with its open/close markers.

    The template renders a flat loop from these markers — no recursion, so thousands of posts or
    hundreds of levels cost the same per post. Levels are relative to the page: a page that
    starts mid-branch begins at level 0, and a post whose parent is not on the page (held for
    approval, or before the page) sits one level under its nearest shown ancestor.
    """
    items = list(posts)
    levels: list[int] = []
    open_depths: list[int] = []
    for post in items:
        while open_depths and open_depths[-1] >= post.depth:
            open_depths.pop()
        levels.append(len(open_depths))
        open_depths.append(post.depth)
    for i, post in enumerate(items):
        next_level = levels[i + 1] if i + 1 < len(items) else 0
        opens = next_level > levels[i]
        closes = 0 if opens else levels[i] - next_level
        yield TreeItem(post, levels[i], opens, closes)
