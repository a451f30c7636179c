"""Downloads and previews: guarded by the file's group, streamed, never executable."""

from __future__ import annotations

from datetime import timedelta

from forum.db import utcnow
from forum.extensions import db
from forum.files.models import SharedFile
from tests.factories import make_group_member
from tests.factories_files import make_file, make_pdf, make_png
from tests.helpers import login

SLUG = "project-management"


def test_download_is_an_attachment_with_the_sniffed_type_and_rfc5987_name(client, world):
    f = make_file(group=world.group, uploader=world.leader, data=make_pdf("x", []),
                  name="Protokoll für März.pdf")
    login(client, world.group_member)
    r = client.get(f"/g/{SLUG}/files/{f.id}/download")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["Content-Length"] == str(f.size)
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Protokoll%20f%C3%BCr%20M%C3%A4rz.pdf" in disposition
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in r.headers["Content-Security-Policy"]


def test_text_is_never_served_inline(client, world):
    f = make_file(group=world.group, uploader=world.leader)
    login(client, world.group_member)
    assert client.get(f"/g/{SLUG}/files/{f.id}/preview").status_code == 404
    r = client.get(f"/g/{SLUG}/files/{f.id}/download")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Content-Disposition"].startswith("attachment")


def test_image_and_pdf_preview_inline_under_a_sandboxing_csp(client, world):
    png = make_file(group=world.group, uploader=world.leader, data=make_png(), name="logo.png")
    pdf = make_file(group=world.group, uploader=world.leader, data=make_pdf("A", []),
                    name="a.pdf")
    login(client, world.group_member)
    for f, mime in ((png, "image/png"), (pdf, "application/pdf")):
        r = client.get(f"/g/{SLUG}/files/{f.id}/preview")
        assert r.status_code == 200
        assert r.headers["Content-Type"] == mime
        assert r.headers["Content-Disposition"].startswith("inline")
        csp = r.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "sandbox" in csp


def test_range_requests_resume_a_download_without_counting_it_again(client, world):
    f = make_file(group=world.group, uploader=world.leader, data=make_pdf("A", ["b"] * 20))
    login(client, world.group_member)
    r = client.get(f"/g/{SLUG}/files/{f.id}/download", headers={"Range": "bytes=0-9"})
    assert r.status_code == 206 and r.data == make_pdf("A", ["b"] * 20)[:10]
    assert db.session.get(SharedFile, f.id).download_count == 0
    client.get(f"/g/{SLUG}/files/{f.id}/download")
    client.get(f"/g/{SLUG}/files/{f.id}/versions/1/download")
    assert db.session.get(SharedFile, f.id).download_count == 2


def test_another_groups_file_by_id_is_a_404(client, world):
    f = make_file(group=world.private, uploader=world.leader)
    other_file = make_file(group=world.other, uploader=world.other_member)
    login(client, world.group_member)
    # Reusing a file id under a group one may read does not reach another group's file.
    assert client.get(f"/g/{SLUG}/files/{f.id}/download").status_code == 404
    assert client.get(f"/g/{SLUG}/files/{other_file.id}").status_code == 404
    assert client.get(f"/g/nominating/files/{f.id}/download").status_code == 200


def test_private_group_file_is_a_404_for_non_members_whatever_the_url(client, world):
    f = make_file(group=world.private, uploader=world.leader, data=make_png(), name="p.png")
    login(client, world.other_member)
    for url in (f"/g/nominating/files/{f.id}", f"/g/nominating/files/{f.id}/download",
                f"/g/nominating/files/{f.id}/preview",
                f"/g/nominating/files/{f.id}/versions/1/download", "/g/nominating/files",
                f"/g/{SLUG}/files/{f.id}/download"):
        assert client.get(url).status_code == 404, url
    assert db.session.get(SharedFile, f.id).download_count == 0


def test_a_member_who_leaves_loses_access(client, world):
    leaver = make_group_member(group=world.private)
    f = make_file(group=world.private, uploader=world.leader)
    login(client, leaver)
    url = f"/g/nominating/files/{f.id}/download"
    assert client.get(url).status_code == 200
    from forum.groups.models import Membership
    db.session.query(Membership).filter_by(user_id=leaver.id, group_id=world.private.id).delete()
    assert client.get(url).status_code == 404


def test_deleted_file_is_gone_for_members_but_leaders_still_reach_it(client, world, app):
    f = make_file(group=world.group, uploader=world.leader)
    f.deleted_at = utcnow() - timedelta(days=1)
    login(client, world.group_member)
    assert client.get(f"/g/{SLUG}/files/{f.id}/download").status_code == 404
    assert client.get(f"/g/{SLUG}/files/{f.id}").status_code == 404
    leader = app.test_client()
    login(leader, world.leader)
    assert leader.get(f"/g/{SLUG}/files/{f.id}/download").status_code == 200


def test_no_static_route_serves_blobs(client, world, app):
    f = make_file(group=world.group, uploader=world.leader)
    sha = f.versions[0].blob_sha256
    for url in (f"/static/{sha}", f"/static/../instance/blobs/{sha[:2]}/{sha[2:4]}/{sha}",
                f"/blobs/{sha}"):
        assert client.get(url).status_code == 404
