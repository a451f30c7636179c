"""Views of groups."""

from __future__ import annotations

from forum.groups import bp  # noqa: F401
