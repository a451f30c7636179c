"""Views of files."""

from __future__ import annotations

from forum.files import bp  # noqa: F401
