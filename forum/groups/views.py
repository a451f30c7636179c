"""Public views of groups: the directory, a group's page, its leadership, joining and leaving."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from forum.discussions.queries import threads_for_group
from forum.extensions import db
from forum.files.queries import group_page_recent_files, group_recent_files
from forum.forms import ActionForm
from forum.groups import appointments, bp, services
from forum.groups.models import GroupKind, Role, Visibility
from forum.groups.paging import search_term
from forum.groups.queries import (
    directory_page,
    get_group,
    get_group_page,
    my_groups,
)
from forum.http import arg_page
from forum.jinja import reader_zone
from forum.pagecache import cached_page


@bp.get("/groups")
@cached_page("site")
def directory():
    kind = request.args.get("kind") or None
    search = search_term()
    page = directory_page(g.perms, kind, search, arg_page())
    return render_template("groups/directory.html", page=page, kind=kind, search=search,
                           kinds=list(GroupKind.listed()))


@bp.get("/groups/mine")
def mine():
    g.perms.ensure(g.perms.is_authenticated)
    memberships = my_groups(g.perms)
    return render_template("groups/mine.html", memberships=memberships, form=ActionForm())


@bp.get("/g/<slug>")
@cached_page("group")
def show(slug: str):
    # The group page is composed here, from each feature's public read function: a route
    # module is the top layer (tests/test_architecture.py), so groups' own modules stay below
    # discussions and files. The recent files ride in the group's statement.
    perms = g.perms
    page = get_group_page(perms, slug, extra_columns={"recent_files": group_page_recent_files})
    group = page.group
    if group.kind == GroupKind.ARTICLES:  # it carries the articles' comments, nothing else
        return redirect(url_for("articles.index"))
    rights = _page_rights(perms, group)
    return render_template("groups/show.html", group=group, rights=rights,
                           leaders=page.leaders, moderators=page.moderators,
                           waiting=(page.waiting or 0) if rights["lead"] else 0,
                           listing=threads_for_group(perms, group, arg_page()),
                           recent=group_recent_files(perms, group, page.extras["recent_files"]),
                           reader_zone=reader_zone(group.section.timezone))


def _page_rights(perms, group) -> dict[str, bool]:
    """The reader's standing and rights on the group page, asked of forum.permissions once."""
    return {
        "signed_in": perms.is_authenticated,
        "invited": perms.is_invited(group),
        "pending": perms.has_pending_request(group),
        "join": perms.can_join(group),
        "leave": perms.can_leave(group),
        "read": perms.can_read(group),
        "banned": perms.is_banned(group),
        "lead": perms.can_lead(group),
        "manage": perms.can_manage_group(group),
    }


@bp.get("/g/<slug>/leadership")
def leadership(slug: str):
    group = get_group(g.perms, slug)
    # Volunteers' seats are part of the record (docs/volunteering.md: "Seats as appointments").
    terms = appointments.history(group, roles=(Role.LEADER, Role.EDITOR))
    first_year = min((t.starts_on.year for t in terms), default=None)
    return render_template("groups/leadership.html", group=group, terms=terms,
                           first_year=first_year, today=g.perms.today)


@bp.post("/g/<slug>/join")
def join(slug: str):
    group = get_group(g.perms, slug)
    g.perms.ensure(g.perms.can_join(group))
    if not ActionForm().validate_on_submit():
        abort(400)
    result = services.join(group, g.perms.user)
    db.session.commit()
    flash(result.message, "success" if result.changed else "info")
    return redirect(url_for("groups.show", slug=group.slug))


@bp.post("/g/<slug>/leave")
def leave(slug: str):
    group = get_group(g.perms, slug)
    g.perms.ensure(g.perms.can_leave(group))
    if not ActionForm().validate_on_submit():
        abort(400)
    result = services.leave(group, g.perms.user)
    db.session.commit()
    flash(result.message, "success" if result.changed else "info")
    if group.visibility == Visibility.PRIVATE:
        return redirect(url_for("groups.mine"))  # its page no longer exists for them
    return redirect(url_for("groups.show", slug=group.slug))
