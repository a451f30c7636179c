"""One way to print a date: a term's end is its last day on every page (the group page, the
leaders' history, an opportunity's facts), and a ban's end is in the reader's zone in the
moderator's confirmation as on the bans page."""

from __future__ import annotations

import re
from datetime import date

from forum.extensions import db
from forum.groups.models import Role, Visibility
from tests.factories import appoint, make_group, make_user
from tests.factories_moderation import mpost as post
from tests.factories_volunteering import make_opportunity
from tests.helpers import login

START, END = date(2026, 7, 1), date(2027, 7, 1)  # END is exclusive: the last day is 30 June


def test_a_terms_last_day_is_the_same_on_every_page(client, world):
    group = make_group(section=world.section, name="Programme Committee", slug="programme",
                       visibility=Visibility.PUBLIC)
    chair = make_user(username="chair", display_name="Chair Person")
    appoint(user=chair, group=group, role=Role.LEADER, title="Chair", starts_on=START,
            ends_on=END)
    opp = make_opportunity(group=group, term_starts_on=START, term_ends_on=END)
    db.session.commit()
    login(client, world.member)
    pages = {"group page": "/g/programme", "leaders' history": "/g/programme/leadership",
             "opportunity": f"/get-involved/o/{opp.id}"}
    for name, url in pages.items():
        html = client.get(url).get_data(as_text=True)
        assert "30 Jun 2027" in html, name
        assert "1 Jul 2027" not in html, name


def test_a_bans_end_reads_the_same_in_the_confirmation_and_on_the_bans_page(client, world):
    world.moderator.timezone = "Pacific/Auckland"
    db.session.commit()
    login(client, world.moderator)
    r = post(client, "/g/project-management/moderation/bans",
             {"username": "groupmember", "duration": "7", "reason": "Spam"}, follow=True)
    text = r.get_data(as_text=True)
    shown = re.search(r"banned from [^<]* until ([^.<]+)\.", text).group(1)
    assert "UTC" not in shown
    bans = client.get("/g/project-management/moderation/bans").get_data(as_text=True)
    assert shown in bans
