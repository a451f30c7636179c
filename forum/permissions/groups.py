"""Rules for sections and groups: seeing, joining, leading, appointing."""

from __future__ import annotations

from sqlalchemy import false, or_, true

from forum.db import utcnow
from forum.groups.models import Group, GroupKind, JoinPolicy, MembershipStatus, Role, Visibility
from forum.permissions.base import ROLE_RANK, Rank


class GroupRules:
    # --- standing in one group -----------------------------------------------------------------
    def membership(self, group: Group):
        return self.memberships.get(group.id)

    def is_banned(self, group: Group) -> bool:
        m = self.membership(group)
        if m is None or m.status != MembershipStatus.BANNED:
            return False
        return m.banned_until is None or m.banned_until > utcnow()

    def is_group_member(self, group: Group) -> bool:
        m = self.membership(group)
        return self.is_member and m is not None and m.status == MembershipStatus.ACTIVE

    def is_section_admin(self, section_id: int) -> bool:
        return any(
            a.section_id == section_id and a.role == Role.SECTION_ADMIN for a in self.appointments
        )

    def rank_in(self, group: Group) -> Rank:
        """The user's rank in this group; a banned member loses every right in it.

        Kept per group for the request: it follows from memberships and appointments, which
        are loaded once per request anyway, and a list page asks it for every row."""
        rank = self._ranks.get(group.id)
        if rank is None:
            rank = self._ranks[group.id] = self._rank_in(group)
        return rank

    def _rank_in(self, group: Group) -> Rank:
        if not self.is_member:
            return Rank.ANONYMOUS
        if self.is_site_admin:
            return Rank.SITE_ADMIN
        if self.is_section_admin(group.section_id):
            return Rank.SECTION_ADMIN
        if self.is_banned(group):
            return Rank.ANONYMOUS
        best = Rank.GROUP_MEMBER if self.is_group_member(group) else Rank.MEMBER
        if group.kind == GroupKind.ARTICLES and self.is_section_editor(group.section_id):
            best = Rank.MODERATOR  # a section's editors moderate its articles' comments
        for a in self.appointments:
            if a.group_id == group.id:
                best = max(best, ROLE_RANK[a.role])
        return best

    # --- seeing --------------------------------------------------------------------------------
    def can_view(self, group: Group) -> bool:
        """May see that the group exists: its page, purpose and leaders."""
        if group.visibility != Visibility.PRIVATE:
            return True  # a banned member still sees the page, not its content
        return self.rank_in(group) >= Rank.GROUP_MEMBER or self._is_invited(group)

    def can_read(self, group: Group) -> bool:
        """May read the group's content: discussions, files, member list."""
        if self.is_banned(group) and self.rank_in(group) < Rank.SECTION_ADMIN:
            return False
        if group.visibility == Visibility.PUBLIC:
            return True
        if group.visibility == Visibility.MEMBERS:
            return self.is_member
        return self.rank_in(group) >= Rank.GROUP_MEMBER

    def _is_invited(self, group: Group) -> bool:
        m = self.membership(group)
        return self.is_member and m is not None and m.status == MembershipStatus.INVITED

    # --- joining -------------------------------------------------------------------------------
    def can_join(self, group: Group) -> bool:
        """Join at once (open), ask to join (approval), or accept an invitation (invite)."""
        if not self.is_member or group.is_archived or self.is_banned(group):
            return False
        if group.kind == GroupKind.ARTICLES:  # comments need no joining; nobody joins it
            return False
        m = self.membership(group)
        if m is not None:
            return m.status == MembershipStatus.INVITED
        if group.visibility == Visibility.PRIVATE or group.join_policy == JoinPolicy.INVITE:
            return False  # only by invitation
        return True

    def is_invited(self, group: Group) -> bool:
        return self._is_invited(group)

    def has_pending_request(self, group: Group) -> bool:
        m = self.membership(group)
        return m is not None and m.status == MembershipStatus.PENDING

    def can_leave(self, group: Group) -> bool:
        m = self.membership(group)
        return self.is_authenticated and m is not None and m.status in (
            MembershipStatus.ACTIVE, MembershipStatus.PENDING, MembershipStatus.INVITED
        )

    # --- running the group ---------------------------------------------------------------------
    def can_moderate(self, group: Group) -> bool:
        return self.rank_in(group) >= Rank.MODERATOR

    def can_lead(self, group: Group) -> bool:
        """Edit settings, review join requests, invite and remove members, export the roster."""
        return not group.is_archived and self.rank_in(group) >= Rank.LEADER

    def is_section_editor(self, section_id: int) -> bool:
        """An editor of the section (a section-scoped term in force): writes its articles."""
        return self.is_member and any(
            a.section_id == section_id and a.role == Role.EDITOR for a in self.appointments
        )

    def can_admin_section(self, section_id: int) -> bool:
        return self.is_site_admin or (self.is_member and self.is_section_admin(section_id))

    def can_manage_group(self, group: Group) -> bool:
        """Create, rename, archive and unarchive groups; appoint their leaders."""
        return self.can_admin_section(group.section_id)

    def can_remove_member(self, group: Group, target_rank: Rank) -> bool:
        """Leaders remove members ranked below them (never a peer or a superior)."""
        return self.can_lead(group) and target_rank < self.rank_in(group)

    def can_end_appointment(self, appointment) -> bool:
        """Ending a term early is the right of whoever could have granted it."""
        if appointment.section_id is not None:
            if appointment.role == Role.EDITOR:  # section admins grant and end editors' terms
                return self.can_admin_section(appointment.section_id)
            return self.is_site_admin
        if appointment.role == Role.EDITOR:  # a volunteer's seat: who accepts volunteers
            return self.rank_in(appointment.group) >= Rank.LEADER
        return self.rank_in(appointment.group) > ROLE_RANK[appointment.role] and (
            appointment.role == Role.MODERATOR or self.can_manage_group(appointment.group)
        )

    def can_see_admin(self) -> bool:
        """Reach /admin at all: site admins and section admins."""
        return self.is_site_admin or any(
            a.role == Role.SECTION_ADMIN for a in self.appointments
        )

    def can_appoint(self, group: Group | None, role: Role, section_id: int | None = None) -> bool:
        """Nobody grants a role at or above their own rank."""
        if role == Role.SECTION_ADMIN:
            return self.is_site_admin
        if role == Role.EDITOR and group is None:  # a section's editors: its admins appoint
            return section_id is not None and self.can_admin_section(section_id)
        if group is None or group.is_archived:
            return False
        if role == Role.LEADER:
            return self.can_manage_group(group)
        return self.rank_in(group) > ROLE_RANK[role]

    def can_create_section(self) -> bool:
        return self.is_site_admin


def visible_groups_clause(perms):
    """SQL filter: the groups whose existence this user may know of."""
    if perms.is_site_admin:
        return true()
    clauses = [Group.visibility != Visibility.PRIVATE]
    clauses += _staff_and_member_clauses(perms, include_invited=True)
    return or_(*clauses)


def readable_groups_clause(perms):
    """SQL filter: the groups whose content (threads, files) this user may read."""
    if perms.is_site_admin:
        return true()
    public = Group.visibility == Visibility.PUBLIC
    clauses = [public]
    if perms.is_member:
        clauses.append(Group.visibility == Visibility.MEMBERS)
    clauses += _staff_and_member_clauses(perms, include_invited=False)
    banned = _banned_group_ids(perms)
    clause = or_(*clauses)
    if banned:
        clause = clause & Group.id.not_in(banned)
    return clause


def _banned_group_ids(perms) -> list[int]:
    now = utcnow()
    return [
        gid for gid, m in perms.memberships.items()
        if m.status == MembershipStatus.BANNED and (m.banned_until is None or m.banned_until > now)
    ]


def _staff_and_member_clauses(perms, include_invited: bool) -> list:
    if not perms.is_member:
        return [false()]
    statuses = {MembershipStatus.ACTIVE}
    if include_invited:
        statuses.add(MembershipStatus.INVITED)
    member_ids = [gid for gid, m in perms.memberships.items() if m.status in statuses]
    appointed = [a.group_id for a in perms.appointments if a.group_id is not None]
    sections = [a.section_id for a in perms.appointments if a.role == Role.SECTION_ADMIN]
    clauses = []
    if member_ids or appointed:
        clauses.append(Group.id.in_(set(member_ids) | set(appointed)))
    if sections:
        clauses.append(Group.section_id.in_(sections))
    return clauses or [false()]
