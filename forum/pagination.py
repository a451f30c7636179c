"""Pages of every list: ``Page`` (what a list page holds and where it sits among its pages) and
``paginate`` / ``paginate_entities`` (run a select as one page). The links are printed by the
``pagination`` macro (templates/_macros/pagination.html), which reads ``PageLinks``.

A list page selects only the columns its rows print (``paginate``), or entities where the page
needs their behaviour (``paginate_entities``). The total comes with the rows where it can: a
statement made by ``with_total`` carries it as a ``total`` column (an uncorrelated count
subquery, which the database runs once over its index; a ``count(*) over ()`` column was
measured slower on SQLite: it materialises every matching row before the LIMIT). Only a page
past the end, with no row to carry it, runs the count as a statement of its own; an empty first
page counts nothing.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Integer, bindparam, func, select

from forum.db import run_columns
from forum.extensions import db

T = TypeVar("T")


class PageLinks:
    """Where a page sits among its pages: what the pagination macro reads. Subclasses give
    ``page`` (1-based) and ``pages``; ``RIGHT_CURRENT``: numbers offered after the current one."""

    page: int
    pages: int
    RIGHT_CURRENT = 4

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self) -> Iterator[int | None]:
        """The page numbers to offer: the first two, the last two and those around the current
        one; None where numbers are left out (the macro prints an ellipsis)."""
        shown = {1, 2, self.pages - 1, self.pages,
                 *range(self.page - 2, self.page + self.RIGHT_CURRENT + 1)}
        last = 0
        for n in range(1, self.pages + 1):
            if n in shown:
                if n - last > 1:
                    yield None
                yield n
                last = n


@dataclass(eq=False)
class Page(PageLinks, Generic[T]):
    """One page of a list: its items (read models, rows or entities) and the list's total."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return -(-self.total // self.per_page) if self.total else 0

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)


def paginate(stmt, *, page: int, per_page: int, params: dict | None = None,
             count=None) -> Page:
    """Page ``page`` (below 1: the first) of a column ``select`` as its rows (named, as they
    come). ``params``: values of the statement's bind parameters (a statement built once per
    process, ideally through ``paged``); ``count``: the matching count statement (same params),
    else one is derived from ``stmt``. A page past the end is empty, not an error."""
    return _page(stmt, page, per_page, params, count, entities=False)


def paginate_entities(stmt, *, page: int, per_page: int, params: dict | None = None,
                      count=None) -> Page:
    """``paginate`` for a ``select`` of one entity (with its eager loads): the items are
    entities."""
    return _page(stmt, page, per_page, params, count, entities=True)


def _page(stmt, page: int, per_page: int, params, count, *, entities: bool) -> Page:
    page = max(page, 1)
    offset = (page - 1) * per_page
    if stmt in _PAGED:
        query, values = stmt, {**(params or {}), "_limit": per_page, "_offset": offset}
    else:
        query, values = stmt.limit(per_page).offset(offset), params
    if entities:
        items = list(db.session.execute(query, values).unique().scalars())
    else:
        items = run_columns(db.session, query, values).all()
    return Page(items=items, page=page, per_page=per_page,
                total=_total(stmt, items, page, params, count, entities=entities))


def _total(stmt, items: list, page: int, params, count, *, entities: bool) -> int:
    if items and not entities and "total" in items[0]._fields:  # a statement by with_total
        return items[0].total
    if page == 1 and not items:  # nothing at all: no need to count
        return 0
    if count is None:
        count = select(func.count()).select_from(stmt.order_by(None).subquery())
    return db.session.scalar(count, params) or 0


_PAGED: weakref.WeakSet = weakref.WeakSet()


def with_total(rows, count):
    """``rows`` plus a ``total`` column: ``count`` as an uncorrelated scalar subquery, read off
    the first row by ``paginate``."""
    return rows.add_columns(count.scalar_subquery().label("total"))


def paged(stmt):
    """``stmt`` with ``LIMIT :_limit OFFSET :_offset``, for a statement built once per process:
    ``paginate`` binds the page's values instead of copying the statement (a copy must have its
    cache key computed again on every request). Give ``paginate`` a ``count`` with it."""
    out = stmt.limit(bindparam("_limit", type_=Integer)).offset(
        bindparam("_offset", type_=Integer))
    _PAGED.add(out)
    return out


__all__ = ["Page", "PageLinks", "paged", "paginate", "paginate_entities", "with_total"]
