"""What the groups' list pages (the directory, the member list) take from a request: the search.
Pages themselves come from forum.pagination."""

from __future__ import annotations

from flask import request

SEARCH_LENGTH = 100  # characters of a list's search (?q=) kept: a name, not a paragraph


def search_term() -> str:
    """The request's ``?q=``, trimmed, as a list (the directory, the member list) searches it."""
    return (request.args.get("q") or "").strip()[:SEARCH_LENGTH]
