"""Search finds what members wrote — threads and posts, files, events, articles, groups and
people — in step with every write, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from forum.db import utcnow, writing
from forum.discussions.models import Post
from forum.extensions import db
from forum.files import services as files
from forum.groups.models import Visibility
from forum.querycount import count_queries
from forum.search.models import SearchEntry
from tests.factories import make_group, make_user
from tests.factories_articles import make_article
from tests.factories_discussions import make_reply, make_thread, root_post
from tests.factories_events import make_event
from tests.factories_files import make_file
from tests.helpers import login


def found(client, query: str, **args) -> str:
    response = client.get("/search", query_string={"q": query, **args})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def hit_titles(html: str) -> int:
    return html.count('<li class="hit ')


@pytest.fixture
def public(world):
    return make_group(section=world.section, name="Library Technology", slug="library-tech",
                      visibility=Visibility.PUBLIC)


def test_a_thread_is_found_by_its_title_and_its_words_with_the_words_marked(
        client, world, public):
    thread = make_thread(group=public, author=world.leader, title="Project management templates",
                         body="Here is the spreadsheet we used for the **migration** plan.")
    html = found(client, "templates")
    assert "<mark>templates</mark>" in html.lower() or "<mark>Templates</mark>" in html
    assert f'/p/{root_post(thread).id}"' in html  # straight to the post in its thread
    html = found(client, "spreadsheet migration")
    assert "<mark>spreadsheet</mark>" in html and "<mark>migration</mark>" in html
    assert "Library Technology" in html  # where it lives
    assert "Nothing found" in found(client, "spreadsheet unicorns")


def test_stemming_case_and_accents_fold(client, world, public):
    make_thread(group=public, author=world.leader, title="Résumé workshop",
                body="Leaders LEADING the review of every résumé.")
    assert hit_titles(found(client, "resume")) == 1  # no accent typed
    assert hit_titles(found(client, "RÉSUMÉ")) == 1
    assert hit_titles(found(client, "leads", kind="post")) == 1  # "leads", "leading": one stem
    assert hit_titles(found(client, "reviews", kind="post")) == 1


def test_phrases_and_excluded_words(client, world, public):
    make_thread(group=public, author=world.leader, title="Budget", body="The project plan is due.")
    make_thread(group=public, author=world.leader, title="Plans", body="A plan for the project.")
    assert hit_titles(found(client, "project plan", kind="post")) == 2
    assert hit_titles(found(client, '"project plan"', kind="post")) == 1
    assert hit_titles(found(client, "project -budget", kind="post")) == 1
    assert hit_titles(found(client, 'plan -"project plan"', kind="post")) == 1


def test_edits_renames_and_hiding_take_effect_at_once(client, world, public):
    from forum.moderation.posts import hide_post

    thread = make_thread(group=public, author=world.leader, title="Weekly call", body="Zoom link.")
    reply = make_reply(thread=thread, author=world.group_member, body="I prefer Tuesdays.")
    db.session.commit()
    assert hit_titles(found(client, "tuesdays")) == 1
    reply.source, reply.html = "I prefer Thursdays.", "<p>I prefer Thursdays.</p>"
    thread.title = "Monthly call"
    db.session.commit()
    assert hit_titles(found(client, "tuesdays")) == 0
    assert hit_titles(found(client, "thursdays")) == 1
    assert hit_titles(found(client, "monthly")) == 1 and hit_titles(found(client, "weekly")) == 0
    hide_post(reply, by=world.leader, reason="off topic")
    db.session.commit()
    assert hit_titles(found(client, "thursdays")) == 0


def test_a_thread_moved_into_a_private_group_drops_out_for_non_members(client, world, public):
    from forum.moderation.threads import move_thread

    thread = make_thread(group=public, author=world.leader, title="Succession planning",
                         body="Who chairs next year?")
    db.session.commit()
    assert hit_titles(found(client, "succession")) == 1
    move_thread(thread, by=world.site_admin, target_group=world.private)
    db.session.commit()
    html = found(client, "succession")
    assert hit_titles(html) == 0 and "Who chairs" not in html
    login(client, world.group_member)
    assert hit_titles(found(client, "succession")) == 1


def test_files_events_articles_groups_and_people_are_found(client, world, public):
    make_file(group=public, uploader=world.leader, name="minutes-march.csv",
              title="Board minutes", description="Approved budget for the archive project.")
    make_event(section=world.section, user=world.section_admin, title="Interest Group Week",
               description="Five days of archive sessions.", location="Chicago")
    make_article(section=world.section, author=world.editor, title="Archive futures",
                 body="What every archive leader should know.",
                 publish_at=utcnow() - timedelta(hours=1))
    make_article(section=world.section, author=world.editor, title="Archive draft",
                 body="Not yet out.", published=False)
    make_group(section=world.section, name="Archives Interest Group", slug="archives",
               visibility=Visibility.PUBLIC, purpose="For people who run archives.")
    make_user(username="archivist", display_name="Ada Archivist").affiliation = "City Archive"
    make_user(username="hidden", display_name="Unverified Archivist", verified=False)
    db.session.commit()
    html = found(client, "archive")
    for text in ("Board minutes", "Interest Group Week", "Archive futures",
                 "Archives Interest Group", "Ada Archivist"):
        assert text in html.replace("<mark>", "").replace("</mark>", ""), text
    assert "Archive draft" not in html and "Unverified" not in html
    assert hit_titles(found(client, "minutes march")) == 1  # the file's name
    files_only = found(client, "archive", kind="file")
    assert hit_titles(files_only) == 1 and "Board minutes" in files_only
    assert hit_titles(found(client, "example.org")) == 0  # addresses are never indexed


def test_a_word_that_names_a_kind_finds_only_what_says_it(client, world, public):
    # SQLite's index holds each entry's kind; a member's words are never matched against it.
    make_file(group=public, uploader=world.leader, title="Roster", description="Names.")
    make_file(group=public, uploader=world.leader, title="Which file format?",
              description="CSV or spreadsheet.")
    make_event(section=world.section, user=world.section_admin, title="Orientation",
               description="An event for new leaders.")
    db.session.commit()
    html = found(client, "file")
    assert hit_titles(html) == 1 and "Which" in html and "Roster" not in html
    assert hit_titles(found(client, "event")) == 1
    assert hit_titles(found(client, "person")) == 0
    assert hit_titles(found(client, "file", kind="file")) == 1


def test_a_trashed_file_drops_out(client, world, public):
    f = make_file(group=public, uploader=world.leader, title="Old roster")
    db.session.commit()
    assert hit_titles(found(client, "roster")) == 1
    files.delete_file(f, world.leader)
    db.session.commit()
    assert hit_titles(found(client, "roster")) == 0


def test_filters_by_group_author_kind_and_date_and_sorting(client, world, public):
    elsewhere = make_group(section=world.section, name="Other", slug="other-public",
                           visibility=Visibility.PUBLIC)
    old = make_thread(group=public, author=world.leader, title="Mentoring old", body="x")
    root_post(old).created_at = utcnow() - timedelta(days=400)
    db.session.flush()
    db.session.execute(SearchEntry.__table__.update().where(
        SearchEntry.ref_id == root_post(old).id).values(created_at=utcnow() - timedelta(days=400)))
    make_thread(group=public, author=world.group_member, title="Mentoring new", body="y")
    make_thread(group=elsewhere, author=world.leader, title="Mentoring elsewhere", body="z")
    db.session.commit()
    assert hit_titles(found(client, "mentoring")) == 3
    assert hit_titles(found(client, "mentoring", group="library-tech")) == 2
    assert hit_titles(found(client, "mentoring", author=world.leader.username)) == 2
    since = (utcnow() - timedelta(days=30)).date().isoformat()
    assert hit_titles(found(client, "mentoring", **{"from": since})) == 2
    html = found(client, "mentoring", sort="date").replace("<mark>", "").replace("</mark>", "")
    assert html.index("Mentoring old") > html.index("Mentoring new")


def test_the_index_follows_the_live_rows_and_reindex_rebuilds_it(app, client, world, public):
    thread = make_thread(group=public, author=world.leader, title="Seeded", body="Opening.")
    db.session.commit()
    # A row written around the ORM (as the benchmark's seeders do) is not indexed…
    with writing():
        db.session.execute(insert(Post).values(
            thread_id=thread.id, parent_id=root_post(thread).id, path="0001.9999", depth=1,
            author_id=world.leader.id, source="Bulk loaded xylophone.",
            html="<p>Bulk loaded xylophone.</p>", status="published", created_at=utcnow()))
        db.session.commit()
    assert hit_titles(found(client, "xylophone")) == 0
    # …until the command writes every document again.
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed" in result.output
    assert hit_titles(found(client, "xylophone")) == 1
    assert db.session.scalar(select(SearchEntry.id).where(SearchEntry.kind == "post",
                                                          SearchEntry.ref_id == 10**6)) is None


def test_the_page_runs_a_constant_number_of_statements(client, world, public):
    def budget():
        with count_queries() as q:
            assert found(client, "budget")
        return len(q)

    make_thread(group=public, author=world.leader, title="Budget 0", body="budget")
    make_file(group=public, uploader=world.leader, title="Budget sheet")
    db.session.commit()
    few = budget()
    for i in range(1, 30):
        make_thread(group=public, author=world.leader, title=f"Budget {i}", body="budget")
    make_event(section=world.section, user=world.section_admin, title="Budget review")
    db.session.commit()
    assert budget() <= few + 1  # the event kind's links: one statement more, never per hit


def test_the_bare_page_comes_from_the_cache_and_every_search_is_run_afresh(app, world, public):
    def visit(url):
        return app.test_client().get(url)  # a new visitor each time: no cookie

    assert visit("/search").headers.get("X-Page-Cache") == "miss"
    assert visit("/search").headers.get("X-Page-Cache") == "hit"
    assert "X-Page-Cache" not in visit("/search?q=zebras").headers
    make_thread(group=public, author=world.leader, title="Zebras in the archive", body="Yes.")
    db.session.commit()
    searched = visit("/search?q=zebras")
    assert "X-Page-Cache" not in searched.headers
    assert hit_titles(searched.get_data(as_text=True)) == 1


def test_every_page_has_the_search_box_and_a_group_page_searches_in_its_group(
        client, world, public):
    for url in ("/", "/groups", f"/g/{public.slug}"):
        html = client.get(url).get_data(as_text=True)
        assert 'role="search" aria-label="Site"' in html and 'name="q"' in html, url
    html = client.get(f"/g/{public.slug}").get_data(as_text=True)
    assert f'<input type="hidden" name="group" value="{public.slug}">' in html
    # Not on the page of a group the reader may not read.
    html = client.get(f"/g/{world.group.slug}").get_data(as_text=True)
    assert "Search in this group" not in html
