"""Views of volunteering."""

from __future__ import annotations

from forum.volunteering import bp  # noqa: F401
