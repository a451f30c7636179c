"""Helpers for list pages (the directory, a group's discussions): pages of plain rows.
(Per-item URLs from one pattern per list: forum.urls.)

``db.paginate`` returns ORM entities (``.scalars()``): a list page that prints a few columns
would pay for loading whole objects and their relationships. ``RowPage`` runs a ``select`` of
columns and keeps the rows as they come (plus the usual count query). It has every attribute
forum.pagination reads. (A ``count(*) over ()`` column instead of the count
query was measured slower on SQLite: it materialises every matching row before the LIMIT; an
uncorrelated count subquery, ``with_total``, is not.)
"""

from __future__ import annotations

import weakref

from flask import request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Integer, bindparam, func, select

from forum.db import run_columns
from forum.extensions import db


class RowPage(Pagination):
    """Build with ``RowPage(select=stmt, page=n, per_page=k, error_out=False)``; optionally
    ``params`` (values of the statement's bind parameters, for a statement built once per
    process, ideally through ``paged``) and ``count_select`` (the matching prebuilt count
    statement, same params)."""

    def _query_items(self) -> list:
        stmt = self._query_args["select"]
        params = self._query_args.get("params")
        if stmt in _PAGED:
            params = {**params, "_limit": self.per_page, "_offset": self._query_offset}
        else:
            stmt = stmt.limit(self.per_page).offset(self._query_offset)
        return run_columns(db.session, stmt, params).all()

    def _query_count(self) -> int:
        if self.items and "total" in self.items[0]._fields:  # a statement made by with_total
            return self.items[0].total
        if self.page == 1 and not self.items:  # nothing at all: no need to count
            return 0
        stmt = self._query_args.get("count_select")
        if stmt is None:
            stmt = select(func.count()).select_from(
                self._query_args["select"].order_by(None).subquery())
        return db.session.scalar(stmt, self._query_args.get("params")) or 0


_PAGED: weakref.WeakSet = weakref.WeakSet()

SEARCH_LENGTH = 100  # characters of a list's search (?q=) kept: a name, not a paragraph


def search_term() -> str:
    """The request's ``?q=``, trimmed, as a list (the directory, the member list) searches it."""
    return (request.args.get("q") or "").strip()[:SEARCH_LENGTH]


def with_total(rows, count):
    """``rows`` plus a ``total`` column: ``count`` as an uncorrelated scalar subquery, which the
    database runs once over its index. RowPage then reads the total off the first row instead of
    running the count as a statement of its own; only a page past the end (no row to carry it)
    still runs ``count``."""
    return rows.add_columns(count.scalar_subquery().label("total"))


def paged(stmt):
    """``stmt`` with ``LIMIT :_limit OFFSET :_offset``, for a statement built once per process:
    RowPage binds the page's values instead of copying the statement (a copy must have its cache
    key computed again on every request). Give RowPage a ``count_select`` with it."""
    out = stmt.limit(bindparam("_limit", type_=Integer)).offset(
        bindparam("_offset", type_=Integer))
    _PAGED.add(out)
    return out
