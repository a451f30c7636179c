"""Control characters in user text: refused in one-line values, dropped from multi-line text.

A name, title or subject is printed on one line — in pages, in CSV exports, and in mail headers,
where a CR/LF would start a header of the attacker's choosing (``\\r\\nBcc: …``) and a stored one
made the outbox worker fail on that mail forever. So one-line values refuse every C0 and C1
control (CR, LF and TAB included), DEL, and the Unicode line and paragraph separators (Python's
``str.splitlines`` — which the ``email`` package uses — breaks a line at those too). Multi-line
text keeps TAB, LF and CR and loses the other controls, which no one types.

Forms apply this through ``forum.forms`` (every form's fields, by one ``Meta.bind_field``);
services that take names from elsewhere (the CLI, seeds) ask ``has_control_chars``; mail
headers go through ``one_line`` as a last line of defence for rows written before this check.
"""

from __future__ import annotations

import re

_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_CHARS_MESSAGE = (
    "This cannot contain line breaks, tabs or other control characters: remove them."
)


def has_control_chars(value: str) -> bool:
    return bool(_NOT_ONE_LINE.search(value))


def clean_multiline(value):
    """Multi-line text without the controls nobody types (TAB, LF and CR stay)."""
    return _NOT_IN_TEXT.sub("", value) if isinstance(value, str) else value


def one_line(value: str) -> str:
    """Each run of controls and line breaks replaced by one space (for a mail header)."""
    return _NOT_ONE_LINE.sub(" ", value) if value else value
