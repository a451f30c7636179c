"""Mail headers from user text: built by the email package, one line each, never a new header;
and a delivery worker that one bad message cannot stop."""

from __future__ import annotations

from email.utils import formataddr

from sqlalchemy import select, update

from forum.extensions import db
from forum.groups.models import Group
from forum.mail import queue_mail
from forum.mailing.models import Delivery, DeliveryStatus
from forum.notifications.models import MailMode
from forum.notifications.services import post_published
from forum.users.models import User
from tests.factories import make_group, make_group_member
from tests.factories_notifications import make_thread, subscribe

INJECTION = "\r\nBcc: victim@example.org"


def _one_line(value: str) -> bool:
    return not any(ch in value for ch in "\r\n")


def test_line_breaks_in_stored_names_never_become_headers(app, mail):
    group = make_group(name="Project Management", slug="pm")
    lena = make_group_member(group=group, username="lena", display_name="Lena Ortiz")
    tom = make_group_member(group=group, username="tom")
    subscribe(user=tom, group=group, mode=MailMode.EACH)
    # As old rows would be, written before the forms refused line breaks.
    db.session.execute(update(User).where(User.id == lena.id)
                       .values(display_name=f"Lena{INJECTION}"))
    db.session.execute(update(Group).where(Group.id == group.id)
                       .values(name="PM\r\nX-Injected: yes"))
    thread, opening = make_thread(group=group, author=lena, title=f"Budget{INJECTION}")
    db.session.expire_all()
    post_published(opening)
    db.session.commit()

    (msg,) = mail.deliver()
    assert mail.recipients == [[tom.email]]  # nobody else got it, in any header or envelope
    assert msg["Bcc"] is None and msg["X-Injected"] is None and msg.defects == []
    (sender,) = msg["From"].addresses
    assert sender.display_name.startswith("Lena Bcc: victim@example.org via ")
    assert _one_line(sender.display_name) and sender.addr_spec == "no-reply@forum.localhost"
    assert msg["Subject"] == "[PM X-Injected: yes] Budget Bcc: victim@example.org"
    assert msg["List-Id"] == "PM X-Injected: yes <pm.forum.localhost>"
    assert db.session.scalar(select(Delivery.status)) == DeliveryStatus.SENT


def test_a_from_header_stored_as_text_by_an_older_version_is_sent_on_one_line(app, mail):
    stored = formataddr((f"Lena{INJECTION} via Forum", "no-reply@forum.localhost"))
    queue_mail("tom@example.org", "Hi", "Hello", headers={"From": stored})
    db.session.commit()
    (msg,) = mail.deliver()
    assert mail.recipients == [["tom@example.org"]] and msg["Bcc"] is None
    (sender,) = msg["From"].addresses
    assert sender.display_name == "Lena Bcc: victim@example.org via Forum"


def test_non_ascii_names_are_encoded_and_arrive_intact(app, mail):
    group = make_group(name="Gruppe Führung", slug="fuehrung")
    author = make_group_member(group=group, display_name="Zoë “Zo” O'Brien, Jr.")
    reader = make_group_member(group=group)
    subscribe(user=reader, group=group, mode=MailMode.EACH)
    _, opening = make_thread(group=group, author=author, title="Übergabe an den Vorsitz")
    post_published(opening)
    db.session.commit()
    (msg,) = mail.deliver()
    assert msg["From"].addresses[0].display_name.startswith("Zoë “Zo” O'Brien, Jr. via ")
    assert msg["Subject"] == "[Gruppe Führung] Übergabe an den Vorsitz"


def test_a_mail_that_cannot_be_composed_fails_alone_and_the_rest_are_delivered(app, mail):
    queue_mail("first@example.org", "Before", "Hello")
    bad = queue_mail(f"tom@example.org{INJECTION}", "Broken", "Hello")
    queue_mail("after@example.org", "After", "Hello")
    queue_mail("nobody", "No address at all", "Hello")
    queue_mail("last@example.org", "Last", "Hello")
    db.session.commit()
    bad_id = bad.id

    result = app.test_cli_runner().invoke(args=["deliver"])
    assert result.exit_code == 0, result.output
    assert "Delivered 3 message(s)." in result.output
    assert [m["Subject"] for m in mail.messages] == ["Before", "After", "Last"]
    assert "victim@example.org" not in str(mail.recipients)
    failed = db.session.scalars(select(Delivery).where(
        Delivery.status == DeliveryStatus.FAILED).order_by(Delivery.id)).all()
    assert [d.id for d in failed] == [bad_id, bad_id + 2]
    assert all(d.last_error.startswith("cannot compose: ") for d in failed)
    assert "not an e-mail address" in failed[1].last_error
    # Failed for good at the first attempt: a second run neither retries nor resends anything.
    assert app.test_cli_runner().invoke(args=["deliver"]).exit_code == 0
    assert len(mail.messages) == 3
    assert set(db.session.scalars(select(Delivery.attempts).where(
        Delivery.status == DeliveryStatus.FAILED))) == {1}
