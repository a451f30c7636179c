"""Rules for members' profiles: whose profile may be seen, and by whom it may be edited.

What a profile lists is filtered in SQL by the shared clauses: its groups by
``visible_groups_clause`` (groups whose existence the viewer may know), its latest posts by
``visible_posts_clause`` (posts whose words the viewer may read)."""

from __future__ import annotations

from forum.users.models import User


class UserRules:
    def can_see_profile(self, user) -> bool:
        """Profiles of verified accounts are public; an unverified one only to itself and
        site admins (so a spam sign-up gets no public page)."""
        return user.is_verified or self.user_id == user.id or self.is_site_admin

    def can_edit_profile(self, user) -> bool:
        """Only the member edits their own profile (from their account settings)."""
        return self.user_id is not None and self.user_id == user.id


def listed_profiles_clause():
    """SQL filter on ``User`` for lists of members anyone may read (search): the profiles
    ``can_see_profile`` shows everyone — verified accounts."""
    return User.verified_at.is_not(None)
