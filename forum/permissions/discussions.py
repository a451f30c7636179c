"""Rules for discussions: filled in by that feature; the shared ground is in base and groups."""

from __future__ import annotations


class DiscussionRules:
    pass
