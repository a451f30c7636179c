"""The section's home page: the spotlight rotates by day, features fill their own blocks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from forum.extensions import db
from forum.groups.models import Group, GroupKind, Visibility
from forum.home.blocks import _visitor_spotlight_statement, spotlight
from forum.home_block import HomeBlock
from forum.permissions import Permissions
from forum.querycount import count_queries
from tests.factories import make_group, make_membership, make_section, make_user


def test_an_empty_site_still_shows_every_block_with_a_way_forward(client):
    html = client.get("/").get_data(as_text=True)
    assert "What's happening at the section level" in html
    assert "Upcoming events" in html and "New recordings" in html and "Latest articles" in html
    assert "View the full calendar" in html
    assert "Nothing here yet." not in html
    assert "Save the date" not in html  # no featured event, no banner


def test_the_next_featured_event_is_the_save_the_date_banner(client):
    from datetime import date, timedelta

    from tests.factories_events import make_event

    section = make_section()
    first = date.today() + timedelta(days=40)
    make_event(section=section, title="Interest Group Week", all_day=True, featured=True,
               start_date=first, end_date=first + timedelta(days=4))
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    banner = html[html.index('class="save-the-date"'):]
    banner = banner[:banner.index("</section>")]
    assert "Save the date" in banner and "Interest Group Week" in banner
    last = first + timedelta(days=4)
    assert f"{first:%B} {first.day}" in banner and str(last.day) in banner


def test_spotlight_rotates_by_day_without_writing(client):
    section = make_section()
    groups = [make_group(section=section, name=f"Spot {n}", visibility=Visibility.PUBLIC)
              for n in range(3)]
    make_group(section=section, name="A Committee", kind=GroupKind.COMMITTEE,
               visibility=Visibility.PUBLIC)
    perms = Permissions(None)
    picks = {spotlight(perms, date(2026, 1, d)).id for d in range(1, 4)}
    assert picks == {g.id for g in groups}
    assert spotlight(perms, date(2026, 1, 1)).id == spotlight(perms, date(2026, 1, 1)).id
    with count_queries() as q:
        client.get("/")
    assert not any(s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for s in q)


def test_spotlight_never_shows_a_private_group_to_a_visitor(client):
    section = make_section()
    make_group(section=section, name="Secret Interest Group", visibility=Visibility.PRIVATE)
    assert "Secret Interest Group" not in client.get("/").get_data(as_text=True)
    assert db.session.scalar(select(func.count(Group.id))) == 1


def test_a_feature_home_module_fills_its_blocks_and_can_ask_visitors_to_log_in(client,
                                                                              monkeypatch):
    def home_blocks(perms):
        return [HomeBlock(key="roles", title="Open volunteer roles", template="_missing.html",
                          login_prompt=not perms.is_member)]

    monkeypatch.setattr("forum.volunteering.home.home_blocks", home_blocks)
    html = client.get("/").get_data(as_text=True)
    assert "Open volunteer roles" in html
    assert "Members — log in to view this content" in html


def test_visitors_share_one_spotlight_statement_and_members_keep_their_own(app):
    section = make_section()
    secret = make_group(section=section, name="Secret Interest Group",
                        visibility=Visibility.PRIVATE)
    member = make_user()
    make_membership(group=secret, user=member)
    assert _visitor_spotlight_statement() is _visitor_spotlight_statement()
    day = date(2026, 1, 1)
    assert spotlight(Permissions(None), day) is None  # built once, for every visitor
    assert spotlight(Permissions(member), day).name == "Secret Interest Group"
    assert spotlight(Permissions(None), day) is None
