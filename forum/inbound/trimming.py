"""What a member wrote in a mail, without the quoted mail and their signature.

Handles the ways mail programs quote: top-posting under an attribution ("On … wrote:", and its
French, German, Spanish and Dutch forms, as Gmail, Apple Mail and Thunderbird write it),
bottom-posting and interleaved answers (``>`` lines are dropped, the member's own lines in
between are kept), Outlook's quoted header block ("From: … Sent: … To: … Subject: …", and
"-----Original Message-----" or a line of underscores above it) which quotes without ``>``, a
``-- `` signature, and "Sent from my iPhone"-style lines.

Hand-written on purpose: mail-parser-reply (the maintained library on PyPI) strips every
line's leading spaces and, by default, takes a Markdown list for a signature — both change
what a member wrote — and it keeps bottom-posted ``>`` quotes. This is small and tested
(tests/test_inbound_trimming.py).

Forwarded mail ("---------- Forwarded message ---------") is content, not a quote: kept.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_ATTRIBUTION = re.compile(
    r"^(On\b.+\bwrote|Le\b.+\ba écrit|Am\b.+\bschrieb\b.*|El\b.+\bescribió|Op\b.+\bschreef"
    r"\b.*)\s*:?\s*$", re.IGNORECASE)
_ATTRIBUTION_START = re.compile(r"^(On|Le|Am|El|Op)\s", re.IGNORECASE)
_ORIGINAL = re.compile(r"^\s*(-{3,}\s*Original Message\s*-{3,}|_{20,})\s*$", re.IGNORECASE)
_OUTLOOK_FROM = re.compile(r"^\s*\*?(From|Von|De)\s*:\*?\s", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(Sent|Date|To|Subject|Gesendet|Envoyé|Enviado)\s*:",
                           re.IGNORECASE)
_FORWARDED = re.compile(r"^\s*(-+\s*Forwarded message\s*-+|Begin forwarded message:)\s*$",
                        re.IGNORECASE)
_SIGNATURE = re.compile(r"^-- ?$")
_MOBILE = re.compile(r"^\s*(Sent from my \w+|Sent from (Mail|Outlook) for \w+|Get Outlook for "
                     r"\w+|Sent from Yahoo Mail)\b.*$", re.IGNORECASE)


class Trimmed(NamedTuple):
    text: str  # what the member wrote
    trimmed: str  # what was cut (quotes, signature), "" when nothing was


def _outlook_block(lines: list[str]) -> int | None:
    """Where an Outlook-style quoted mail begins: its separator, or a "From:" line followed
    within four lines by two of Sent/Date/To/Subject. Not after a forwarding marker: the
    header block of a forwarded mail is part of what the member passes on."""
    for i, line in enumerate(lines):
        if _FORWARDED.match(line):
            return None
        if _ORIGINAL.match(line):
            return i
        if _OUTLOOK_FROM.match(line):
            following = sum(bool(_OUTLOOK_NEXT.match(n)) for n in lines[i + 1:i + 5])
            if following >= 2:
                return i
    return None


def _is_attribution(lines: list[str], i: int) -> int:
    """How many lines (1 or 2) an attribution starting at ``i`` takes, or 0. Mail programs
    wrap long "On <date>, <name> <address> wrote:" lines once."""
    line = lines[i].strip()
    if _ATTRIBUTION.match(line):
        return 1
    if (_ATTRIBUTION_START.match(line) and i + 1 < len(lines)
            and _ATTRIBUTION.match(f"{line} {lines[i + 1].strip()}")):
        return 2
    return 0


def _quote_follows(lines: list[str], i: int) -> bool:
    """Whether the next non-blank line after ``i`` is a ``>`` quote (or nothing is left)."""
    for line in lines[i:]:
        if line.strip():
            return line.lstrip().startswith(">")
    return True


def trim(text: str, *, forwarded: bool = False) -> Trimmed:
    """``forwarded``: the subject says the mail is a forward (Outlook marks a forward only
    there), so no quoted header block is cut."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut: list[str] = []
    block = None if forwarded else _outlook_block(lines)
    if block is not None:
        cut, lines = lines[block:], lines[:block]
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        span = _is_attribution(lines, i)
        if span and _quote_follows(lines, i + span):
            cut.extend(lines[i:i + span])
            i += span
            continue
        if line.lstrip().startswith(">"):
            cut.append(line)
        elif _SIGNATURE.match(line):
            # The signature runs to the next quote (bottom-posting puts it last anyway).
            end = next((j for j in range(i + 1, len(lines))
                        if lines[j].lstrip().startswith(">") or _is_attribution(lines, j)),
                       len(lines))
            cut.extend(lines[i:end])
            i = end
            continue
        elif _MOBILE.match(line):
            cut.append(line)
        else:
            kept.append(line)
        i += 1
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in kept)).strip("\n")
    return Trimmed(body.strip() and body, "\n".join(cut).strip())
