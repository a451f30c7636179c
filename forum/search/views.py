"""The search page: ``GET /search`` — the box in every page's header leads here."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import current_app, g, render_template, request
from sqlalchemy import select

from forum import ratelimit
from forum.auth.throttle import too_many_requests
from forum.extensions import db
from forum.groups.models import Group
from forum.http import arg_page
from forum.jinja import reader_zone
from forum.pagecache import cached_page
from forum.permissions.groups import visible_groups_clause
from forum.permissions.users import listed_profiles_clause
from forum.ratelimit import Throttled
from forum.search import bp
from forum.search.branches import Filters
from forum.search.models import SearchKind
from forum.search.parsing import QUERY_MAX, TERMS_MAX, parse_query
from forum.search.queries import COUNT_CAP, PER_PAGE, SearchRequest, search
from forum.security import clean_header_text
from forum.users.models import User
from forum.users.names import NameError_, username_key

bp.register_error_handler(Throttled, too_many_requests)

PROBLEMS = {
    "empty": None,  # the bare page: nothing to explain
    "too_long": f"That search is too long: keep it under {QUERY_MAX} characters.",
    "no_words": "Type a word to search for — punctuation and symbols alone match nothing.",
    "only_excluded": "Add a word to find: words with a minus in front only leave results out.",
}


def _visitor_throttle() -> None:
    """Visitors' searches are counted per address (signed-in members are trusted more): the
    one GET that writes, a counter in its own short transaction (Redis when configured)."""
    if current_app.config.get("RATELIMIT_ENABLED") and not g.perms.is_member:
        limit = ratelimit.parse_limit(current_app.config["SEARCH_LIMIT_PER_ADDRESS"])
        key = clean_header_text(request.remote_addr, 64) or "unknown"
        (count,) = ratelimit.attempt(("search", key, limit))
        if not count.allowed:
            raise Throttled(count)


def _day(name: str, errors: dict) -> date | None:
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        errors[name] = "Give a date as YYYY-MM-DD, e.g. 2026-03-07."
        return None


def _start_of(day: date | None):
    if day is None:
        return None
    return datetime.combine(day, time(), reader_zone())


def _filters(errors: dict) -> tuple[Filters, Group | None, User | None]:
    perms = g.perms
    group = author = None
    slug = (request.args.get("group") or "").strip()
    if slug:
        group = db.session.scalar(select(Group).where(
            Group.slug == slug[:80], visible_groups_clause(perms)))
        if group is None:
            errors["group"] = "There is no such group to search in."
    username = (request.args.get("author") or "").strip()
    if username:
        try:
            key = username_key(username[:40])
        except NameError_:
            key = None
        author = key and db.session.scalar(select(User).where(
            User.username_key == key, listed_profiles_clause()))
        if author is None:
            errors["author"] = "No member has that username."
    since, until = _day("from", errors), _day("to", errors)
    if since and until and until < since:
        errors["to"] = "The end date comes before the start date."
    return Filters(
        group_id=group.id if group else None, author_id=author.id if author else None,
        since=_start_of(since), until=_start_of(until + timedelta(days=1)) if until else None,
    ), group, author


@bp.get("/search")
def results():
    if not request.args:
        return _bare_page()
    return _searched()


@cached_page("site")
def _bare_page():
    """The page with the form and nothing searched: the same for every visitor, so it comes
    from the page cache. Every search is run afresh (results follow every write at once)."""
    return _searched()


def _searched():
    text = request.args.get("q", "")
    parsed = parse_query(text)
    errors: dict[str, str] = {}
    filters, group, author = _filters(errors)
    kind_arg = request.args.get("kind", "")
    kind = SearchKind(kind_arg) if kind_arg in SearchKind._value2member_map_ else None
    by_date = request.args.get("sort") == "date"
    found = None
    status = 200
    if parsed.problem == "too_long" or errors:
        status = 400
    elif parsed.searchable:
        _visitor_throttle()
        found = search(g.perms, SearchRequest(parsed, kind, filters, by_date, arg_page()))
    # The search's own arguments, for the links to other kinds and pages.
    link_args = {"q": text[:QUERY_MAX], "group": group.slug if group else None,
                 "author": author.username if author else None,
                 "from": request.args.get("from", "")[:10] or None,
                 "to": request.args.get("to", "")[:10] or None,
                 "sort": "date" if by_date else None}
    return render_template(
        "search/results.html", text=text[:QUERY_MAX], parsed=parsed, found=found,
        problem=PROBLEMS.get(parsed.problem), errors=errors, kind=kind, by_date=by_date,
        group=group, author=author, kinds=list(SearchKind), per_page=PER_PAGE,
        count_cap=COUNT_CAP, terms_max=TERMS_MAX, link_args=link_args,
        since=request.args.get("from", "")[:10], until=request.args.get("to", "")[:10],
    ), status
