"""A post's opening (article tag, heading, date line) and action list as Markup, for
discussions/_post_list.html.

Built in Python from escaped parts (names escaped here; URLs arrive escaped from views._Urls,
the CSRF token from views.present): the loop then prints three values per post instead of some
thirty escaped values and attribute look-ups, which made the loop a quarter of a thread page's
CPU. The markup is the one the template printed; change both together.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from forum.jinja import format_datetime


def head_html(p, level: int) -> Markup:
    """The article's opening tag and its header: heading and date line.

    Levels: the page's headings sit under the h1 and the h2 "Posts", so a post at level n is
    an aria-level n + 3 heading."""
    status = p.status
    classes = "post" if status == "published" else f"post post-{status}"
    if p.is_new:
        classes += " post-new"
    if status == "deleted":
        who_ = "A removed post"
    elif not p.shows_body:
        who_ = "A hidden post"
    else:
        who_ = f'<span class="post-author">{escape(p.name)}</span>'
    if p.depth == 0 and p.answered is None:
        what = " started the discussion\n  "
    else:
        what = f" replied to {escape(p.answered or '')}  "
    pid = p.id
    return Markup(
        f'<article class="{classes}" id="post-{pid}" aria-labelledby="post-{pid}-heading" '
        f'data-post-id="{pid}">\n  <header class="post-header">\n'
        f'<div class="post-heading" role="heading" aria-level="{level + 3}" '
        f'id="post-{pid}-heading">\n{who_}{what}'
        f'<span class="visually-hidden">, level {level + 1}</span>\n</div>\n'
        f'    <p class="post-meta">\n      {_meta(p)}\n    </p>\n  </header>')


def _meta(p) -> str:
    created = p.created_at
    out = f'<time datetime="{created.isoformat() if created else ""}">' \
          f'{format_datetime(created)}</time>'
    if p.edited_at and p.status != "deleted":
        out += '\n      <span class="edited">(edited)</span>'
    if p.is_new:
        out += '\n      <span class="badge badge-new">New</span>'
    return out


_HIDDEN = '<span class="visually-hidden">{}</span>'


def actions_html(p, csrf) -> Markup:
    def link(href, label, hidden=""):
        out.append(f'  <li><a href="{href}">{label}'
                   f'{_HIDDEN.format(hidden) if hidden else ""}</a></li>')

    out = ['<ul class="post-actions">']
    link(p.link, "Link", " to this post")
    if p.reply_url:
        name = escape(p.name)
        link(p.reply_url, "Reply", f" to {name}")
        link(p.quote_url, "Quote", f" {name}")
    if p.status == "published":
        out.append('  <li class="recommend">')
        if p.recommend_url:
            pressed = "true" if p.recommended else "false"
            out.append(
                f'    <form method="post" action="{p.recommend_url}" '
                f'class="inline-form recommend-form">\n'
                f'      <input type="hidden" name="csrf_token" value="{csrf}">\n'
                f'      <button type="submit" class="link-button" aria-pressed="{pressed}">'
                f'Recommend{_HIDDEN.format(" this post")}</button>\n    </form>')
        count = p.recommend_count
        out.append(f'    <span class="recommend-count">{count} '
                   f'{"recommendation" if count == 1 else "recommendations"}</span>\n  </li>')
    if p.edit_url:
        link(p.edit_url, "Edit", " your post")
    if p.delete_url:
        out.append(f'  <li><form method="post" action="{p.delete_url}" class="inline-form">\n'
                   f'  <input type="hidden" name="csrf_token" value="{csrf}">\n'
                   '  <button type="submit" class="link-button" '
                   'data-confirm="Remove this post? Replies to it stay.">Delete</button>\n'
                   '</form></li>')
    if p.history_url:
        link(p.history_url, "History")
    if p.flag_url:
        link(p.flag_url, "Flag", " this post for the moderators")
    if p.tools_url:
        link(p.tools_url, "Moderate", " this post")
    out.append("</ul>")
    return Markup("\n".join(out))
