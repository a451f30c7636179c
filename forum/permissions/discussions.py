"""Rules for discussions: reading threads, posting, editing, deleting, recommending.

Early-return ladders (Misago/Discourse style): each rule reads top to bottom. A banned member has
rank ANONYMOUS in the group and a suspended account is not ``is_member``, so both fall out of
every "may take part" rule without a special case.
"""

from __future__ import annotations

from sqlalchemy import and_

from forum.discussions.models import Post, PostStatus, Thread, ThreadKind
from forum.groups.models import GroupKind
from forum.permissions.articles import article_threads_clause
from forum.permissions.base import Rank
from forum.permissions.groups import readable_groups_clause


class DiscussionRules:
    # --- reading -------------------------------------------------------------------------------
    def can_read_thread(self, thread) -> bool:
        if not self.can_read(thread.group):
            return False
        return not self._unseen(thread)

    def _unseen(self, thread) -> bool:
        """Hidden threads, and threads whose opening post awaits approval (nothing published
        yet), exist only for moderators — and the latter for their author."""
        if self.can_moderate(thread.group):
            return False
        if thread.hidden:
            return True
        if thread.kind == ThreadKind.ARTICLE and not self.article_thread_open(thread):
            return True  # a draft's or a scheduled article's comments: its writers only
        mine = self.user_id is not None and thread.author_id == self.user_id
        return thread.post_count == 0 and not mine

    def hides_thread(self, thread) -> bool:
        """Whether a refusal on this thread must be a 404 (its existence must not leak)."""
        return not self.can_view(thread.group) or self._unseen(thread)

    def can_see_post_body(self, post) -> bool:
        """Pending posts: their author and moderators; hidden posts: moderators only."""
        status = getattr(post.status, "value", post.status)
        if status == "published":
            return True
        if status == "deleted":
            return False
        if status == "pending" and self.user_id is not None and post.author_id == self.user_id:
            return True
        return self.can_moderate(post.thread.group)

    def can_see_post(self, post) -> bool:
        """THE rule for showing a post's words anywhere: its thread page, a permalink, a quote,
        a revision, a flag form, an excerpt, a notification, a feed entry, a mail, an attached
        file. Every route that shows any of them asks this, now, and answers 404 when it is
        False (``hides_post``) — exactly where the thread page would not show the body.
        Lists of posts filter with ``visible_posts_clause`` (below), which lets through only
        posts this rule shows; a thread page decides it once per page (``ThreadViewer``)."""
        return self.can_read_thread(post.thread) and self.can_see_post_body(post)

    def hides_post(self, post) -> bool:
        """Refusals on a post are always 404: whether a hidden or deleted post exists is not
        the visitor's business either."""
        return True

    def ensure_can_see_post(self, post) -> None:
        """``can_see_post`` or 404: what a view that prints any of a post's words calls."""
        self.ensure(self.can_see_post(post), hide=self.hides_post(post))

    def can_reach_post(self, post) -> bool:
        """Whether the thread page lists the post at all — a hidden or removed post as a
        placeholder without its words, others' held posts not at all — so a permalink, a
        branch page or a verb on the post may start from it. Its words need can_see_post."""
        if not self.can_read_thread(post.thread):
            return False
        status = getattr(post.status, "value", post.status)
        return status != "pending" or self.can_see_post_body(post)

    # --- writing -------------------------------------------------------------------------------
    def _takes_part_in(self, group) -> bool:
        if not self.is_member or group.is_archived:
            return False
        if group.kind == GroupKind.ARTICLES:  # articles' comments: no joining needed
            return self.rank_in(group) >= Rank.MEMBER  # (a ban from it is rank ANONYMOUS)
        return self.rank_in(group) >= Rank.GROUP_MEMBER

    def can_start_thread(self, group) -> bool:
        if group.kind == GroupKind.ARTICLES:  # its threads are made by publishing articles
            return False
        return self.can_read(group) and self._takes_part_in(group)

    def can_reply(self, thread) -> bool:
        if not self.can_read_thread(thread) or not self._takes_part_in(thread.group):
            return False
        return not thread.locked or self.can_moderate(thread.group)

    def _is_author(self, post) -> bool:
        return self.is_member and post.author_id is not None and post.author_id == self.user_id

    def can_edit_post(self, post) -> bool:
        status = getattr(post.status, "value", post.status)
        if not self._is_author(post) or status in ("deleted", "hidden"):
            return False
        thread = post.thread
        if not self.can_read_thread(thread) or self.is_banned(thread.group):
            return False
        return not thread.locked or self.can_moderate(thread.group)

    def can_delete_post(self, post) -> bool:
        status = getattr(post.status, "value", post.status)
        if status == "deleted" or not self.can_read_thread(post.thread):
            return False
        if self.can_moderate(post.thread.group):
            return True
        return self._is_author(post) and not self.is_banned(post.thread.group)

    def can_see_history(self, post) -> bool:
        """Earlier texts are the post's words too: only where the post itself shows (a hidden
        or removed post's history would print what its placeholder withholds)."""
        if not self.can_see_post(post):
            return False
        return self._is_author(post) or self.can_moderate(post.thread.group)

    def can_recommend(self, post) -> bool:
        status = getattr(post.status, "value", post.status)
        if status != "published" or self._is_author(post):
            return False
        return self.can_read_thread(post.thread) and self._takes_part_in(post.thread.group)

    def can_mark_read(self, thread) -> bool:
        return self.is_member and self.can_read_thread(thread)

    def thread_viewer(self, thread) -> ThreadViewer:
        """These rules decided once for a page of ``thread``'s posts (see ThreadViewer)."""
        return ThreadViewer(self, thread)


class ThreadViewer:
    """One reader's rights over the posts of one thread, decided once for a page of posts.

    A thread page shows up to a page of posts, each with half a dozen actions; asking the rules
    above per post re-derives the same group standing every time. This object asks them once
    per page and then answers per post from the post's ``status`` and ``author_id`` alone, so a
    page loaded as plain rows needs no thread or group per post. Each answer equals the
    per-post rule of the same name for a post of this thread (tests compare every role).
    """

    def __init__(self, perms, thread) -> None:
        group = thread.group
        reads = perms.can_read_thread(thread)
        banned = perms.is_banned(group)
        self.user_id = perms.user_id
        self.is_authenticated = perms.is_authenticated
        self.moderates = perms.can_moderate(group)
        self.can_reply = perms.can_reply(thread)
        self.can_mark_read = perms.can_mark_read(thread)
        self._me = self.user_id if perms.is_member else None  # only members author (_is_author)
        self._reads = reads
        self._edits_own = reads and not banned and (not thread.locked or self.moderates)
        self._deletes_own = reads and not banned
        self._recommends = reads and perms._takes_part_in(group)
        self._flags = perms.can_flag_in(group)
        self._hides = perms.can_moderate_posts(group)

    def _is_author(self, post) -> bool:
        return post.author_id is not None and post.author_id == self._me

    def can_see_post_body(self, post) -> bool:
        status = post.status
        if status == "published":
            return True
        if status == "deleted":
            return False
        if status == "pending" and self.user_id is not None and post.author_id == self.user_id:
            return True
        return self.moderates

    def can_edit_post(self, post) -> bool:
        return self._edits_own and post.status not in ("deleted", "hidden") \
            and self._is_author(post)

    def can_delete_post(self, post) -> bool:
        if post.status == "deleted" or not self._reads:
            return False
        return self.moderates or (self._deletes_own and self._is_author(post))

    def can_see_post(self, post) -> bool:
        return self._reads and self.can_see_post_body(post)

    def can_reach_post(self, post) -> bool:
        return self._reads and (post.status != "pending" or self.can_see_post_body(post))

    def can_see_history(self, post) -> bool:
        return self.can_see_post(post) and (self.moderates or self._is_author(post))

    def can_recommend(self, post) -> bool:
        return self._recommends and post.status == "published" and not self._is_author(post)

    def can_flag(self, post) -> bool:
        if post.author_id is not None and post.author_id == self.user_id:
            return False
        return self._flags and post.status == "published"

    def can_hide_post(self, post) -> bool:
        return self._hides


def visible_posts_clause(perms):
    """SQL filter for a list of posts (``Post`` joined to its ``Thread`` and that thread's
    ``Group``): the published posts of threads that are not hidden, in groups this user may
    read (``readable_groups_clause``). Every post it lets through is one ``can_see_post`` shows
    this user; the reverse is not promised: held and hidden posts stay on the thread page and in
    the review queue, even for those who may see them there, as a list (a profile, a feed, a
    digest) prints an excerpt with no status beside it. Filter in SQL, before any LIMIT."""
    # post_count > 0 follows from a published post; said anyway, so the promise does not
    # rest on the counters (a thread whose opening post is held exists for its author only).
    return and_(readable_groups_clause(perms), Thread.hidden.is_(False),
                Thread.post_count > 0, Post.status == PostStatus.PUBLISHED,
                article_threads_clause())
