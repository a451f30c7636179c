"""What a search may show: one SQL clause per kind of hit, each the rule of the page that owns
the hit, so a search never shows what that page would refuse.

Each clause filters the live rows the search joins to its index entry (``forum.search.queries``
names the joins beside each clause): a post's ``Post``/``Thread``/``Group``, a file's
``SharedFile`` and its ``Group``, an ``Event``, an ``Article``, a ``Group``, a ``User``. The
index itself stores no visibility, so a thread moved into a private group, a post hidden or a
member banned changes what the next search shows, with nothing to re-index."""

from __future__ import annotations

from sqlalchemy import func

from forum.articles.models import Article
from forum.files.models import SharedFile
from forum.groups.models import Group, GroupKind
from forum.permissions.discussions import visible_posts_clause
from forum.permissions.events import visible_events_clause
from forum.permissions.files import listed_files_clause
from forum.permissions.groups import readable_groups_clause, visible_groups_clause
from forum.permissions.users import listed_profiles_clause


def searchable_posts_clause(perms):
    """Posts (``Post`` ⋈ ``Thread`` ⋈ ``Group``): exactly what lists of posts show."""
    return visible_posts_clause(perms)


def searchable_files_clause(perms):
    """Files (``SharedFile`` ⋈ its ``Group``): what the library lists to this reader — a
    readable group, not in the trash, and (for a file that came with a post) a post that is
    still published in a listed thread."""
    return (readable_groups_clause(perms) & SharedFile.deleted_at.is_(None)
            & listed_files_clause(SharedFile))


def searchable_events_clause(perms):
    """Events: section-wide ones and those of groups the reader may read."""
    return visible_events_clause(perms)


def searchable_articles_clause(perms):
    """Articles: published, their time come — by the database's clock, as the articles list.
    Editors find drafts on their own desk, not in search."""
    return Article.visible_clause(func.current_timestamp())


def searchable_groups_clause(perms):
    """Groups: those whose existence the reader may know, as the directory — which leaves out
    a section's articles group (its threads are articles' comments, found as posts)."""
    return visible_groups_clause(perms) & (Group.kind != GroupKind.ARTICLES)


def searchable_people_clause(perms):
    """Members: those whose profile anyone may open."""
    return listed_profiles_clause()
