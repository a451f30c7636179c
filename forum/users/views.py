"""Views of users."""

from __future__ import annotations

from forum.users import bp  # noqa: F401
