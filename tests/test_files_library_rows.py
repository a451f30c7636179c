"""The library page as plain rows: the badge, the uploader, the total (also past the end), and
the home block's rows."""

from __future__ import annotations

from forum.files.attachments import attach_uploads
from forum.files.queries import PER_PAGE, library_page, recent_file_rows
from forum.permissions import Permissions
from forum.querycount import count_queries
from tests.factories_files import make_file, post_in, upload_of
from tests.helpers import login

SLUG = "project-management"


def test_rows_carry_the_badge_uploader_and_total_in_one_statement(app, world):
    plain = make_file(group=world.group, uploader=world.leader, title="Plain sheet")
    attach_uploads(post_in(world.group, world.group_member), [upload_of(name="with-post.csv")],
                   world.group_member)
    with app.test_request_context(), count_queries() as q:
        page = library_page(world.group, folder_id=None, sort="name", direction="asc", page=1)
    assert len(q) == 1
    assert page.total == 2 and page.pages == 1
    rows = {r.title: r for r in page.items}
    assert rows["Plain sheet"].id == plain.id and not rows["Plain sheet"].in_post
    assert rows["Plain sheet"].uploader_name == world.leader.display_name
    assert rows["with-post.csv"].in_post


def test_a_page_past_the_end_still_knows_the_total(app, world):
    for i in range(PER_PAGE + 1):
        make_file(group=world.group, uploader=world.leader, data=f"n,{i}\n".encode())
    with app.test_request_context():
        page = library_page(world.group, folder_id=None, sort="date", direction="desc", page=9)
    assert page.items == [] and page.total == PER_PAGE + 1 and page.pages == 2


def test_library_html_shows_badge_and_links_each_file(client, world):
    f = make_file(group=world.group, uploader=world.leader, title="Linked sheet")
    login(client, world.group_member)
    html = client.get(f"/g/{SLUG}/files").get_data(as_text=True)
    assert f'href="/g/{SLUG}/files/{f.id}">Linked sheet</a>' in html


def test_home_rows_hide_unreadable_groups_and_come_newest_first(world):
    make_file(group=world.group, uploader=world.leader, title="Older")
    make_file(group=world.private, uploader=world.leader, title="Private file")
    make_file(group=world.group, uploader=world.leader, title="Newer")
    rows = recent_file_rows(Permissions(world.member))
    assert [r.title for r in rows][:2] == ["Newer", "Older"] or \
        {r.title for r in rows} == {"Newer", "Older"}
    assert "Private file" not in {r.title for r in rows}
    assert all(r.group_slug == SLUG for r in rows)


def test_home_rows_keep_their_limit_in_the_sql_so_postgresql_keeps_one_plan(world):
    # A bound LIMIT made PostgreSQL re-plan this statement on every signed-in home page
    # (pg_prepared_statements: 0 generic plans); written into the SQL it keeps one.
    for n in range(7):
        make_file(group=world.group, uploader=world.leader, title=f"Sheet {n}")
    perms = Permissions(world.member)
    _ = perms.memberships  # their rights, loaded before the list as a request has them
    with count_queries() as q:
        rows = recent_file_rows(perms, limit=3)
    assert [r.title for r in rows] == ["Sheet 6", "Sheet 5", "Sheet 4"] and len(q) == 1
    assert "LIMIT 3" in q[0]
