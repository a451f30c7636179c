"""The library in a real browser: a member of a private group uploads a file through the
upload form, finds it in the library, downloads it (the same bytes come back), and a signed-in
non-member can neither see the library nor fetch the file. axe-core on every page at 1280 and
375 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from forum.db import writing
from forum.extensions import db
from forum.groups.models import Visibility
from tests.browser.journeys import Pages, new_page, sign_in
from tests.factories import make_group, make_membership, make_section, make_user
from tests.factories_files import make_attendance_csv

pytestmark = pytest.mark.browser

MINUTES = make_attendance_csv(["Jan", "Feb", "Mar"], ["Ana", "Ben", "Chen"])


def _site(server) -> None:
    with server.app.app_context(), writing():
        section = make_section()
        board = make_group(section=section, slug="board", name="Section Board",
                           visibility=Visibility.PRIVATE)
        priya = make_user(username="priya", email="priya@example.org", display_name="Priya Raman")
        make_membership(group=board, user=priya)
        make_user(username="lena", email="lena@example.org", display_name="Lena Ortiz")
        db.session.commit()


def test_a_member_uploads_and_downloads_a_file_and_an_outsider_sees_nothing(
        live_server, chromium_browser, axe):
    _site(live_server)
    base = live_server.url
    pages = Pages("files")
    page = new_page(chromium_browser, accept_downloads=True)
    sign_in(page, base, "priya@example.org")

    page.goto(base + "/g/board/files")
    expect(page.get_by_text("No files here yet.")).to_be_visible()
    pages.check(page, "empty library")
    page.get_by_role("link", name="Upload files").click()
    expect(page.get_by_role("heading", name="Upload files to Section Board's library")
           ).to_be_visible()
    pages.check(page, "upload form")
    page.get_by_label("Files").set_input_files(
        {"name": "attendance-q1.csv", "mimeType": "text/csv", "buffer": MINUTES})
    page.get_by_label("Title").fill("Attendance, first quarter")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Attendance, first quarter")).to_be_visible()
    expect(page.get_by_text("Uploaded 1 file(s).")).to_be_visible()
    detail_url = page.url
    pages.check(page, "file page")

    page.goto(base + "/g/board/files")
    row = page.get_by_role("row").filter(has_text="Attendance, first quarter")
    expect(row).to_contain_text("Priya Raman")
    expect(row).to_contain_text("CSV")
    pages.check(page, "library")
    row.get_by_role("link", name="Attendance, first quarter").click()
    page.wait_for_url(detail_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Attendance, first quarter").click()
    assert download.value.suggested_filename == "attendance-q1.csv"
    assert Path(download.value.path()).read_bytes() == MINUTES
    page.reload()
    expect(page.locator(".file-facts")).to_contain_text("Downloads1")
    download_url = base + page.get_by_role(
        "link", name="Download Attendance, first quarter").get_attribute("href")
    page.context.close()

    outsider = new_page(chromium_browser)
    sign_in(outsider, base, "lena@example.org")
    outsider.goto(base + "/groups")
    expect(outsider.get_by_role("heading", level=1)).to_be_visible()
    expect(outsider.get_by_text("Section Board")).to_have_count(0)
    for url in (base + "/g/board/files", detail_url, download_url):
        assert outsider.goto(url).status == 404, url
        expect(outsider.get_by_text("Attendance, first quarter")).to_have_count(0)
    pages.check(outsider, "not found")
    outsider.context.close()
    pages.assert_accessible()
