"""Incoming mail for the inbound tests: the .eml fixtures (as Gmail, Outlook and Apple Mail
write them) with their addresses filled in, and small messages built with the email package."""

from __future__ import annotations

import itertools
from email import policy
from email.message import EmailMessage
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
_nonce = itertools.count(1)


def fixture_mail(name: str, *, sender: str, to: str, parent_msgid: str = "p1.u1.x@forum.localhost",
                 nonce: str | None = None) -> bytes:
    """``tests/fixtures/mail/<name>.eml`` with ``{sender}``, ``{to}``, ``{parent_msgid}`` and
    ``{nonce}`` (which makes its Message-ID unique) filled in."""
    raw = (FIXTURES / f"{name}.eml").read_bytes()
    values = {"sender": sender, "to": to, "parent_msgid": parent_msgid.strip("<>"),
              "nonce": nonce or str(next(_nonce))}
    for key, value in values.items():
        raw = raw.replace(b"{" + key.encode() + b"}", value.encode())
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # as on the wire


def simple_mail(*, sender: str, to: str, subject: str = "Re: hello", body: str = "Thanks!",
                message_id: str | None = None, headers: dict | None = None) -> bytes:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id or f"<simple-{next(_nonce)}@example.org>"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return bytes(msg)


class Scene:
    """A group "pm" with Lena's thread, Tom (a member who gets each post by mail) and the
    address Tom's copy of Lena's opening post carries."""

    def __init__(self) -> None:
        from forum.extensions import db
        from forum.notifications.addresses import group_address, reply_address
        from tests.factories import make_group, make_group_member
        from tests.factories_discussions import make_thread, root_post

        self.group = make_group(name="Project Management Interest Group", slug="pm")
        self.lena = make_group_member(group=self.group, username="lena",
                                      display_name="Lena Ortiz")
        self.tom = make_group_member(group=self.group, username="tom", email="tom@example.org")
        self.thread = make_thread(group=self.group, author=self.lena, title="Budget templates",
                                  body="Here is mine.")
        self.opening = root_post(self.thread)
        self.reply_to = reply_address(self.opening.id, self.tom.id)
        self.group_to = group_address(self.group.slug)
        db.session.commit()

    def posts(self):
        """Every post's (author, source), oldest first, across the group."""
        from sqlalchemy import select

        from forum.discussions.models import Post, Thread
        from forum.extensions import db

        return db.session.execute(
            select(Post.author_id, Post.source).join(Thread)
            .where(Thread.group_id == self.group.id).order_by(Post.id)).all()
