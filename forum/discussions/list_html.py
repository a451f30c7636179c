"""The rows of a group's thread list as Markup, for discussions/_group_threads.html.

Built in Python from escaped parts, as the thread page's posts are (discussions.fragments): in
Jinja the loop printed a dozen escaped values and tests per row, and the list was the dearest
part of the group page. The markup is what a screen reader walks (a heading per thread, the
"New posts" badge, a "first unread" link named after its thread): change it with care;
tests/test_discussions_group_list.py and the browser tests (axe) check it.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from forum.jinja import format_datetime, user_zone

_NEW_BADGE = '<span class="badge badge-new">New posts</span>'


def thread_rows_html(rows, unread: set[int], thread_url: tuple[str, str],
                     unread_url: tuple[str, str]) -> Markup:
    """The ``<li>`` of every row (listing.ThreadRow); ``unread``: ids of threads with posts
    the reader has not read; the URLs are ``(before, after)`` around a thread's id."""
    thread_before, thread_after = (escape(part) for part in thread_url)
    unread_before, unread_after = (escape(part) for part in unread_url)
    zone = user_zone()
    out = []
    add = out.append
    for id, title, pinned, locked, hidden, n, last_post_at, _last, poster in rows:
        title = escape(title)
        new = id in unread
        add(f'<li class="thread-row{" thread-unread" if new else ""}">\n'
            f'  <h3 class="thread-title"><a href="{thread_before}{id}{thread_after}">{title}</a>\n'
            f'    {_NEW_BADGE if new else ""}</h3>\n'
            f'  <p class="thread-meta">\n')
        if pinned:
            add('    <span class="badge">Pinned</span>\n')
        if locked:
            add('    <span class="badge badge-locked">Locked</span>\n')
        if hidden:
            add('    <span class="badge badge-hidden">Hidden</span>\n')
        add(f'    {n} {"reply" if n == 1 else "replies"} ·\n'
            f'    last post{f" by {escape(poster)}" if poster else ""}\n'
            f'    <time datetime="{last_post_at.isoformat() if last_post_at else ""}">'
            f'{format_datetime(last_post_at, zone=zone)}</time>')
        if new:
            add(f' · <a href="{unread_before}{id}{unread_after}">first unread'
                f'<span class="visually-hidden"> post in {title}</span></a>')
        add("\n  </p>\n</li>\n")
    return Markup("".join(out))
