"""The read model every feature's home page block is made of.

A module of its own, outside ``forum/home/``: the home page imports each feature's
``home.py``, and those return ``HomeBlock``s, so the type cannot live in the home package
without the features importing it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class HomeBlock:
    """One card on the section's home page.

    ``template`` prints ``block.items``; with ``login_prompt`` the page shows "Members — log in
    to view this content" instead (visitors learn the content exists, not what it says)."""

    key: str
    title: str
    template: str
    items: Sequence[Any] = field(default_factory=tuple)
    login_prompt: bool = False
