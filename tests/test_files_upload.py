"""Uploading to a group's library: what is accepted, and every way a bad upload is refused
with a clear answer and nothing stored half-way."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.files.models import FileVersion, SharedFile
from tests.factories_files import (
    CSV,
    counts,
    make_file,
    make_folder,
    make_pdf,
    make_png,
    stored,
    token,
    upload,
    upload_version,
)
from tests.helpers import login

SLUG = "project-management"
PDF = make_pdf("Agenda", ["1. Welcome", "2. Budget"])
PNG = make_png()


def _only_file():
    return db.session.scalars(select(SharedFile)).one()


def test_member_uploads_a_pdf_with_title_into_a_folder(client, world, app):
    folder = make_folder(group=world.group, name="Agendas")
    login(client, world.group_member)
    r = upload(client, SLUG, (PDF, "agenda.pdf", "application/pdf"), title="March agenda",
               description="For the March meeting", folder=str(folder.id))
    assert r.status_code == 302
    f = _only_file()
    assert (f.title, f.folder_id, f.kind, f.content_type) == (
        "March agenda", folder.id, "pdf", "application/pdf")
    assert f.version_count == 1 and f.size == len(PDF)
    version = db.session.scalars(select(FileVersion)).one()
    assert len(version.blob_sha256) == 64
    path = stored(app)
    assert path == [f"{version.blob_sha256[:2]}/{version.blob_sha256[2:4]}/{version.blob_sha256}"]


def test_member_uploads_several_files_at_once(client, world):
    login(client, world.group_member)
    r = upload(client, SLUG, (PDF, "agenda.pdf"), (PNG, "logo.png"), (CSV, "attendance.csv"))
    assert r.status_code == 302
    titles = set(db.session.scalars(select(SharedFile.title)))
    assert titles == {"agenda.pdf", "logo.png", "attendance.csv"}


def test_the_type_comes_from_the_content_not_the_browser_or_the_name(client, world):
    login(client, world.group_member)
    upload(client, SLUG, (PDF, "report.csv", "text/html"))
    f = _only_file()
    assert (f.content_type, f.kind) == ("application/pdf", "pdf")
    r = client.get(f"/g/{SLUG}/files/{f.id}/download")
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["Content-Disposition"] == "attachment; filename=report.csv.pdf"


@pytest.mark.parametrize("raw,shown", [
    ("../../etc/passwd", "passwd"),
    ("a\x00b.csv", "ab.csv"),
    ("\u202egnp.exe", "gnp.exe"),
    ("minutes/2024/march.csv", "march.csv"),
    ("..", "file"),
])
def test_hostile_names_are_kept_for_display_only(client, world, app, raw, shown):
    login(client, world.group_member)
    r = upload(client, SLUG, (CSV, raw, "text/csv"))
    assert r.status_code == 302
    f = _only_file()
    assert f.original_name == shown
    assert all(part.startswith(("..", "/")) is False for part in stored(app))
    assert len(stored(app)) == 1 and stored(app)[0].count("/") == 2


def test_a_long_unicode_name_is_shortened_keeping_its_extension(client, world):
    login(client, world.group_member)
    upload(client, SLUG, (CSV, "Protokoll-" + "ü" * 400 + ".csv"))
    f = _only_file()
    assert len(f.original_name) == 255 and f.original_name.endswith("ü.csv")


def _refused(app, response, message):
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts() == (0, 0)
    assert stored(app) == []


def test_empty_file_is_refused(client, world, app):
    login(client, world.group_member)
    _refused(app, upload(client, SLUG, (b"", "empty.pdf")), "The file is empty.")


def test_no_file_chosen_is_a_form_error(client, world, app):
    login(client, world.group_member)
    _refused(app, upload(client, SLUG), "Choose")


@pytest.mark.parametrize("content", [
    b"<html><body><script>alert(1)</script></body></html>",
    b"  <SVG xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    b"<?xml version='1.0'?><svg><script>alert(1)</script></svg>",
    b"<!DOCTYPE html><p>hi",
    b"\xef\xbb\xbf<script>alert(1)</script>",
])
def test_markup_or_script_renamed_png_is_refused(client, world, app, content):
    login(client, world.group_member)
    _refused(app, upload(client, SLUG, (content, "innocent.png", "image/png")),
             "HTML, SVG, XML or script")


@pytest.mark.parametrize("content", [b"MZ\x90\x00\x03" + b"\x00" * 200, b"abc\x00def",
                                     b"caf\xe9 latin-1"])
def test_executables_binary_and_non_utf8_text_are_refused(client, world, app, content):
    login(client, world.group_member)
    _refused(app, upload(client, SLUG, (content, "notes.txt")), "not accepted")


def test_one_bad_file_refuses_the_whole_upload(client, world, app):
    login(client, world.group_member)
    r = upload(client, SLUG, (PDF, "ok.pdf"), (b"<script>x</script>", "bad.csv"))
    _refused(app, r, "bad.csv")


@pytest.fixture
def app_overrides():
    return {"FILE_MAX_SIZE": 4096, "GROUP_QUOTA_BYTES": 10_000, "MAX_CONTENT_LENGTH": 64_000}


def test_oversized_file_gets_a_clear_413_page(client, world, app):
    login(client, world.group_member)
    r = upload(client, SLUG, (b"x," * 3000, "big.csv"))
    assert r.status_code == 413
    assert "larger than the limit" in r.get_data(as_text=True)
    assert counts() == (0, 0) and stored(app) == []


def test_a_body_past_max_content_length_gets_the_413_page(client, world, app):
    login(client, world.group_member)
    r = upload(client, SLUG, (b"x," * 40_000, "huge.csv"))
    assert r.status_code == 413
    assert "That upload is too large" in r.get_data(as_text=True)
    assert counts() == (0, 0) and stored(app) == []


def test_group_quota_is_a_form_error(client, world, app):
    make_file(group=world.group, uploader=world.leader, data=b"a," * 2000, name="a.csv")
    make_file(group=world.group, uploader=world.leader, data=b"b," * 2000, name="b.csv")
    before = stored(app)
    login(client, world.group_member)
    r = upload(client, SLUG, (b"c," * 1500, "c.csv"))
    assert r.status_code == 400 and "quota" in r.get_data(as_text=True)
    assert counts() == (2, 2) and stored(app) == before


def test_truncated_multipart_body_is_refused_and_nothing_is_stored(client, world, app):
    login(client, world.group_member)
    body = (b'--XYZ\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            + token(client).encode()
            + b'\r\n--XYZ\r\nContent-Disposition: form-data; name="files"; filename="a.csv"\r\n'
              b"Content-Type: text/csv\r\n\r\nname,when\nana,jan\n")  # no closing boundary
    r = client.post(f"/g/{SLUG}/files/upload", data=body,
                    content_type="multipart/form-data; boundary=XYZ")
    assert r.status_code == 400
    assert counts() == (0, 0) and stored(app) == []


def test_new_version_keeps_the_old_one_downloadable(client, world):
    f = make_file(group=world.group, uploader=world.group_member, data=b"v,1\n", name="a.csv")
    login(client, world.group_member)
    r = upload_version(client, SLUG, f.id, b"v,2\n", "a-v2.csv")
    assert r.status_code == 302
    f = db.session.get(SharedFile, f.id)
    assert (f.version_count, f.original_name, f.size) == (2, "a-v2.csv", 4)
    assert client.get(f"/g/{SLUG}/files/{f.id}/versions/1/download").data == b"v,1\n"
    assert client.get(f"/g/{SLUG}/files/{f.id}/download").data == b"v,2\n"
    page = client.get(f"/g/{SLUG}/files/{f.id}").get_data(as_text=True)
    assert "a-v2.csv" in page and "(current)" in page


def test_version_upload_to_a_file_one_may_not_edit_is_refused(client, world, app):
    f = make_file(group=world.group, uploader=world.leader, data=b"v,1\n")
    before = stored(app)
    login(client, world.group_member)
    r = upload_version(client, SLUG, f.id, b"v,2\n", "a.csv")
    assert r.status_code == 403
    assert counts() == (1, 1) and stored(app) == before


def test_refused_version_leaves_the_file_as_it_was(client, world, app):
    f = make_file(group=world.group, uploader=world.group_member, data=b"v,1\n")
    before = stored(app)
    login(client, world.group_member)
    r = upload_version(client, SLUG, f.id, b"<svg onload=alert(1)>", "a.csv")
    assert r.status_code == 400 and "refused" in r.get_data(as_text=True)
    assert counts() == (1, 1) and stored(app) == before


def test_banned_member_cannot_upload(client, world, app):
    login(client, world.banned)
    r = upload(client, SLUG, (CSV, "a.csv"))
    assert r.status_code == 403 and counts() == (0, 0) and stored(app) == []


def test_same_content_twice_is_stored_once(client, world, app):
    login(client, world.group_member)
    upload(client, SLUG, (CSV, "a.csv"))
    upload(client, SLUG, (CSV, "b.csv"))
    assert counts() == (2, 2) and len(stored(app)) == 1
