"""What a member typed, understood once and handed to either engine in its own syntax.

The grammar is the one search boxes teach: words (all must match), "quoted phrases", and
``-word`` or ``-"a phrase"`` to exclude. Everything else is text: FTS5's operators and
PostgreSQL's (``NEAR``, ``*``, ``:``, ``^``, parentheses, ``AND``/``OR``) are never passed
through as syntax, only as words — every term reaches an engine as a quoted string of letters
and digits, so no input can make a query fail to parse."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

QUERY_MAX = 500  # characters: a longer query is refused with a message, not cut silently
TERMS_MAX = 12  # words and phrases together; the rest are dropped, and the page says so

_TOKEN = re.compile(r'(-?)"([^"]*)("?)|(-?)([^\s"]+)')
_WORD = re.compile(r"[^\W_]+")  # letters and digits; "_" and "%" are not words


@dataclass(frozen=True)
class ParsedQuery:
    """Terms are tuples of words: a word is a one-word phrase."""

    include: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[tuple[str, ...], ...] = ()
    dropped: int = 0  # terms past TERMS_MAX
    problem: str | None = None  # why nothing can be searched, for the page to say
    words: tuple[str, ...] = field(default=())  # every included word, for highlighting

    @property
    def searchable(self) -> bool:
        return self.problem is None and bool(self.include)

    def fts5(self) -> str:
        """SQLite FTS5: ``"a" "b c" NOT "d"`` — each term a quoted string (NOT is binary in
        FTS5, so exclusions follow the first included term)."""
        query = " ".join(_fts_phrase(t) for t in self.include)
        for term in self.exclude:
            query += f" NOT {_fts_phrase(term)}"
        return query

    def websearch(self) -> str:
        """PostgreSQL's ``websearch_to_tsquery`` syntax, from our words only."""
        parts = [_web_phrase(t) for t in self.include]
        parts += ["-" + _web_phrase(t) for t in self.exclude]
        return " ".join(parts)


def _fts_phrase(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'  # words are \w+ only: no quote can be inside


def _web_phrase(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else '"' + " ".join(words) + '"'


def parse_query(text: str) -> ParsedQuery:
    text = (text or "").replace("\x00", " ")
    if not text.strip():
        return ParsedQuery(problem="empty")
    if len(text) > QUERY_MAX:
        return ParsedQuery(problem="too_long")
    include: list[tuple[str, ...]] = []
    exclude: list[tuple[str, ...]] = []
    for match in _TOKEN.finditer(text):
        negated = bool(match.group(1) or match.group(4))
        raw = match.group(2) if match.group(2) is not None else match.group(5)
        words = tuple(w.lower() for w in _WORD.findall(raw or ""))
        if not words:
            continue
        # "e-mail" or "C++/Java", one typed token of several words, stays a phrase.
        (exclude if negated else include).append(words)
    include = list(dict.fromkeys(include))
    exclude = list(dict.fromkeys(exclude))
    kept = TERMS_MAX
    dropped = max(0, len(include) + len(exclude) - kept)
    include = include[:kept]
    exclude = exclude[: max(0, kept - len(include))]
    if not include:
        return ParsedQuery(exclude=tuple(exclude),
                           problem="only_excluded" if exclude else "no_words")
    words = tuple(dict.fromkeys(w for term in include for w in term))
    return ParsedQuery(include=tuple(include), exclude=tuple(exclude), dropped=dropped,
                       words=words)
