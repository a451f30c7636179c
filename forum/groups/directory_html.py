"""The rows of the group directory as Markup, for groups/directory.html.

Built in Python from escaped parts, as a group's thread list is (discussions.list_html): in
Jinja the 30 rows' attribute look-ups, tests and filters were the larger part of the page's
CPU. A row is a heading (the group's linked name), its facts as a list, the purpose cut to
a paragraph and its leaders: what a screen reader walks; change it with care
(tests/test_groups_pages.py checks it).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from forum.groups.appointments import leader_names
from forum.jinja import format_datetime, user_zone

PURPOSE_LENGTH = 240  # characters of the purpose a row shows (Jinja's truncate: 5 to spare)
_SPARE = 5


def group_rows_html(rows, group_url: tuple[str, str]) -> Markup:
    """The ``<li>`` of every row (groups.queries.directory_page); the URL is ``(before,
    after)`` around a group's slug."""
    before, after = (escape(part) for part in group_url)
    zone = user_zone()
    out = []
    add = out.append
    for row in rows:
        count = row.member_count
        add(f'  <li>\n    <h2><a href="{before}{escape(row.slug)}{after}">{escape(row.name)}'
            f'</a></h2>\n    <ul class="group-meta">\n      <li>{escape(row.kind.label)}</li>\n'
            f'      <li>{count} member{"" if count == 1 else "s"}</li>\n')
        if row.visibility != "public":
            which = "Private" if row.visibility == "private" else "Members only"
            add(f'      <li><span class="badge">{which}</span></li>\n')
        active = row.last_activity_at
        when = (f"Last active {format_datetime(active, '%-d %b %Y', zone)}" if active
                else "No activity yet")
        add(f'      <li>{when}</li>\n    </ul>\n    <p>{escape(_cut(row.purpose))}</p>\n')
        lead = leader_names(row.leaders)
        if lead:
            add(f'    <p class="muted">Led by {escape(lead)}</p>\n')
        add("  </li>\n")
    return Markup("".join(out))


def _cut(text: str | None) -> str:
    """Jinja's ``truncate(PURPOSE_LENGTH)``: whole words, "..." at the end."""
    text = text or ""
    if len(text) <= PURPOSE_LENGTH + _SPARE:
        return text
    return text[:PURPOSE_LENGTH - 3].rsplit(" ", 1)[0] + "..."
