"""Moderation in a real browser: a member flags a post through the flag form; the group's leader
finds it in the review queue and hides it with a reason; the author sees their post hidden (as
everyone does) and gets the reason by mail (docs/moderation.md: e-mail only, no in-app notice).
The leader then bans the author, who is shown why, until when and whom to appeal to. axe-core
on every page at 1280 and 375 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forum.db import utcnow, writing
from forum.extensions import db
from forum.groups.models import Role, Visibility
from tests.browser.journeys import Pages, mails_to, new_page, sign_in
from tests.factories import appoint, make_group, make_membership, make_section, make_user
from tests.factories_discussions import make_reply, make_thread

pytestmark = pytest.mark.browser

HIDE_REASON = "Advertising is not allowed in this group."
BAN_REASON = "Kept advertising after the post was hidden."


def _site(server) -> int:
    with server.app.app_context(), writing():
        section = make_section()
        group = make_group(section=section, slug="pm", name="Project Management Interest Group",
                           visibility=Visibility.MEMBERS)
        priya = make_user(username="priya", email="priya@example.org", display_name="Priya Raman")
        marcus = make_user(username="marcus", email="marcus@example.org",
                           display_name="Marcus Webb")
        lena = make_user(username="lena", email="lena@example.org", display_name="Lena Ortiz")
        for u in (priya, marcus, lena):
            make_membership(group=group, user=u)
        appoint(user=priya, group=group, role=Role.LEADER, title="Chair")
        thread = make_thread(group=group, author=priya, title="Tools for small teams",
                             body="What do you use?")
        make_reply(thread=thread, author=marcus, body="Buy CheapBoards Pro today, 80% off!")
        db.session.commit()
        return thread.id


def test_a_member_flags_a_leader_hides_and_bans_and_the_author_sees_why(
        live_server, chromium_browser, axe):
    thread_id = _site(live_server)
    base = live_server.url
    thread_url = f"{base}/g/pm/t/{thread_id}"
    pages = Pages("moderation")

    flagger = new_page(chromium_browser)
    sign_in(flagger, base, "lena@example.org")
    flagger.goto(thread_url)
    advert = flagger.locator("article.post").filter(has_text="CheapBoards")
    advert.get_by_role("link", name="Flag this post for the moderators").click()
    expect(flagger.get_by_role("heading", name="Flag a post for the moderators")).to_be_visible()
    pages.check(flagger, "flag form")
    flagger.get_by_role("button", name="Send flag").click()  # no reason: told, not a 500
    expect(flagger.get_by_text("Choose a reason.").first).to_be_visible()
    flagger.get_by_label("Spam").check()
    flagger.get_by_label("Anything the moderators should know (optional)").fill(
        "Third advert this week.")
    flagger.get_by_role("button", name="Send flag").click()
    flagger.wait_for_url(f"{thread_url}*")
    expect(flagger.get_by_text("Thank you: the moderators will review this post.")
           ).to_be_visible()
    pages.check(flagger, "thread after flagging")

    leader = new_page(chromium_browser)
    sign_in(leader, base, "priya@example.org")
    leader.goto(base + "/g/pm/moderation/queue")
    item = leader.locator(".mod-item").filter(has_text="CheapBoards")
    expect(item).to_contain_text("Spam from Lena Ortiz: “Third advert this week.”")
    pages.check(leader, "review queue")
    item.get_by_label("Reason for hiding (shown to the author)").fill(HIDE_REASON)
    item.get_by_role("button", name="Hide post").click()
    expect(leader.get_by_text("The post is hidden.")).to_be_visible()
    expect(leader.get_by_text("No open flags. Nothing to review.")).to_be_visible()

    author = new_page(chromium_browser)
    sign_in(author, base, "marcus@example.org")
    author.goto(thread_url)
    # The author sees their reply hidden (the reason came by mail, below)...
    mine = author.locator("article.post").filter(has_text="This post was hidden by a moderator.")
    expect(mine.get_by_role("button", name="Delete")).to_be_visible()  # ...and it is theirs
    expect(author.get_by_text("CheapBoards")).to_have_count(0)
    pages.check(author, "thread with a hidden post")
    flagger.reload()
    expect(flagger.get_by_text("This post was hidden by a moderator.")).to_be_visible()
    expect(flagger.get_by_text("CheapBoards")).to_have_count(0)
    flagger.context.close()
    (mail,) = [m for m in mails_to(live_server, "marcus@example.org") if "hid your post" in m]
    assert f"Reason given: {HIDE_REASON}" in mail

    leader.get_by_role("link", name="Bans").click()
    expect(leader.get_by_role("heading", name="Ban a member")).to_be_visible()
    pages.check(leader, "bans")
    leader.get_by_label("Username").fill("marcus")
    leader.get_by_label("How long").select_option(label="7 days")
    leader.get_by_label("Reason").fill(BAN_REASON)
    before = utcnow()
    leader.get_by_role("button", name="Ban", exact=True).click()
    banned = leader.get_by_role("row").filter(has_text="Marcus Webb (marcus)")
    expect(banned).to_be_visible()
    after = utcnow()
    leader.context.close()

    response = author.goto(thread_url)
    assert response.status == 403
    expect(author.get_by_role("heading", name="You are banned from Project Management Interest "
                                                "Group")).to_be_visible()
    expect(author.locator(".standing-reason")).to_have_text(BAN_REASON)
    until = author.locator(".standing time").get_attribute("datetime")
    assert until[:10] in {(before + timedelta(days=7)).date().isoformat(),
                          (after + timedelta(days=7)).date().isoformat()}, until
    expect(author.locator(".standing")).to_contain_text("until")
    expect(author.get_by_role("link", name="Priya Raman")).to_be_visible()  # whom to appeal to
    pages.check(author, "banned")
    author.context.close()
    pages.assert_accessible()
