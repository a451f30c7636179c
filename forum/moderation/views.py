"""Views of moderation."""

from __future__ import annotations

from forum.moderation import bp  # noqa: F401
