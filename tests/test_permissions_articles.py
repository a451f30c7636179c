"""Every articles route × every role (tests.world ROLES and the section's editor) → the
expected answer: who reads published, draft and scheduled articles and their comment threads,
who writes, publishes and unpublishes, who comments, who moderates comments.

"login" means a redirect to sign-in. Drafts, scheduled articles and the editors' pages are a
404 to everyone but the section's writers (its editors, its admins, site admins).
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from forum.articles import services
from forum.db import utcnow
from forum.discussions.models import Thread
from forum.extensions import db
from forum.groups.models import MembershipStatus
from forum.storage import get_storage
from tests.factories import make_membership
from tests.factories_articles import comment, make_article
from tests.helpers import post, walk_gets
from tests.world import ROLES, sign_in_as

ARTICLE_ROLES = ROLES + ("editor",)
WRITERS = {"editor", "section_admin", "site_admin"}
COMMENTERS = {"member", "group_member", "moderator", "leader", "section_admin", "site_admin",
              "other_member", "editor"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def _matrix(ok: set[str], ok_status=200, *, anonymous=None, others=404, **special):
    expected = {role: (ok_status if role in ok else others) for role in ARTICLE_ROLES}
    if anonymous is not None:
        expected["anonymous"] = anonymous
    expected.update(special)
    return expected


EVERYONE = dict.fromkeys(ARTICLE_ROLES, 200)
WRITE_PAGE = _matrix(WRITERS)
NEW_ARTICLE = {"title": "A new one", "body": "Words.", "submission_key": "n" * 32}

# (method, url template, form, expected per role)
ROUTES = [
    ("GET", "/articles/", None, EVERYONE),
    ("GET", "/articles/feed.atom", None, EVERYONE),
    ("GET", "/articles/{pub}", None, EVERYONE),
    ("GET", "/articles/{pub}/image", None, EVERYONE),
    ("GET", "/articles/{draft}", None, WRITE_PAGE),
    ("GET", "/articles/{draft}/image", None, WRITE_PAGE),
    ("GET", "/articles/{later}", None, WRITE_PAGE),
    ("GET", "/g/{grp}/t/{pub_t}", None, _matrix(set(ARTICLE_ROLES), others=403,
                                                 banned=403)),
    ("GET", "/g/{grp}/t/{later_t}", None, WRITE_PAGE),
    # Where a response's permalink lands: the article's page, for whoever may read it.
    ("GET", "/articles/responses/{pub_t}", None, dict.fromkeys(ARTICLE_ROLES, 302)),
    ("GET", "/articles/responses/{draft_t}", None, _matrix(WRITERS, 302)),
    ("GET", "/g/{grp}/t/{draft_t}", None, WRITE_PAGE),
    ("GET", "/articles/drafts", None, WRITE_PAGE),
    ("GET", "/articles/new/core", None, WRITE_PAGE),
    ("POST", "/articles/new/core", NEW_ARTICLE, _matrix(WRITERS, 302)),
    ("GET", "/articles/{pub}/edit", None, WRITE_PAGE),
    ("POST", "/articles/{pub}/edit", {"title": "Edited", "body": "New words.",
                                      "image_alt": "A whiteboard"},
     _matrix(WRITERS, 302)),
    ("POST", "/articles/{draft}/publish", {"publish_at": ""}, _matrix(WRITERS, 302)),
    ("POST", "/articles/{pub}/unpublish", {}, _matrix(WRITERS, 302)),
    # Comments: any member in good standing, without joining; not banned (from the articles
    # group), suspended or unverified accounts; nobody but writers on a draft's thread.
    ("POST", "/g/{grp}/t/{pub_t}/reply", {"body": "Well said.", "submission_key": "c" * 32},
     _matrix(COMMENTERS, 302, others=403, anonymous="login")),
    ("POST", "/g/{grp}/t/{draft_t}/reply", {"body": "Early!", "submission_key": "d" * 32},
     _matrix(WRITERS, 302)),
    # Moderating comments: the section's editors, its admins and site admins.
    ("POST", "/moderation/posts/{comment}/hide", {"reason": "off topic"},
     _matrix(WRITERS, 302, others=403, anonymous="login", banned=404)),
]


def _image(article) -> None:
    storage = get_storage()
    with storage.receive(io.BytesIO(PNG)) as pending:
        pending.commit()
        services.set_image(article, pending.sha256, "image/png")
    article.image_alt = "A whiteboard"


def _setup(world) -> dict:
    pub = make_article(section=world.section, author=world.editor, title="Published one")
    _image(pub)
    draft = make_article(section=world.section, author=world.editor, title="Draft one",
                         published=False)
    _image(draft)
    later = make_article(section=world.section, author=world.editor, title="Later one",
                         publish_at=utcnow() + timedelta(days=5))
    was = make_article(section=world.section, author=world.editor, title="Withdrawn one")
    services.unpublish(was)
    thread = db.session.get(Thread, pub.thread_id)
    make_membership(group=thread.group, user=world.banned, status=MembershipStatus.BANNED)
    note = comment(article=pub, author=world.other_member, text="A comment")
    db.session.flush()
    return {"pub": pub.slug, "draft": draft.slug, "later": later.slug,
            "grp": thread.group.slug, "pub_t": pub.thread_id, "later_t": later.thread_id,
            "draft_t": was.thread_id, "comment": note.id}


def _check(response, expected, label):
    if expected == "login":
        assert response.status_code == 302, label
        assert "/auth/login" in response.headers["Location"], label
    else:
        assert response.status_code == expected, label


GETS = [(pattern, expected) for method, pattern, _, expected in ROUTES if method == "GET"]
POSTS = [(pattern, form, expected) for method, pattern, form, expected in ROUTES
         if method == "POST"]


@pytest.mark.parametrize("role", ARTICLE_ROLES)
def test_articles_pages_by_role(client, world, role):
    # A GET never writes: one world and one sign-in serve the role's whole row.
    ids = _setup(world)
    sign_in_as(client, world, role)
    got = walk_gets(client, {pattern: pattern.format(**ids) for pattern, _ in GETS})
    assert got == {pattern: expected[role] for pattern, expected in GETS}


@pytest.mark.parametrize("role", ARTICLE_ROLES)
@pytest.mark.parametrize("pattern,form,expected", POSTS, ids=[f"POST {p}" for p, _, _ in POSTS])
def test_articles_actions_by_role(client, world, role, pattern, form, expected):
    url = pattern.format(**_setup(world))
    sign_in_as(client, world, role)
    _check(post(client, url, form), expected[role], f"{role} POST {url}")


def test_sign_in_as_editor_works(client, world):
    assert sign_in_as(client, world, "editor") is world.editor
    assert client.get("/articles/drafts").status_code == 200


def test_matrix_covers_every_route_of_the_feature(app):
    from tests.test_permissions_groups import _matches

    samples = {p.replace("{pub}", "x").replace("{draft}", "x").replace("{later}", "x")
               .replace("{pub_t}", "1").replace("{draft_t}", "1") for _m, p, _f, _e in ROUTES}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("articles.")]
    assert len(rules) >= 9
    for rule in rules:
        assert any(_matches(rule, url) for url in samples), rule.rule
