"""Rules for the calendar: who sees an event, who publishes and edits it, who may answer it.

- A section-wide event (no group) is seen by everyone; a group's event by whoever may read the
  group's content, so a private group's events never leak (404).
- Publishing, editing, cancelling and attaching recordings: section admins for their section's
  events (section-wide or any group's), a group's leaders for their group's, site admins for all.
- Answering (RSVP): a verified member in good standing who may see the event and is not banned
  from its group. *When* (not past, not cancelled) is the service's business.
- The online link: members who said they are going (with a seat), and whoever may edit.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select, true

from forum.events.models import Event
from forum.groups.models import Group, Role
from forum.permissions.groups import readable_groups_clause


class EventRules:
    def can_see_event(self, event) -> bool:
        if event.group_id is None:
            return True
        return self.can_read(event.group)

    def can_publish_events(self, section_id: int, group: Group | None = None) -> bool:
        """Publish a section-wide event (``group`` None) or one of ``group``'s."""
        if group is None:
            return self.can_admin_section(section_id)
        return group.section_id == section_id and (
            self.can_lead(group) or self.can_admin_section(group.section_id))

    def can_publish_any_event(self) -> bool:
        """Shows "New event": anyone who leads a group or administers a section."""
        if self.is_site_admin:
            return True
        return self.is_member and any(
            a.role in (Role.LEADER, Role.SECTION_ADMIN) for a in self.appointments)

    def can_edit_event(self, event) -> bool:
        if not self.is_member:
            return False
        if self.can_admin_section(event.section_id):
            return True
        return event.group_id is not None and self.can_lead(event.group)

    def can_rsvp(self, event) -> bool:
        if not self.is_member or not self.can_see_event(event):
            return False
        return event.group_id is None or not self.is_banned(event.group)

    def can_see_online_link(self, event, going: bool) -> bool:
        return self.can_see_event(event) and (
            (going and self.can_rsvp(event)) or self.can_edit_event(event))

    def can_keep_calendar_feed(self) -> bool:
        return self.is_member


def visible_events_clause(perms):
    """SQL filter on Event: section-wide events, and those of groups the user may read."""
    if perms.is_site_admin:
        return true()
    readable = select(Group.id).where(readable_groups_clause(perms)).scalar_subquery()
    return or_(Event.group_id.is_(None), Event.group_id.in_(readable))


def publishable_groups_clause(perms):
    """SQL filter on Group: the groups this user may publish events for."""
    if perms.is_site_admin:
        return true()
    if not perms.is_member:
        return false()
    led = [a.group_id for a in perms.appointments
           if a.role == Role.LEADER and a.group_id is not None]
    sections = [a.section_id for a in perms.appointments if a.role == Role.SECTION_ADMIN]
    clauses = []
    if led:
        clauses.append(Group.id.in_(led))
    if sections:
        clauses.append(Group.section_id.in_(sections))
    return or_(*clauses) if clauses else false()
