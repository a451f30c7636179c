"""Rules for watching groups and threads (notifications)."""

from __future__ import annotations


class NotificationRules:
    def can_watch_group(self, group) -> bool:
        """Only someone who may read a group's posts may be told about them."""
        return self.is_member and self.can_read(group)

    def can_watch_thread(self, thread) -> bool:
        return self.is_member and self.can_read_thread(thread)
