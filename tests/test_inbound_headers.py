"""The per-post mail carries the signed reply address (Cc and List-Post), read back by
forum.inbound; the address names the post and the recipient and cannot be altered."""

from __future__ import annotations

from forum.extensions import db
from forum.notifications.addresses import read_reply_token, reply_address
from forum.notifications.models import MailMode
from forum.notifications.services import post_published
from tests.factories import make_group, make_group_member
from tests.factories_notifications import make_thread, subscribe


def test_each_recipient_gets_a_reply_address_for_that_post(app, mail):
    group = make_group(name="Cataloguing, Metadata & Standards", slug="cms")
    lena = make_group_member(group=group, display_name="Lena Ortiz")
    tom = make_group_member(group=group)
    priya = make_group_member(group=group)
    for member in (tom, priya):
        subscribe(user=member, group=group, mode=MailMode.EACH)
    thread, opening = make_thread(group=group, author=lena, title="Authority files")
    post_published(opening)
    db.session.commit()
    sent = mail.deliver()
    assert len(sent) == 2
    for msg, raw in zip(sent, mail.raw, strict=True):
        (reply_to,) = msg["Cc"].addresses  # "Reply all" reaches the group
        assert reply_to.display_name == "Cataloguing, Metadata & Standards"  # one name, not two
        assert reply_to.domain == "forum.localhost"
        assert len(reply_to.username) <= 64
        assert msg["List-Post"] == f"<mailto:{reply_to.addr_spec}>"
        assert b"=?utf-8?" not in raw.split(b"\r\n\r\n", 1)[0]  # readable, not RFC 2047
        member = tom if msg["To"] == tom.email else priya
        assert read_reply_token(reply_to.username) == (opening.id, member.id)
        assert "Reply all (or \"Reply to list\") to answer in" in mail.text(msg)


def test_a_reply_address_cannot_be_altered(app):
    good = reply_address(41, 7).split("@")[0]
    assert read_reply_token(good) == (41, 7)
    assert read_reply_token(good.upper()) == (41, 7)  # a mail system may change the case
    prefix, token = good.split("+")
    post, user, sig = token.split(".")
    assert read_reply_token(f"{prefix}+{post}.8.{sig}") is None  # another member
    assert read_reply_token(f"{prefix}+42.{user}.{sig}") is None  # another post
    assert read_reply_token(f"{prefix}+{post}.{user}.{sig[:-1]}0") is None
    assert read_reply_token(f"other+{token}") is None
    assert read_reply_token("reply+1.2") is None and read_reply_token("reply") is None
    # The domain is configurable.
    app.config["MAIL_REPLY_DOMAIN"] = "Lists.Example.org"
    address = reply_address(1, 2)
    assert address.endswith("@lists.example.org") and address.startswith("reply+1.2.")
