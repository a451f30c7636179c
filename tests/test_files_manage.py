"""Looking after the library: details, folders, delete and restore, purge, attachments, the
home page and group page blocks, and the library page's query budget."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.db import utcnow, writing
from forum.discussions.models import Thread
from forum.extensions import db
from forum.files import services
from forum.files.attachments import attach_uploads, attachments_for_posts
from forum.files.home import home_blocks
from forum.files.models import Attachment, Folder, SharedFile
from forum.files.purge import purge, purge_unreferenced_blobs
from forum.permissions import Permissions
from forum.querycount import count_queries
from tests.factories_files import (
    counts,
    make_file,
    make_folder,
    make_pdf,
    post_in,
    stored,
    token,
    upload_of,
)
from tests.helpers import login

SLUG = "project-management"


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": token(client), **data})


# --- details and folders ---------------------------------------------------------------------

def test_uploader_edits_details_and_moves_the_file_to_a_folder(client, world):
    folder = make_folder(group=world.group, name="Minutes")
    f = make_file(group=world.group, uploader=world.group_member)
    login(client, world.group_member)
    r = _post(client, f"/g/{SLUG}/files/{f.id}/edit", title="  March minutes ",
              description="Approved", folder=str(folder.id))
    assert r.status_code == 302
    f = db.session.get(SharedFile, f.id)
    assert (f.title, f.description, f.folder_id) == ("March minutes", "Approved", folder.id)


def test_edit_with_an_empty_title_or_a_foreign_folder_changes_nothing(client, world):
    foreign = make_folder(group=world.other, name="Elsewhere")
    f = make_file(group=world.group, uploader=world.group_member, title="Kept")
    login(client, world.group_member)
    r = _post(client, f"/g/{SLUG}/files/{f.id}/edit", title="   ", description="", folder="0")
    assert r.status_code == 400 and "Give the file a title" in r.get_data(as_text=True)
    r = _post(client, f"/g/{SLUG}/files/{f.id}/edit", title="New", folder=str(foreign.id))
    assert r.status_code in (400, 404)
    f = db.session.get(SharedFile, f.id)
    assert (f.title, f.folder_id) == ("Kept", None)


def test_another_member_cannot_edit_or_delete_someone_elses_file(client, world):
    f = make_file(group=world.group, uploader=world.leader, title="Kept")
    login(client, world.group_member)
    assert _post(client, f"/g/{SLUG}/files/{f.id}/edit", title="Mine").status_code == 403
    assert _post(client, f"/g/{SLUG}/files/{f.id}/delete").status_code == 403
    assert db.session.get(SharedFile, f.id).deleted_at is None


def test_leader_creates_renames_reorders_and_removes_folders(client, world):
    login(client, world.leader)
    for name in ("Agendas", "Minutes", "Slides"):
        assert _post(client, f"/g/{SLUG}/files/folders", name=name).status_code == 302
    r = _post(client, f"/g/{SLUG}/files/folders", name="minutes")
    assert r.status_code == 400 and "already a folder" in r.get_data(as_text=True)
    folders = {f.name: f for f in db.session.scalars(select(Folder))}
    slides = folders["Slides"]
    r = _post(client, f"/g/{SLUG}/files/folders/{slides.id}/rename",
              **{f"f{slides.id}-name": "Presentations"})
    assert r.status_code == 302
    _post(client, f"/g/{SLUG}/files/folders/{slides.id}/move", direction="up")
    order = [f.name for f in db.session.scalars(select(Folder).order_by(Folder.position))]
    assert order == ["Agendas", "Presentations", "Minutes"]
    assert _post(client, f"/g/{SLUG}/files/folders/{slides.id}/move",
                 direction="sideways").status_code == 400
    f = make_file(group=world.group, uploader=world.leader, folder=folders["Minutes"])
    assert _post(client, f"/g/{SLUG}/files/folders/{folders['Minutes'].id}/delete").status_code \
        == 302
    assert db.session.get(SharedFile, f.id).folder_id is None


@pytest.mark.parametrize("policy,allowed", [
    ("members", {"group_member", "moderator", "leader"}),
    ("moderators", {"moderator", "leader"}),
    ("leaders", {"leader"}),
])
def test_leaders_choose_who_may_upload(client, world, policy, allowed):
    login(client, world.leader)
    r = _post(client, f"/g/{SLUG}/files/settings", upload_policy=policy)
    assert r.status_code == 302
    for role in ("group_member", "moderator", "leader"):
        perms = Permissions(getattr(world, role))
        assert perms.can_upload(world.group) == (role in allowed), role
    assert _post(client, f"/g/{SLUG}/files/settings", upload_policy="everyone").status_code \
        == 400


def test_folders_of_another_group_cannot_be_touched(client, world):
    foreign = make_folder(group=world.other, name="Theirs")
    login(client, world.leader)
    r = _post(client, f"/g/{SLUG}/files/folders/{foreign.id}/delete")
    assert r.status_code == 404 and db.session.get(Folder, foreign.id) is not None


# --- delete, restore, purge ------------------------------------------------------------------

def test_delete_then_leader_restores_within_the_retention_period(client, world, app):
    f = make_file(group=world.group, uploader=world.group_member)
    login(client, world.group_member)
    assert _post(client, f"/g/{SLUG}/files/{f.id}/delete").status_code == 302
    assert db.session.get(SharedFile, f.id).deleted_at is not None
    assert _post(client, f"/g/{SLUG}/files/{f.id}/restore").status_code == 403
    leader = app.test_client()
    login(leader, world.leader)
    assert "attendance" in leader.get(f"/g/{SLUG}/files/trash").get_data(as_text=True)
    assert _post(leader, f"/g/{SLUG}/files/{f.id}/restore").status_code == 302
    assert db.session.get(SharedFile, f.id).deleted_at is None


def test_restore_is_refused_after_the_retention_period(client, world, app):
    f = make_file(group=world.group, uploader=world.group_member)
    f.deleted_at = utcnow() - timedelta(days=app.config["FILE_RETENTION_DAYS"] + 1)
    login(client, world.leader)
    assert _post(client, f"/g/{SLUG}/files/{f.id}/restore").status_code == 403


def test_purge_removes_expired_files_and_only_unreferenced_blobs(world, app):
    shared_content = make_pdf("Shared", [])
    old = make_file(group=world.group, uploader=world.leader, data=shared_content, name="a.pdf")
    make_file(group=world.group, uploader=world.leader, data=shared_content, name="b.pdf")
    gone = make_file(group=world.group, uploader=world.leader, data=b"only,here\n")
    recent = make_file(group=world.group, uploader=world.leader, data=b"recent,one\n")
    long_ago = utcnow() - timedelta(days=app.config["FILE_RETENTION_DAYS"] + 1)
    old.deleted_at = gone.deleted_at = long_ago
    recent.deleted_at = utcnow()
    db.session.commit()
    assert len(stored(app)) == 3
    with writing():
        report = purge()
        db.session.commit()
    report = purge_unreferenced_blobs(report, grace_seconds=0)
    assert (report.files, report.blobs) == (2, 1)
    assert counts() == (2, 2) and len(stored(app)) == 2  # the shared PDF blob stays


def test_purge_command_runs(world, app):
    result = app.test_cli_runner().invoke(args=["files", "purge", "--grace", "0"])
    assert result.exit_code == 0 and "Purged 0 file(s)" in result.output


def test_the_workers_purge_once_a_day_however_many_ask(world, app, monkeypatch):
    from forum import ratelimit
    from forum.files.cli import purge_once_a_day

    day = 1_900_000_000 - 1_900_000_000 % 86400
    monkeypatch.setattr(ratelimit, "_now", lambda: day + 3600)
    expired = make_file(group=world.group, uploader=world.leader, data=b"old,row\n")
    expired.deleted_at = utcnow() - timedelta(days=app.config["FILE_RETENTION_DAYS"] + 1)
    db.session.commit()
    assert "Purged 1 file(s)" in purge_once_a_day()  # the day's first ask runs it
    assert purge_once_a_day() is None  # a second worker, or the same one an hour later
    monkeypatch.setattr(ratelimit, "_now", lambda: day + 86400 + 60)
    assert purge_once_a_day() is not None  # the next day
    # The delivery worker asks on its rounds (flask deliver; under make run too).
    monkeypatch.setattr(ratelimit, "_now", lambda: day + 2 * 86400 + 60)
    result = app.test_cli_runner().invoke(args=["deliver"])
    assert result.exit_code == 0 and "Purged 0 file(s)" in result.output


# --- attachments (the contract with discussions) ---------------------------------------------

def test_attached_files_join_the_library_and_come_back_with_the_post(world):
    post = post_in(world.group, world.group_member)
    assert not post.has_files  # a thread page asks for files only of flagged posts
    attached = attach_uploads(post, [upload_of(make_pdf("A", []), "a.pdf"),
                                     upload_of(name="b.csv")], world.group_member)
    assert len(attached) == 2 and post.has_files
    with count_queries() as q:
        found = attachments_for_posts([post.id, 999])
    assert len(q) == 1
    assert [a.original_name for a in found[post.id]] == ["a.pdf", "b.csv"]
    assert [bool(a.previewable) for a in found[post.id]] == [True, False]
    assert all(a.group_slug == SLUG for a in found[post.id])
    assert all(db.session.get(SharedFile, a.id).attached for a in found[post.id])


def test_a_refused_attachment_keeps_nothing(world, app):
    post = post_in(world.group, world.group_member)
    with pytest.raises(services.UploadError):
        attach_uploads(post, [upload_of(name="a.csv"), upload_of(b"<script>", "b.txt")],
                       world.group_member)
    assert counts() == (0, 0) and stored(app) == []
    assert db.session.scalars(select(Attachment)).all() == [] and not post.has_files


def test_a_banned_member_cannot_attach(world):
    post = post_in(world.group, world.leader)
    with pytest.raises(services.UploadError):
        attach_uploads(post, [upload_of()], world.banned)
    assert attach_uploads(post, [], world.leader) == []


def test_attachment_names_are_printed_as_text(app, world):
    from flask import get_template_attribute

    from forum.files.attachments import AttachedFile

    hostile = AttachedFile(7, '<img src=x onerror="alert(1)">.pdf', "pdf", 2048, True, SLUG)
    with app.test_request_context():  # the macro a thread page prints a post's files with
        html = get_template_attribute("_macros/attachments.html", "attachments")([hostile])
    assert "<img" not in html and "&lt;img src=x" in html
    assert f'href="/g/{SLUG}/files/7/download" download>' in html
    assert "(PDF, 2.0 KB)" in html and f'href="/g/{SLUG}/files/7/preview"' in html


# --- blocks on other pages -------------------------------------------------------------------

def test_home_block_shows_readable_files_and_asks_visitors_to_log_in(world):
    make_file(group=world.group, uploader=world.leader, title="Members file")
    make_file(group=world.private, uploader=world.leader, title="Private file")
    (block,) = home_blocks(Permissions(world.member))
    assert [f.title for f in block.items] == ["Members file"]
    (block,) = home_blocks(Permissions(world.group_member))
    assert {f.title for f in block.items} == {"Members file", "Private file"}
    (block,) = home_blocks(Permissions(None))
    assert block.login_prompt is True and block.items == []
    with count_queries() as q:
        home_blocks(Permissions(world.leader))
    assert len(q) <= 4  # memberships + appointments (once per request) + the block's one


def test_group_recent_block_lists_files_or_the_log_in_prompt(client, world):
    make_file(group=world.group, uploader=world.leader, title="Recent agenda")
    db.session.commit()
    for user, expected in ((None, "log in to view"), (world.group_member, "Recent agenda")):
        if user is not None:
            login(client, user)
        html = client.get(f"/g/{SLUG}").get_data(as_text=True)
        assert expected in html[html.index('id="files-title"'):]


# --- query budget ----------------------------------------------------------------------------

def _library_queries(client, url):
    with count_queries() as q:
        r = client.get(url)
    assert r.status_code == 200
    return len(q)


@pytest.mark.parametrize("sort", ["name", "date", "size", "type"])
def test_library_page_runs_a_constant_number_of_queries(client, world, sort):
    folder = make_folder(group=world.group, name="Agendas")
    for i in range(5):
        make_file(group=world.group, uploader=world.leader, data=f"n,{i}\n".encode(),
                  folder=folder if i % 2 else None)
    login(client, world.group_member)
    url = f"/g/{SLUG}/files?sort={sort}"
    few = _library_queries(client, url)
    for i in range(55):
        make_file(group=world.group, uploader=world.group_member, data=f"m,{i}\n".encode())
    many = _library_queries(client, url)
    assert few == many <= 9  # 11 before the page became one statement with its total and badges
    assert _library_queries(client, url + "&page=3") == many
    assert _library_queries(client, f"/g/{SLUG}/files?folder={folder.id}") == many


def test_library_lists_type_size_uploader_versions_and_downloads(client, world):
    make_file(group=world.group, uploader=world.leader, title="Budget sheet")
    login(client, world.group_member)
    html = client.get(f"/g/{SLUG}/files?sort=name&dir=asc").get_data(as_text=True)
    assert "Budget sheet" in html and "CSV" in html and world.leader.display_name in html
    assert 'aria-sort="ascending"' in html
    assert client.get(f"/g/{SLUG}/files?sort=evil&dir=sideways&page=-3").status_code == 200
    assert client.get(f"/g/{SLUG}/files?folder=99999").status_code == 404


# --- demo content ----------------------------------------------------------------------------

def test_seed_adds_folders_and_files_with_two_versions(world, app):
    import zlib

    from forum.files import seed
    from forum.files.demo_content import make_png as png
    from forum.groups.models import Group

    assert png(4, 2)[:8] == b"\x89PNG\r\n\x1a\n" and zlib.decompress(
        png(4, 2)[41:-12])  # the IDAT chunk is a valid zlib stream
    pm = Group(section_id=world.section.id, slug="pm-demo", name="PM", kind="interest_group")
    db.session.add(pm)
    db.session.flush()
    with writing():
        seed.seed({"groups": {"project-management": pm},
                   "users": {"priya": world.leader, "marcus": world.group_member}})
    names = {f.name for f in db.session.scalars(select(Folder).where(Folder.group_id == pm.id))}
    assert names == {"Agendas", "Minutes", "Slides"}
    files = {f.title: f for f in db.session.scalars(select(SharedFile))}
    assert files["March meeting minutes"].version_count == 2
    assert {f.kind for f in files.values()} == {"pdf", "png", "csv", "md"}


def test_a_thread_started_with_attachments_shows_them_and_they_join_the_library(client, world):
    import io

    login(client, world.group_member)
    r = client.post(f"/g/{SLUG}/t/new", content_type="multipart/form-data", data={
        "csrf_token": token(client), "title": "March agenda", "body": "Agenda attached.",
        "attachments": [(io.BytesIO(make_pdf("Agenda", [])), "agenda.pdf")]})
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    f = db.session.scalars(select(SharedFile)).one()
    assert f.attached and f.group_id == world.group.id
    thread_page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "agenda.pdf" in thread_page and f"/g/{SLUG}/files/{f.id}/download" in thread_page
    assert "attached to a post" in client.get(f"/g/{SLUG}/files").get_data(as_text=True)


def test_a_refused_attachment_keeps_the_thread_from_being_posted(client, world, app):
    import io

    login(client, world.group_member)
    r = client.post(f"/g/{SLUG}/t/new", content_type="multipart/form-data", data={
        "csrf_token": token(client), "title": "Oops", "body": "See attached.",
        "attachments": [(io.BytesIO(b"<svg onload=alert(1)>"), "chart.png")]})
    assert r.status_code == 400 and "refused" in r.get_data(as_text=True)
    assert counts() == (0, 0) and stored(app) == []
    assert db.session.scalars(select(Thread)).all() == []
