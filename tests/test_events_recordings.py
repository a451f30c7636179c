"""Recordings after an event: links or library files (streamed with Range so video seeks),
members-only ones prompting visitors to log in; the home blocks and the save-the-date banner;
the demo seed."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from flask import render_template
from sqlalchemy import func, select

from forum.db import writing
from forum.events import home
from forum.events import seed as events_seed
from forum.events.models import Event, Recording
from forum.extensions import db
from forum.files.demo_content import make_pdf
from forum.files.models import SharedFile
from forum.groups import seed as groups_seed
from forum.permissions import Permissions
from forum.querycount import count_queries
from tests.factories import make_user
from tests.factories_events import make_event, make_recording
from tests.factories_files import make_file
from tests.helpers import csrf_token, login

PROMPT = "Members — log in to view this content"


def _form(client, url):
    page = client.get(url).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    on = re.search(r'<option[^>]*value="([^"]+)"', page).group(1)
    return {"csrf_token": csrf_token(client, url), "submission_key": key, "on": on}


def test_leader_adds_a_link_and_uploaded_slides_into_the_group_library(client, world):
    ev = make_event(section=world.section, group=world.group, days_ahead=-1, title="Clinic")
    login(client, world.leader)
    url = f"/events/{ev.id}/recordings/new"
    data = {**_form(client, url), "title": "Clinic recording",
            "url": "https://video.example.org/clinic", "members_only": "y",
            "slides": (io.BytesIO(make_pdf("Slides", ["one"])), "slides.pdf")}
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    rec = db.session.scalar(select(Recording))
    assert rec.url == "https://video.example.org/clinic" and rec.members_only
    slides = db.session.get(SharedFile, rec.slides_file_id)
    assert slides.group_id == world.group.id and slides.content_type == "application/pdf"
    html = client.get(f"/events/{ev.id}").get_data(as_text=True)
    assert f"/g/{world.group.slug}/files/{slides.id}/download" in html


def test_recordings_wait_for_the_event_and_section_events_take_links_only(client, world):
    future = make_event(section=world.section, group=world.group, days_ahead=3)
    login(client, world.section_admin)
    response = client.get(f"/events/{future.id}/recordings/new")
    assert response.status_code == 302  # nothing to record yet: back to the event
    sec = make_event(section=world.section, days_ahead=-2)
    url = f"/events/{sec.id}/recordings/new"
    page = client.get(url).get_data(as_text=True)
    assert 'name="media"' not in page  # no library to upload into
    data = {**_form(client, url), "title": "No link"}
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "Give a link to the recording" in response.get_data(as_text=True)
    bad = {**_form(client, url), "title": "Bad", "url": "javascript:alert(1)//x.org"}
    assert client.post(url, data=bad).status_code == 400
    assert db.session.scalar(select(func.count(Recording.id))) == 0


def test_members_only_recordings_prompt_visitors(client, world):
    ev = make_event(section=world.section, days_ahead=-5)
    make_recording(event=ev, title="Open talk", url="https://video.example.org/open")
    make_recording(event=ev, title="Members talk", url="https://video.example.org/members",
                   members_only=True)
    html = client.get("/events/recordings").get_data(as_text=True)
    assert "Open talk" in html and "Members talk" in html
    assert "video.example.org/open" in html and "video.example.org/members" not in html
    assert PROMPT in html
    login(client, world.member)
    html = client.get("/events/recordings").get_data(as_text=True)
    assert "video.example.org/members" in html and PROMPT not in html


def test_private_groups_recordings_never_leak(client, world):
    ev = make_event(section=world.section, group=world.private, days_ahead=-5)
    make_recording(event=ev, title="Nominating debrief")
    assert "Nominating debrief" not in client.get("/events/recordings").get_data(as_text=True)
    login(client, world.member)
    assert "Nominating debrief" not in client.get("/events/recordings").get_data(as_text=True)


def test_library_files_stream_with_ranges_so_media_seeks(client, world):
    data = make_pdf("Talk", ["x"] * 50)
    f = make_file(group=world.group, uploader=world.leader, data=data, name="talk.pdf")
    login(client, world.group_member)
    url = f"/g/{world.group.slug}/files/{f.id}/download"
    whole = client.get(url)
    assert whole.headers.get("Accept-Ranges") == "bytes"
    part = client.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.data == data[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(data)}"
    tail = client.get(url, headers={"Range": "bytes=-5"})
    assert tail.status_code == 206 and tail.data == data[-5:]
    beyond = client.get(url, headers={"Range": f"bytes={len(data) + 10}-"})
    assert beyond.status_code == 416


def test_home_blocks_and_the_save_the_date_banner(client, world):
    section = world.section
    make_event(section=section, title="Interest Group Week", all_day=True, featured=True,
               start_date=date.today() + timedelta(days=60),
               end_date=date.today() + timedelta(days=64))
    make_event(section=section, title="Sooner, not featured", days_ahead=2)
    make_event(section=section, group=world.private, title="Secret featured", featured=True,
               days_ahead=1)
    past = make_event(section=section, days_ahead=-3, title="Webinar")
    make_recording(event=past, title="Webinar recording", members_only=True)
    db.session.commit()
    visitor = Permissions()
    with count_queries() as q:
        blocks = home.home_blocks(visitor)
    assert len(q) == 2  # one statement a block
    assert [b.key for b in blocks] == ["events", "recordings"]
    titles = [r.title for r in blocks[0].items]
    assert titles[0] == "Sooner, not featured" and "Secret featured" not in titles
    assert [r.title for r in blocks[1].items] == ["Webinar recording"]
    with count_queries() as q:
        banner = home.next_featured_event(visitor)
    assert len(q) == 1
    assert banner.title == "Interest Group Week" and "–" in banner.days_label
    assert banner.short_label in banner.days_label and str(banner.first_day.year) not in (
        banner.short_label)
    insider = home.next_featured_event(Permissions(world.group_member))
    assert insider.title == "Secret featured"


def test_demo_seed_has_the_week_the_webinars_and_their_recordings(app):
    handles = ("admin", "sarah", "priya", "marcus", "lena", "tom", "james", "aisha", "diego",
               "hannah", "oliver", "mei", "ruth", "samir")
    ctx = {"users": {h: make_user(username=h) for h in handles}}
    with writing():
        groups_seed.seed(ctx)
        events_seed.seed(ctx)
        db.session.commit()
    igw = ctx["events"]["igw"]
    assert igw.all_day and igw.featured and igw.group_id is None
    assert (igw.start_date.month, igw.start_date.day, igw.end_date.day) == (3, 7, 11)
    webinar = ctx["events"]["webinar"]
    recs = db.session.scalars(select(Recording).where(Recording.event_id == webinar.id)).all()
    assert len(recs) == 2 and all(r.url and r.slides_url for r in recs)
    assert db.session.scalar(select(func.count(Event.id))) >= 4
    banner = home.next_featured_event(Permissions())
    assert banner is not None and banner.title.endswith("Interest Group Week")


def test_an_uploaded_video_plays_in_the_page_and_seeks_by_ranges(client, world):
    ev = make_event(section=world.section, group=world.group, days_ahead=-1, title="Clinic")
    login(client, world.leader)
    url = f"/events/{ev.id}/recordings/new"
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8
    data = {**_form(client, url), "title": "Video", "media": (io.BytesIO(mp4), "talk.mp4")}
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    rec = db.session.scalars(select(Recording)).one()
    stored = db.session.get(SharedFile, rec.file_id)
    assert stored.content_type == "video/mp4" and stored.group_id == world.group.id
    member = client.application.test_client()
    login(member, world.group_member)
    page = member.get(f"/events/{ev.id}").get_data(as_text=True)
    src = re.search(r'<video class="recording-player"[^>]*src="([^"]+)"', page).group(1)
    assert src == f"/g/{world.group.slug}/files/{stored.id}/preview"
    part = member.get(src, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == mp4[100:200]
    assert part.headers["Content-Type"] == "video/mp4"
    assert "attachment" not in part.headers.get("Content-Disposition", "")


def test_a_media_type_the_library_refuses_is_a_form_error_and_stores_nothing(client, world):
    ev = make_event(section=world.section, group=world.group, days_ahead=-1)
    login(client, world.leader)
    url = f"/events/{ev.id}/recordings/new"
    avi = b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 64
    data = {**_form(client, url), "title": "Video", "media": (io.BytesIO(avi), "talk.avi")}
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "not accepted" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Recording.id))) == 0
    assert db.session.scalar(select(func.count(SharedFile.id))) == 0


def test_home_block_templates_render_for_visitors_and_members(client, world):
    past = make_event(section=world.section, days_ahead=-3, title="Webinar")
    make_recording(event=past, title="Members recording", members_only=True,
                   url="https://video.example.org/m")
    make_event(section=world.section, title="Coming up", days_ahead=3)
    db.session.commit()
    for perms in (Permissions(), Permissions(world.member)):
        with client.application.test_request_context("/"):
            html = "".join(render_template(b.template, block=b, perms=perms)
                           for b in home.home_blocks(perms))
        assert "Coming up" in html and "Members recording" in html
        assert (PROMPT in html) == (not perms.is_authenticated)
        assert ("video.example.org/m" in html) == perms.is_authenticated
