"""Views of notifications."""

from __future__ import annotations

from forum.notifications import bp  # noqa: F401
