"""The posts of a thread page as Markup: each post's article (heading, date line, body or
placeholder, attached files, actions) inside the tree of branches, for
discussions/_post_list.html, which prints it inside its list.

Built in Python from escaped parts (names escaped here; URLs arrive escaped from views._Urls,
the CSRF token from views.present). In Jinja the loop printed some thirty escaped values and
attribute look-ups per post, a quarter of a thread page's CPU; even at three values per post
the template's per-item machinery cost more than the markup (moving the loop here cut the
2,000-reply thread's instructions by 13%, callgrind, 2026-11-23). The markup is
what a screen reader walks (headings with levels, named branches): change it with care;
tests/test_discussions_reading.py and the browser tests (axe) check it.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from forum.jinja import DATETIME_FORMAT, format_datetime, user_zone

_REMOVED = ('  <p class="post-placeholder">This post was removed by its author. '
            'Replies to it are kept.</p>')
_HIDDEN_POST = '  <p class="post-placeholder">This post was hidden by a moderator.</p>'
_PENDING = ('  <p class="badge badge-pending">Awaiting a moderator\'s approval — only you and '
            'the moderators can see it.</p>')
_HIDDEN_BADGE = '  <p class="badge badge-hidden">Hidden from members by a moderator.</p>'
_CLOSE_BRANCH = "      </ol>\n    </details>\n  </li>"


def post_items_html(items, csrf) -> Markup:
    """The ``<li>`` of every item of a page (discussions.tree.walk: each post with its level,
    whether a branch opens under it and how many close after it)."""
    out = []
    add = out.append
    attachment_urls = None
    zone = user_zone()
    for item in items:
        p = item.post
        status = p.status
        add('<li class="tree-node">')
        add(head_html(p, item.level, zone))
        if status == "deleted":
            add(_REMOVED)
        elif not p.shows_body:
            add(_HIDDEN_POST)
        else:
            if status == "pending":
                add(_PENDING)
            elif status == "hidden":
                add(_HIDDEN_BADGE)
            add(f'  <div class="post-body">{p.html or ""}</div>')  # stored by forum.markup
            if p.files:
                if attachment_urls is None:  # the files feature, asked only when a post has some
                    from forum.files import attachment_urls as urls
                    from forum.files.attachments import attachments_html

                    attachment_urls = urls()
                add(attachments_html(p.files, *attachment_urls))
        add(actions_html(p, csrf))
        if p.branch_url:
            add(f'  <p class="continue-branch"><a href="{p.branch_url}">Continue this branch'
                f'<span class="visually-hidden"> (replies to {escape(p.name)})</span> →</a></p>')
        add("</article>")
        if item.opens:
            whose = escape(p.name) if status == "published" else "this post"
            add(f'  <details class="branch" open>\n    <summary>Replies to {whose}</summary>\n'
                f'    <ol class="replies">')
        else:
            add("</li>")
        if item.closes:
            out.extend([_CLOSE_BRANCH] * item.closes)
    return Markup("\n".join(out))


def head_html(p, level: int, zone=None) -> Markup:
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
        f'    <p class="post-meta">\n      {_meta(p, zone)}\n    </p>\n  </header>')


def _meta(p, zone) -> str:
    created = p.created_at
    out = f'<time datetime="{created.isoformat() if created else ""}">' \
          f'{format_datetime(created, DATETIME_FORMAT, zone)}</time>'
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
