"""The audit log: filterable, exportable as safe CSV, never editable; queue and log pages run a
constant number of queries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.db import utcnow
from forum.extensions import db
from forum.moderation import audit
from forum.moderation.models import AppendOnlyError, ModerationLogEntry
from forum.querycount import count_queries
from tests.factories import make_user
from tests.factories_moderation import make_flag, make_post, make_thread
from tests.helpers import login


def _entry(world, action="hide_post", actor=None, reason="", group=None, when=None):
    e = audit.record(action, actor=actor or world.moderator, group_id=(group or world.group).id,
                     target_type="post", target_id=1, target_label="post #1", reason=reason)
    if when is not None:
        db.session.execute(ModerationLogEntry.__table__.update()
                           .where(ModerationLogEntry.id == e.id).values(created_at=when))
    return e


def test_log_shows_who_what_when_why_and_filters(client, world):
    _entry(world, "hide_post", reason="Spam link")
    _entry(world, "lock", actor=world.leader, reason="Heated")
    _entry(world, "pin", group=world.other, reason="Elsewhere")
    _entry(world, "unpin", reason="Old news", when=utcnow() - timedelta(days=10))
    login(client, world.moderator)
    html = client.get("/g/project-management/moderation/log").get_data(as_text=True)
    assert "Spam link" in html and "Heated" in html and "Elsewhere" not in html
    html = client.get("/g/project-management/moderation/log?action=lock").get_data(as_text=True)
    assert "Heated" in html and "Spam link" not in html
    html = client.get("/g/project-management/moderation/log?actor=moderator") \
        .get_data(as_text=True)
    assert "Spam link" in html and "Heated" not in html
    since = (utcnow() - timedelta(days=2)).date().isoformat()
    html = client.get(f"/g/project-management/moderation/log?since={since}") \
        .get_data(as_text=True)
    assert "Old news" not in html and "Spam link" in html
    r = client.get("/g/project-management/moderation/log?since=not-a-date&action=bogus")
    assert r.status_code == 200 and "Old news" in r.get_data(as_text=True)


def test_csv_export_defuses_spreadsheet_formulas(client, world):
    _entry(world, reason='=HYPERLINK("http://evil.example","click")')
    _entry(world, reason="+1 plain")
    login(client, world.leader)
    r = client.get("/g/project-management/moderation/log.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    reasons = {row[7] for row in rows[1:]}
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in reasons
    assert "'+1 plain" in reasons


def test_the_log_cannot_be_changed_through_the_model(app, world):
    entry = _entry(world, reason="original")
    db.session.commit()
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    entry = db.session.scalar(select(ModerationLogEntry))
    db.session.delete(entry)
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(ModerationLogEntry.reason)) == "original"


def test_the_log_has_no_routes_that_write(client, world):
    login(client, world.site_admin)
    for url in ("/moderation/log", "/g/project-management/moderation/log"):
        assert client.post(url).status_code == 405
        assert client.delete(url).status_code == 405


def test_site_log_is_for_site_admins_only(app, client, world):
    _entry(world, reason="In the project group")
    _entry(world, group=world.other, reason="In the other group")
    login(client, world.site_admin)
    html = client.get("/moderation/log").get_data(as_text=True)
    assert "In the project group" in html and "In the other group" in html
    assert client.get("/moderation/log.csv").status_code == 200
    section_admin = app.test_client()
    login(section_admin, world.section_admin)
    assert section_admin.get("/moderation/log").status_code == 403


def _fill(world, n):
    t, root = make_thread(group=world.group, author=world.leader)
    reporters = [make_user() for _ in range(2)]
    for _ in range(n):
        reply = make_post(thread=t, author=world.group_member, parent=root)
        for reporter in reporters:
            make_flag(post=reply, reporter=reporter)
        from forum.discussions.models import PostStatus

        make_post(thread=t, author=make_user(), parent=reply, status=PostStatus.PENDING)
        _entry(world, reason="r")


@pytest.mark.parametrize("url", [
    "/g/project-management/moderation/queue", "/moderation",
    "/g/project-management/moderation/log", "/moderation/log",
])
def test_queue_and_log_pages_run_a_constant_number_of_queries(client, world, url):
    login(client, world.site_admin)
    _fill(world, 2)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _fill(world, 12)
    with count_queries() as many:
        r = client.get(url)
    assert r.status_code == 200
    assert len(many) == len(few) <= 12
