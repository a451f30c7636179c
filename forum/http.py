"""Numbers from outside — URL segments, query strings, form fields — kept inside the range the
database's integer columns hold.

Python's ints are unbounded, PostgreSQL's ``integer`` is 32-bit and SQLite's 64-bit: an id of
20 digits in an address, or ``?page=99999999999999999999`` (an OFFSET past 2**63), made the
database refuse the statement and the page answer 500. Every number a request carries comes
through here instead:

- ``<int:…>`` in a route is ``IdConverter`` (installed as the app's ``int`` converter by
  ``create_app``): 1 … 2**31-1, anything else does not match the rule, so it is a 404.
- ``arg_page()`` is a list's page number: anything that is not a page number is page 1, and
  a page past ``MAX_PAGE`` is ``MAX_PAGE`` (past the end, as any page past the end is).
- ``arg_id(name)`` / ``form_id(name)`` / ``parse_id(value)``: an id from the query string or
  a form, or None when absent, not a number or out of range (the view treats it as absent,
  or answers 404 / a form error, as it would for an id that does not exist).
- ``InDatabaseRange`` is the WTForms validator for a number typed into a form (every
  IntegerField gets it through ``forum.forms``); a SelectField of ids checks its choices.
"""

from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter
from wtforms.validators import StopValidation

DB_INT_MAX = 2**31 - 1  # PostgreSQL ``integer``; SQLite's 64-bit integers hold it too
# A page number no list reaches: its OFFSET, at up to 100 rows a page, still fits the 32-bit
# integer PostgreSQL binds it as (a page past the end is simply empty, as any page past the end).
MAX_PAGE = DB_INT_MAX // 100


class IdConverter(IntegerConverter):
    """Werkzeug's ``int`` converter with a range by default: a rule whose number is 0, or past
    what an ``integer`` column holds, does not match (404) instead of reaching a query."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1,  # noqa: A002
                 max: int | None = DB_INT_MAX, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_int(value, minimum: int = 1, maximum: int = DB_INT_MAX) -> int | None:
    """``value`` as an int when it is plain ASCII digits (an optional leading ``-``) within
    ``minimum`` … ``maximum``; else None. (``int()`` alone takes "²"-like digits, spaces and
    underscores, and any size.)"""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and \
            value.removeprefix("-").isdigit() and len(value) <= 20:
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value) -> int | None:
    """An id (1 … 2**31-1) or None."""
    return parse_int(value)


def arg_id(name: str) -> int | None:
    """The query string's id ``name``, or None (absent, not a number, out of range)."""
    return parse_int(request.args.get(name))


def form_id(name: str) -> int | None:
    """The form's id ``name``, or None (absent, not a number, out of range)."""
    return parse_int(request.form.get(name))


def arg_page(name: str = "page") -> int:
    """The list's page number: 1 unless the query string says otherwise; nonsense (words,
    negative numbers, 0) is page 1 and a number past ``MAX_PAGE`` is ``MAX_PAGE``."""
    raw = request.args.get(name)
    if not raw or not raw.isascii() or not raw.isdigit():
        return 1
    return min(int(raw), MAX_PAGE) if len(raw) <= 20 else MAX_PAGE


class InDatabaseRange:
    """WTForms validator: a whole number a database ``integer`` column holds. Every
    IntegerField of the site's forms has it first (``forum.forms``' Meta), so a number past it
    gets this one message and no other validator (nor the database) sees it."""

    def __init__(self, minimum: int = 1, maximum: int = DB_INT_MAX,
                 message: str | None = None) -> None:
        self.minimum, self.maximum = minimum, maximum
        self.message = message or f"Enter a whole number from {minimum:,} to {maximum:,}."

    def __call__(self, form, field) -> None:
        if field.data is not None and not self.minimum <= field.data <= self.maximum:
            raise StopValidation(self.message)
