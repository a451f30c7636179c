"""Rules for volunteering: who may browse, apply, manage opportunities and review applications.

- Anyone may browse open opportunities in groups whose existence they may know of.
- Applying needs a verified member in good standing who is not banned from the group.
- Managing and reviewing follow leadership: a group's leaders for its opportunities, section
  admins for their section's, site admins for all. Everyone else gets a 404 on another
  member's application, so applications never leak.
- Nobody decides their own application, and accepting (which appoints) needs the right to
  appoint to the opportunity's role.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select, true

from forum.groups.models import Group, Role
from forum.permissions.base import Rank
from forum.permissions.groups import _banned_group_ids
from forum.volunteering.models import OpportunityStatus


class VolunteeringRules:
    # --- members --------------------------------------------------------------------------------
    def can_see_opportunity(self, opportunity) -> bool:
        if not self.can_view(opportunity.group):
            return False
        return opportunity.status != OpportunityStatus.DRAFT or self.can_manage_opportunity(
            opportunity)

    def can_volunteer(self) -> bool:
        """May keep a volunteer profile and follow their applications."""
        return self.is_member

    def can_apply(self, opportunity) -> bool:
        """Who may apply; *when* (open, before the deadline) is the service's business."""
        return (self.is_member and not self.is_banned(opportunity.group)
                and self.can_see_opportunity(opportunity))

    def can_view_application(self, application) -> bool:
        if self.is_authenticated and application.user_id == self.user_id:
            return True
        return self.can_review(application.opportunity)

    def can_change_application(self, application) -> bool:
        """The applicant, while the application is undecided (the deadline is checked later)."""
        return (self.is_member and application.user_id == self.user_id
                and application.is_open)

    def can_withdraw_application(self, application) -> bool:
        """Only the applicant (the service says whether it can still be withdrawn)."""
        return self.is_authenticated and application.user_id == self.user_id

    def hides_application(self, application) -> bool:
        """A refusal on someone else's application is a 404: its reviewers may see it, but
        nobody learns from a refusal that it exists."""
        return application.user_id != self.user_id

    # --- leaders and section admins -------------------------------------------------------------
    def can_create_opportunity(self, group: Group, role: Role = Role.EDITOR) -> bool:
        return self.can_lead(group) and self.can_appoint(group, role)

    def can_manage_opportunity(self, opportunity) -> bool:
        return self.can_lead(opportunity.group)

    def can_review(self, opportunity) -> bool:
        return self.rank_in(opportunity.group) >= Rank.LEADER

    def can_decide(self, application, accepting: bool = True) -> bool:
        """Take a decision on an application (``accepting``: accept it).

        Never on one's own application: someone else decides it (another leader, a section
        admin), so a leader cannot appoint themselves or raise their own role. Accepting
        appoints the volunteer to the opportunity's role, so it follows the appointing rule —
        nobody grants a role at or above their own: a leader's seat is a section admin's to
        give (as creating the opening was)."""
        opportunity = application.opportunity
        if not self.can_review(opportunity) or application.user_id == self.user_id:
            return False
        return not accepting or self.can_appoint(opportunity.group, opportunity.role)

    def can_manage_volunteering(self) -> bool:
        """Shows the "Manage" pages: anyone who leads a group or administers a section."""
        if self.is_site_admin:
            return True
        return any(a.role in (Role.LEADER, Role.SECTION_ADMIN) for a in self.appointments)

    def can_manage_cycles(self, section_id: int) -> bool:
        return self.can_admin_section(section_id)

    def can_find_volunteers(self) -> bool:
        return self.can_manage_volunteering()


def reviewable_groups_clause(perms):
    """SQL filter on Group: the groups whose opportunities and applications this user reviews."""
    if perms.is_site_admin:
        return true()
    if not perms.is_member:
        return false()
    banned = set(_banned_group_ids(perms))  # a banned leader loses every right in the group
    led = [a.group_id for a in perms.appointments
           if a.role == Role.LEADER and a.group_id is not None and a.group_id not in banned]
    sections = [a.section_id for a in perms.appointments if a.role == Role.SECTION_ADMIN]
    clauses = []
    if led:
        clauses.append(Group.id.in_(led))
    if sections:
        clauses.append(Group.section_id.in_(sections))
    return or_(*clauses) if clauses else false()


def reviewable_group_ids(perms):
    """A subquery of reviewable group ids, for filtering opportunities and applications."""
    return select(Group.id).where(reviewable_groups_clause(perms)).scalar_subquery()
