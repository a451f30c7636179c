"""A page of a thread as the templates read it: its posts and where it sits among the pages
(the interface of ``forum.pagination``, plus the tree's keyset continuation)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Page:
    posts: list
    number: int = 1
    pages: int = 1
    view: str = "tree"
    after: str | None = None  # keyset continuation inside a page of the tree
    next_after: str | None = None
    continued_from: object | None = None  # (id, name) of the post a mid-branch page follows
    next_is_new_branch: bool = False  # the "More" link leads to the next top-level reply
    items: list = field(default_factory=list)

    # forum.pagination's interface.
    @property
    def page(self) -> int:
        return self.number

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def prev_num(self) -> int:
        return self.number - 1

    @property
    def next_num(self) -> int:
        return self.number + 1

    def iter_pages(self):
        shown = set(range(1, 3)) | set(range(self.number - 2, self.number + 3)) | {
            self.pages - 1, self.pages}
        last = 0
        for n in range(1, self.pages + 1):
            if n in shown:
                if n - last > 1:
                    yield None
                yield n
                last = n
