"""A page of a thread as the templates read it: its posts and where it sits among the pages
(``forum.pagination.PageLinks``, which the pagination macro reads), plus the tree's keyset
continuation inside a page."""

from __future__ import annotations

from dataclasses import dataclass, field

from forum.pagination import PageLinks


@dataclass
class Page(PageLinks):
    posts: list
    number: int = 1
    pages: int = 1
    view: str = "tree"
    after: str | None = None  # keyset continuation inside a page of the tree
    next_after: str | None = None
    continued_from: object | None = None  # (id, name) of the post a mid-branch page follows
    next_is_new_branch: bool = False  # the "More" link leads to the next top-level reply
    items: list = field(default_factory=list)

    RIGHT_CURRENT = 2  # a thread offers two pages either side of the current one

    @property
    def page(self) -> int:
        return self.number
