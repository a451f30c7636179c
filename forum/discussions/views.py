"""Views of discussions."""

from __future__ import annotations

from forum.discussions import bp  # noqa: F401
