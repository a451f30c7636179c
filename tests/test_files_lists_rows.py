"""Lists of files on other pages as plain rows from statements built once: the group page's
recent files, a post's attachments, and the library's usage line."""

from __future__ import annotations

from datetime import timedelta

from flask import get_template_attribute, render_template

from forum.db import utcnow
from forum.extensions import db
from forum.files import services
from forum.files.attachments import attach_uploads, attachments_for_posts
from forum.files.models import SharedFile
from forum.files.queries import GroupRecentFiles, recent_group_file_rows
from forum.permissions import Permissions
from forum.querycount import count_queries
from tests.factories_files import make_file, make_pdf, post_in, upload_of
from tests.helpers import login

SLUG = "project-management"


def _aged(f, days: int):
    f.updated_at = utcnow() - timedelta(days=days)
    db.session.flush()
    return f


def test_recent_group_files_are_the_groups_newest_undeleted_files_in_one_query(world):
    old = _aged(make_file(group=world.group, uploader=world.leader, title="Old"), 3)
    new = _aged(make_file(group=world.group, uploader=world.leader, title="New"), 1)
    gone = make_file(group=world.group, uploader=world.leader, title="Gone")
    services.delete_file(gone, world.leader)
    make_file(group=world.other, uploader=world.leader, title="Elsewhere")
    perms = Permissions(world.group_member)
    perms.can_browse_files(world.group)  # memberships loaded before counting
    with count_queries() as q:
        rows = recent_group_file_rows(perms, world.group, limit=5)
    assert len(q) == 1
    assert [(r.id, r.title) for r in rows] == [(new.id, "New"), (old.id, "Old")]
    assert rows[0].kind == "csv" and rows[0].size > 0 and rows[0].updated_at is not None
    assert [r.title for r in recent_group_file_rows(perms, world.group, limit=1)] == ["New"]


def test_the_group_page_shows_recent_files_newest_first_from_the_groups_own_statement(
        client, world):
    login(client, world.group_member)
    client.get(f"/g/{SLUG}")  # warm-up
    with count_queries() as before:  # rendered, not the member's kept copy
        assert client.get(f"/g/{SLUG}", headers={"Cache-Control": "no-cache"}).status_code == 200
    titles = ["Minutes March", "Minutes May", "Budget", "Agenda", "Roster", "Oldest"]
    for days, title in zip((5, 1, 3, 2, 4, 6), titles, strict=True):
        _aged(make_file(group=world.group, uploader=world.leader, title=title), days)
    gone = make_file(group=world.group, uploader=world.leader, title="Withdrawn")
    services.delete_file(gone, world.leader)
    make_file(group=world.other, uploader=world.leader, title="Elsewhere")
    db.session.commit()
    with count_queries() as after:
        html = client.get(f"/g/{SLUG}").get_data(as_text=True)
    assert len(after) == len(before)  # the files came with the group, not in a query of their own
    block = html[html.index('id="files-title"'):]
    shown = [t for t in titles + ["Withdrawn", "Elsewhere"] if f">{t}</a>" in block]
    assert sorted(shown, key=block.index) == ["Minutes May", "Agenda", "Budget", "Roster",
                                              "Minutes March"]  # five, newest first


def test_recent_group_files_are_empty_for_readers_who_may_not_browse(world):
    make_file(group=world.group, uploader=world.leader, title="Members only")
    for user in (None, world.banned, world.suspended):
        assert recent_group_file_rows(Permissions(user), world.group) == []


def test_group_recent_block_links_each_file(app, world):
    f = make_file(group=world.group, uploader=world.leader, title="Agenda")
    perms = Permissions(world.group_member)
    recent = GroupRecentFiles(can_browse=True, signed_in=True,
                              files=recent_group_file_rows(perms, world.group))
    with app.test_request_context():  # the group page's view passes what the block prints
        html = render_template("files/_group_recent.html", group=world.group, recent=recent)
    assert f'<a href="/g/{SLUG}/files/{f.id}">Agenda</a>' in html
    assert "CSV, " in html and "<time datetime=" in html


def test_attachments_render_download_and_preview_links_and_skip_deleted_files(app, world):
    post = post_in(world.group, world.group_member)
    pdf, csv, gone = attach_uploads(
        post, [upload_of(make_pdf("A", []), "a.pdf"), upload_of(name="b.csv"),
               upload_of(name="c.csv")], world.group_member)
    services.delete_file(db.session.get(SharedFile, gone.file_id), world.leader)
    rows = attachments_for_posts([post.id])[post.id]
    assert [r.id for r in rows] == [pdf.file_id, csv.file_id]
    with app.test_request_context():  # the macro a thread page prints a post's files with
        html = get_template_attribute("_macros/attachments.html", "attachments")(rows)
    base = f"/g/{SLUG}/files/{pdf.file_id}"
    assert f'href="{base}/download" download>a.pdf</a>' in html
    assert f'href="{base}/preview">preview<span class="visually-hidden"> a.pdf</span>' in html
    assert "b.csv" in html and "c.csv" not in html
    assert html.count(">preview<") == 1  # the CSV is not previewable


def test_group_usage_counts_every_version_of_the_group_deleted_or_not(world):
    assert services.group_usage(world.group.id) == 0
    a = make_file(group=world.group, uploader=world.leader, data=b"n\n1\n")
    with services.received([upload_of(b"n\n1\n2\n")]) as files:
        services.add_version(a, files[0], world.leader)
    b = make_file(group=world.group, uploader=world.leader, data=b"x\n12\n")
    services.delete_file(b, world.leader)
    make_file(group=world.other, uploader=world.leader, data=b"elsewhere\n")
    assert services.group_usage(world.group.id) == 4 + 6 + 5
