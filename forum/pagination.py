"""Page links for every list: the templates' ``pagination(page, endpoint, label, **values)``.

``page`` is a flask_sqlalchemy Pagination, or anything with ``page``, ``pages``, ``has_prev``,
``has_next``, ``prev_num``, ``next_num`` and ``iter_pages()`` (discussions.paging.Page).
Built in Python rather than as a Jinja macro: the macro's per-link machinery cost 2–3% of a
thread or group page (callgrind). One link is built per call, with a stand-in page number,
and each link splices its number in; should the stand-in appear twice (say, a search for it),
every link gets its own url_for, so a link is never wrong. The markup is what screen readers
announce (a named navigation landmark, the current page marked): change it with care.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from forum.urls import cached_url

_STAND_IN = 987654321


def pagination(page, endpoint: str, label: str = "Pages", **values) -> Markup:
    if page.pages <= 1:
        return Markup("")
    link = _links(endpoint, values)
    items = []
    if page.has_prev:
        items.append(f'<li><a href="{link(page.prev_num)}" rel="prev">Previous'
                     '<span class="visually-hidden"> page</span></a></li>')
    current = page.page
    for n in page.iter_pages():
        if not n:
            items.append('<li class="ellipsis" aria-hidden="true">…</li>')
        else:
            mark = ' aria-current="page"' if n == current else ""
            items.append(f'<li><a{mark} href="{link(n)}">'
                         f'<span class="visually-hidden">Page </span>{n}</a></li>')
    if page.has_next:
        items.append(f'<li><a href="{link(page.next_num)}" rel="next">Next'
                     '<span class="visually-hidden"> page</span></a></li>')
    return Markup(f'<nav class="pagination" aria-label="{escape(label)}">\n  <ul>\n    '
                  + "\n    ".join(items) + "\n  </ul>\n</nav>")


def _links(endpoint: str, values: dict):
    """``link(n)``: the escaped URL of page ``n``."""
    sample = cached_url(endpoint, page=_STAND_IN, **values)
    if sample.count(str(_STAND_IN)) != 1:
        return lambda n: escape(cached_url(endpoint, page=n, **values))
    before, _, after = (str(escape(part)) for part in sample.rpartition(str(_STAND_IN)))
    return lambda n: f"{before}{n}{after}"
