"""Rules for moderation: flags, the review queue, thread and post tools, bans, the audit log,
site-wide suspension. Early-return ladders; the shared ground is in base and groups."""

from __future__ import annotations

from sqlalchemy import and_, false, or_, true

from forum.discussions.models import ThreadKind
from forum.groups.models import Group, GroupKind, Role
from forum.permissions.base import Rank
from forum.permissions.groups import _banned_group_ids


class ModerationRules:
    # --- members -------------------------------------------------------------------------------
    def can_flag_in(self, group) -> bool:
        """May flag posts in this group at all (banned members and visitors may not)."""
        if not self.is_member or self.is_banned(group):
            return False
        return self.can_read(group) and self.rank_in(group) >= Rank.MEMBER

    def can_flag(self, post) -> bool:
        if post.author_id is not None and post.author_id == self.user_id:
            return False
        if post.status != "published":
            return False
        return self.can_flag_in(post.thread.group)

    # --- moderators in their groups ------------------------------------------------------------
    def can_moderate_posts(self, group) -> bool:
        return self.can_moderate(group)

    def can_hide_post(self, post) -> bool:
        return self.can_moderate(post.thread.group)

    def can_restore_post(self, post) -> bool:
        return self.can_moderate(post.thread.group)

    def can_approve_post(self, post) -> bool:
        return self.can_moderate(post.thread.group)

    def can_moderator_edit_post(self, post) -> bool:
        return self.can_moderate(post.thread.group)

    def can_warn_author(self, post) -> bool:
        return post.author_id is not None and post.author_id != self.user_id \
            and self.can_moderate(post.thread.group)

    def can_pin_thread(self, thread) -> bool:
        return self.can_moderate(thread.group)

    def can_lock_thread(self, thread) -> bool:
        return self.can_moderate(thread.group)

    def can_split_thread(self, thread) -> bool:
        if thread.kind == ThreadKind.ARTICLE:  # an article's responses stay with it
            return False
        return self.can_moderate(thread.group)

    def can_merge_threads(self, source, target) -> bool:
        if ThreadKind.ARTICLE in (source.kind, target.kind):
            return False
        return self.can_moderate(source.group) and self.can_moderate(target.group)

    def can_move_thread(self, thread, target_group=None) -> bool:
        """Moving needs the right in both groups; without a target: may move it somewhere.
        An article's thread stays in its articles group, and nothing else moves there."""
        if thread.kind == ThreadKind.ARTICLE or not self.can_moderate(thread.group):
            return False
        if target_group is None:
            return True
        if target_group.id == thread.group_id or target_group.is_archived \
                or target_group.kind == GroupKind.ARTICLES:
            return False
        return self.can_moderate(target_group)

    def can_ban(self, group, user=None) -> bool:
        """Ban from the group; never oneself, a site admin or someone of one's own rank or above
        (so a leader can never be banned by a moderator, nor by another leader)."""
        if not self.can_moderate(group):
            return False
        if user is None:
            return True
        if user.id == self.user_id or user.is_site_admin:
            return False
        # The same composed rules, for the other user (this class is forum.permissions'
        # Permissions: the mixin cannot import it, the package imports the mixin).
        theirs = type(self)(user, today=self.today).rank_in(group)
        return theirs < Rank.LEADER and theirs < self.rank_in(group)

    def can_view_queue(self, group) -> bool:
        return self.can_moderate(group)

    def can_view_log(self, group=None) -> bool:
        """A group's log for its moderators; the site-wide log (group None) for site admins."""
        if group is None:
            return self.is_site_admin
        return self.can_moderate(group)

    def can_change_moderation_settings(self, group) -> bool:
        return self.can_lead(group)

    @property
    def moderates_anything(self) -> bool:
        """For the "Moderation" link: any appointment at moderator rank or above."""
        if not self.is_member:
            return False
        if self.is_site_admin:
            return True
        return any(a.role in ("moderator", "leader", "section_admin") for a in self.appointments) \
            or any(a.role == "editor" and a.section_id is not None for a in self.appointments)

    # --- site admins ---------------------------------------------------------------------------
    def can_suspend(self, user) -> bool:
        return self.is_site_admin and user.id != self.user_id and not user.is_site_admin


def moderated_groups_clause(perms):
    """SQL filter: the groups this user moderates (rank ≥ moderator), for the all-groups queue."""
    if perms.is_site_admin:
        return true()
    if not perms.is_member:
        return false()
    sections = [a.section_id for a in perms.appointments if a.role == Role.SECTION_ADMIN]
    groups = [a.group_id for a in perms.appointments
              if a.group_id is not None and a.role in (Role.MODERATOR, Role.LEADER)]
    banned = _banned_group_ids(perms)
    clauses = []
    if sections:
        clauses.append(Group.section_id.in_(sections))
    if groups:
        clauses.append(Group.id.in_(set(groups) - set(banned)))
    # A section's editors moderate its articles' comments (its articles group).
    edits = [a.section_id for a in perms.appointments
             if a.role == Role.EDITOR and a.section_id is not None]
    if edits:
        clauses.append(and_(Group.kind == GroupKind.ARTICLES, Group.section_id.in_(edits),
                            Group.id.not_in(banned or [0])))
    return or_(*clauses) if clauses else false()
