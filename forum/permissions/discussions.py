"""Rules for discussions: reading threads, posting, editing, deleting, recommending.

Early-return ladders (Misago/Discourse style): each rule reads top to bottom. A banned member has
rank ANONYMOUS in the group and a suspended account is not ``is_member``, so both fall out of
every "may take part" rule without a special case.
"""

from __future__ import annotations

from forum.permissions.base import Rank


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

    # --- writing -------------------------------------------------------------------------------
    def _takes_part_in(self, group) -> bool:
        if not self.is_member or group.is_archived:
            return False
        return self.rank_in(group) >= Rank.GROUP_MEMBER

    def can_start_thread(self, group) -> bool:
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
        if not self.can_read_thread(post.thread):
            return False
        return self._is_author(post) or self.can_moderate(post.thread.group)

    def can_recommend(self, post) -> bool:
        status = getattr(post.status, "value", post.status)
        if status != "published" or self._is_author(post):
            return False
        return self.can_read_thread(post.thread) and self._takes_part_in(post.thread.group)

    def can_mark_read(self, thread) -> bool:
        return self.is_member and self.can_read_thread(thread)
