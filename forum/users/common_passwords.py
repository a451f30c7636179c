"""The passwords everyone tries first: refused when a password is set (register, change, reset).

The list is the one the installed ``zxcvbn`` package ships (``FREQUENCY_LISTS["passwords"]``,
30,000 passwords from leaked databases, most common first). All of it, not the top 10,000:
credential-stuffing lists go far deeper than 10,000, and since shorter passwords are refused by
the length rule anyway, only the list's 1,090 entries of ten characters or more can ever match —
a small set, kept in memory once per process.
"""

from __future__ import annotations

import functools

from zxcvbn.frequency_lists import FREQUENCY_LISTS

# The list is lower case; a password is compared lower-cased, so "Password123" is refused too.
COMMON_PASSWORD_MESSAGE = (
    "This password is one of the most common passwords, the first ones an attacker tries. "
    "Choose another: a few unrelated words make a strong one that is easy to remember.")


@functools.cache
def _common(min_length: int) -> frozenset[str]:
    return frozenset(p for p in FREQUENCY_LISTS["passwords"] if len(p) >= min_length)


def is_common_password(password: str, min_length: int = 1) -> bool:
    """Whether ``password`` is on the list, ignoring case. ``min_length``: the shortest
    password the caller accepts at all (shorter entries are left out of the set)."""
    return password.lower() in _common(min_length)
