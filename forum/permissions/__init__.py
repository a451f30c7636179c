"""THE permission model: every "may this user do this to that?" is answered here.

Views and templates ask ``g.perms`` (one object per request) and never re-implement a rule.
The rules are split by feature into mixins, composed into one ``Permissions`` class; the shared
ground (who the user is, their memberships and appointments in force today, ranks, ``ensure``)
lives in ``base``. Lists are filtered in SQL with the ``*_clause`` functions, never in Python.
"""

from __future__ import annotations

from forum.permissions.articles import ArticleRules
from forum.permissions.base import PermissionsBase, Rank
from forum.permissions.discussions import DiscussionRules, visible_posts_clause
from forum.permissions.events import EventRules, visible_events_clause
from forum.permissions.files import FileRules
from forum.permissions.groups import GroupRules, readable_groups_clause, visible_groups_clause
from forum.permissions.moderation import ModerationRules
from forum.permissions.notifications import NotificationRules
from forum.permissions.users import UserRules
from forum.permissions.volunteering import VolunteeringRules


class Permissions(
    ArticleRules, EventRules, UserRules, NotificationRules, ModerationRules, VolunteeringRules,
    FileRules, DiscussionRules, GroupRules, PermissionsBase,
):
    """What one user may do, for the length of one request."""


__all__ = ["Permissions", "Rank", "readable_groups_clause", "visible_events_clause",
           "visible_groups_clause", "visible_posts_clause"]
