"""The thread page's read side: one page of posts as the page prints it.

``read_thread_page`` and ``read_branch_page`` are the one read function of the thread and the
branch page: they load the page's rows (``discussions.pages``) and return a ``PostsPage`` of
``PostView``s. What the reader may do with each post is decided here, once per post, by the
page-wide ``ThreadViewer`` (forum/permissions) and kept as booleans; the post macro
(templates/_macros/posts.html) prints the links those booleans allow and decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from forum.discussions.pages import branch_page, flat_page, tree_page
from forum.discussions.paging import Page
from forum.discussions.tree import ancestor_ids
from forum.files.attachments import AttachedFile, attached_files
from forum.pagecache.fragments import content_key

FORMER_MEMBER = "A former member"


@dataclass(frozen=True, slots=True)
class PostView:
    """One post of a page, with its place in the page's tree and the reader's rights on it."""

    id: int
    status: str  # published | pending | hidden | deleted
    # Place in the page's tree (discussions.tree.walk): display level (0: the shallowest post
    # on the page), whether a list of replies opens after it, how many lists close after it.
    level: int
    opens: bool
    closes: int
    author_name: str  # FORMER_MEMBER when the account is gone
    answered_name: str | None  # whom it answers; None: nothing (the opening post)
    opens_discussion: bool  # the opening post: "started the discussion"
    html: str  # stored by forum.markup at write time (sanitized)
    shows_body: bool  # False: a placeholder stands in for the body
    created_at: datetime
    edited: bool  # "(edited)" beside the date (a removed post says nothing of it)
    is_new: bool  # written after the reader's last-read mark
    recommend_count: int
    recommended: bool  # by the reader
    files: tuple[AttachedFile, ...]
    trimmed: str  # came by mail: the quoted mail and signature cut from it ("" if none)
    deep: bool  # has replies past the display depth: "Continue this branch"
    # What the reader may do (ThreadViewer; each already false where the status rules it out).
    can_reply: bool  # reply and quote
    can_recommend: bool
    can_edit: bool
    can_delete: bool
    can_see_history: bool
    can_flag: bool
    can_moderate: bool

    @property
    def fragment_key(self) -> str:
        """A digest of every field: the key of this post's rendered markup in the fragment
        cache (forum.pagecache.fragments). Two readers with the same rights, marks and
        recommendation share it; any change to the post makes a new one."""
        return content_key(self)


@dataclass(frozen=True, slots=True)
class PostsPage:
    """A page of posts: the posts in print order, and where the page sits among the pages
    (``page``: what the pagination macro reads, plus the keyset continuation in a page)."""

    page: Page
    posts: list[PostView]
    max_post_id: int  # the "Mark read" form's up-to mark
    opening_post_id: int | None  # read off a shown post's path: the reply form's default


def read_thread_page(thread, perms, viewer, *, view: str, number: int, after: str | None,
                     last_read: int | None) -> PostsPage:
    """Page ``number`` of the thread in the reader's ``view`` (tree, oldest or newest)."""
    if view == "tree":
        page = tree_page(thread, perms, number, after)
    else:
        page = flat_page(thread, perms, number, newest_first=view == "newest")
    return _present(page, viewer, last_read)


def read_branch_page(thread, root, perms, viewer, *, after: str | None,
                     last_read: int | None) -> PostsPage:
    """The subtree under ``root`` on a page of its own."""
    return _present(branch_page(thread, root, perms, after), viewer, last_read)


def _present(page: Page, viewer, last_read: int | None) -> PostsPage:
    posts = [_post_view(item, viewer, last_read) for item in page.items]
    return PostsPage(page=page, posts=posts, max_post_id=max((p.id for p in posts), default=0),
                     opening_post_id=ancestor_ids(page.posts[0].path)[0] if page.posts else None)


def _post_view(item, viewer, last_read: int | None) -> PostView:
    row = item.post  # a discussions.pages.PostRow
    published = row.status == "published"
    answers = row.reply_to_id is not None or row.parent_id is not None
    answered = (row.answered_name or FORMER_MEMBER) if answers else None
    files = attached_files(row.files) if row.files is not None else ()
    return PostView(
        id=row.id, status=row.status, level=item.level, opens=item.opens, closes=item.closes,
        author_name=row.author_name if row.author_id is not None else FORMER_MEMBER,
        answered_name=answered, opens_discussion=row.depth == 0 and answered is None,
        html=row.html or "", shows_body=viewer.can_see_post_body(row),
        created_at=row.created_at, edited=bool(row.edited_at) and row.status != "deleted",
        is_new=last_read is not None and row.id > last_read,
        recommend_count=row.recommend_count, recommended=bool(row.recommended),
        files=tuple(files), deep=bool(row.deep), trimmed=row.trimmed or "",
        can_reply=published and viewer.can_reply,
        can_recommend=published and viewer.can_recommend(row),
        can_edit=viewer.can_edit_post(row), can_delete=viewer.can_delete_post(row),
        can_see_history=bool(row.edited_at) and viewer.can_see_history(row),
        can_flag=published and viewer.can_flag(row), can_moderate=viewer.can_hide_post(row),
    )
