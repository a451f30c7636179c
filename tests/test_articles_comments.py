"""Responses to articles: a discussions thread of the section's articles group — members
respond without joining, banned and suspended accounts may not, editors moderate, drafts'
threads are hidden with them, and the group itself is never a group people see."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.articles.models import ArticleStatus
from forum.discussions.models import Post, Thread
from forum.extensions import db
from forum.groups.models import Group, GroupKind, MembershipStatus
from tests.factories import make_membership
from tests.factories_articles import comment, make_article
from tests.helpers import login, post


def test_members_comment_without_joining_and_lists_count_responses(client, world):
    article = make_article(section=world.section, author=world.editor)
    thread = db.session.get(Thread, article.thread_id)
    opening = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    login(client, world.member)
    response = post(client, f"/g/{thread.group.slug}/t/{thread.id}/reply",
                    {"body": "This helped our *team*.", "parent_id": str(opening),
                     "submission_key": "m" * 32}, token_from=f"/articles/{article.slug}")
    assert response.status_code == 302
    # The new response's permalink leads to the article's page, where responses are read.
    landing = client.get(response.headers["Location"])
    assert landing.status_code == 302
    assert landing.headers["Location"].endswith(f"/articles/responses/{thread.id}#post-"
                                                f"{db.session.scalar(select(func.max(Post.id)))}")
    on_article = client.get(landing.headers["Location"])
    assert on_article.headers["Location"].endswith(f"/articles/{article.slug}")
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "This helped our <em>team</em>." in page and "1 response" in page
    thread_page = client.get(f"/g/{thread.group.slug}/t/{thread.id}").get_data(as_text=True)
    assert f'href="/articles/responses/{thread.id}"' in thread_page
    assert "1 response" in client.get("/articles/").get_data(as_text=True)
    assert not db.session.scalar(select(func.count()).where(
        Group.kind == GroupKind.ARTICLES, Group.member_count > 0))


def test_banned_and_suspended_members_may_not_comment(client, world):
    article = make_article(section=world.section, author=world.editor)
    thread = db.session.get(Thread, article.thread_id)
    make_membership(group=thread.group, user=world.banned, status=MembershipStatus.BANNED)
    before = db.session.scalar(select(func.count(Post.id)))
    for who in (world.banned, world.suspended, world.unverified):
        fresh = client.application.test_client()
        login(fresh, who)
        response = post(fresh, f"/g/{thread.group.slug}/t/{thread.id}/reply",
                        {"body": "Let me in", "submission_key": "z" * 32})
        assert response.status_code in (403, 404), who.username
    assert db.session.scalar(select(func.count(Post.id))) == before


def test_the_articles_group_is_not_a_group_people_see(client, world):
    article = make_article(section=world.section, author=world.editor)
    group = db.session.get(Thread, article.thread_id).group
    for url in (f"/g/{group.slug}", f"/g/{group.slug}/discussions"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith("/articles/")
    assert group.name not in client.get("/groups").get_data(as_text=True)
    assert group.name not in client.get("/groups?kind=articles").get_data(as_text=True)


def test_unpublishing_hides_the_article_and_its_comments(client, world):
    article = make_article(section=world.section, author=world.editor)
    comment(article=article, author=world.member, text="A comment to hide")
    login(client, world.editor)
    assert post(client, f"/articles/{article.slug}/unpublish").status_code == 302
    db.session.refresh(article)
    assert article.status == ArticleStatus.DRAFT
    thread = db.session.get(Thread, article.thread_id)
    reader = client.application.test_client()
    assert reader.get(f"/articles/{article.slug}").status_code == 404
    assert reader.get(f"/g/{thread.group.slug}/t/{thread.id}").status_code == 404
    assert "A comment to hide" not in reader.get(
        f"/users/{world.member.username}").get_data(as_text=True)


def test_editors_find_held_comments_in_their_moderation_queue(client, world):
    from forum.moderation.models import GroupModerationSettings

    article = make_article(section=world.section, author=world.editor)
    thread = db.session.get(Thread, article.thread_id)
    db.session.add(GroupModerationSettings(group_id=thread.group_id, hold_first_posts=True))
    db.session.commit()
    login(client, world.member)
    opening = services_opening(article)
    post(client, f"/g/{thread.group.slug}/t/{thread.id}/reply",
         {"body": "My first comment here", "parent_id": str(opening),
          "submission_key": "h" * 32})
    held = db.session.scalar(select(Post).where(Post.source == "My first comment here"))
    assert held.status == "pending"
    editor = client.application.test_client()
    login(editor, world.editor)
    home = editor.get("/").get_data(as_text=True)
    assert ">Moderation</a>" in home
    assert "My first comment here" in editor.get("/moderation").get_data(as_text=True)
    assert post(editor, f"/moderation/posts/{held.id}/approve").status_code == 302
    db.session.refresh(held)
    assert held.status == "published"


def services_opening(article) -> int:
    from forum.articles.services import opening_post

    return opening_post(article).id


def test_an_articles_thread_is_never_moved_merged_or_split(client, world):
    article = make_article(section=world.section, author=world.editor)
    note = comment(article=article, author=world.member)
    db.session.commit()
    login(client, world.site_admin)
    thread_id = article.thread_id
    assert client.get(f"/moderation/threads/{thread_id}/move").status_code == 403
    assert client.get(f"/moderation/threads/{thread_id}/merge").status_code == 403
    assert client.get(f"/moderation/posts/{note.id}/split").status_code == 403
    assert db.session.get(Thread, thread_id).group.kind == GroupKind.ARTICLES
