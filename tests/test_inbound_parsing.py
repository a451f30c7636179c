"""Reading incoming mail as mail programs write it, and trimming quotes and signatures.

No database: these run once (the parsing knows nothing of sqlite or PostgreSQL)."""

from __future__ import annotations

import pytest

from forum.inbound.htmltext import html_to_text
from forum.inbound.parsing import Unreadable, automatic, parse
from forum.inbound.trimming import trim
from tests.factories_inbound import fixture_mail, simple_mail

TO = "reply+1.2.0123456789abcdef@forum.localhost"


def test_gmail_quoted_printable_reply_keeps_the_text_and_drops_the_quote():
    mail = parse(fixture_mail("gmail_reply", sender="tom@example.org", to=TO))
    assert mail.sender == "tom@example.org"
    assert mail.text == ("Thanks Lena — I’ll bring our *quarterly* template to the meeting.\n\n"
                         "Two things to check:\n\n- the overhead line\n- the café budget")
    assert "Here is mine." in mail.trimmed and "wrote:" in mail.trimmed
    assert mail.message_key.startswith("<CAKx7=gmail-")


def test_outlook_windows_1252_reply_drops_the_header_block_and_the_name_under_it():
    mail = parse(fixture_mail("outlook_reply", sender="tom@example.org", to=TO))
    assert mail.text.startswith("Agreed – let’s use the “simple” one. Cost: €50.")
    assert "Here is mine." not in mail.text and "Sent:" in mail.trimmed


def test_apple_mail_base64_text_with_inline_image():
    mail = parse(fixture_mail("apple_mail_reply", sender="priya@example.org", to=TO))
    assert mail.text == "We use the same one – see page 3."
    assert "Here is mine." in mail.trimmed


def test_iso_8859_1_subject_body_and_signature():
    mail = parse(fixture_mail("latin1_new_thread", sender="renee@example.fr", to=TO))
    assert mail.subject == "Café budget for the régional day"
    assert mail.text == "Bonjour à tous,\n\nLe café coûte 2,50 ¤ par personne."
    assert mail.trimmed == "--\nRenée" or mail.trimmed.startswith("-- ")


def test_html_only_mail_becomes_markdown_friendly_text():
    mail = parse(fixture_mail("html_only_new_thread", sender="priya@example.org", to=TO))
    assert mail.text == (
        "Hello all,\n\nWe start a mentoring circle in January. Details: "
        "[the plan](https://example.org/mentoring).\n\n- monthly calls\n"
        "- one mentor for 3 mentees\n\nPriya")


def test_html_blockquotes_become_quotes_and_are_trimmed():
    text = html_to_text('<div>Yes.<br><br>Tom</div><div class="gmail_quote">On Mon, Lena '
                        'wrote:<blockquote><p>Shall we?</p></blockquote></div>')
    assert trim(text).text == "Yes.\n\nTom"


@pytest.mark.parametrize("body, kept", [
    # bottom-posting: the quote first, the answer below, then a signature
    ("On Mon, 7 Dec 2026, Lena wrote:\n> Shall we meet?\n> Lena\n\nYes, Tuesday.\n\n-- \nTom\n",
     "Yes, Tuesday."),
    # interleaved: each answer stays, each quote goes
    ("> First question?\nFirst answer.\n\n> Second question?\nSecond answer.\n",
     "First answer.\n\nSecond answer."),
    # an attribution wrapped over two lines, in French
    ("D'accord.\n\nLe lun. 7 déc. 2026 à 10:00, Lena Ortiz <x@y.org> a\nécrit :\n> Salut\n",
     "D'accord."),
    ("Sure.\n\nSent from my iPhone\n\n> On 7 Dec 2026, at 10:00, Lena wrote:\n> Hi\n", "Sure."),
    ("Agreed.\n\n-----Original Message-----\nFrom: Lena\nSent: Monday\nHi\n", "Agreed."),
    # Markdown the member wrote stays as written: indentation, lists, a line starting "On"
    ("On Tuesday we meet.\n\n    code block\n\n- a list\n  - nested", None),
    # forwarded mail is content, not a quote
    ("FYI\n\n---------- Forwarded message ---------\nFrom: Ann <a@b.org>\nDate: Mon\n"
     "Subject: Rooms\nTo: me\n\nRoom 4 is free.", None),
])
def test_trimming(body, kept):
    assert trim(body).text == (body.strip() if kept is None else kept)


def test_a_mail_that_is_only_a_quote_leaves_nothing():
    assert trim("On Mon, Lena wrote:\n> Hi\n\n-- \nTom").text == ""


def test_malformed_mime_and_missing_sender_are_unreadable():
    broken = (b"From: tom@example.org\r\nTo: x@forum.localhost\r\nSubject: s\r\n"
              b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\nno boundary at all\r\n")
    with pytest.raises(Unreadable):
        parse(broken)
    with pytest.raises(Unreadable):
        parse(b"To: x@forum.localhost\r\nSubject: s\r\n\r\nWho am I?\r\n")
    with pytest.raises(Unreadable):
        parse(b"From: a@b.org, c@d.org\r\nSubject: s\r\n\r\nTwo of us\r\n")


@pytest.mark.parametrize("headers, envelope, why", [
    ({"Auto-Submitted": "auto-replied"}, None, "Auto-Submitted"),
    ({"Precedence": "bulk"}, None, "Precedence"),
    ({"Precedence": "junk"}, None, "Precedence"),
    ({"X-Autoreply": "yes"}, None, "X-Autoreply"),
    ({"X-Auto-Response-Suppress": "All"}, None, "X-Auto-Response-Suppress"),
    ({"Return-Path": "<>"}, None, "Return-Path"),
    ({}, "", "null envelope sender"),
])
def test_machine_mail_is_recognised(headers, envelope, why):
    msg = parse(simple_mail(sender="tom@example.org", to=TO, headers=headers)).message
    assert why in automatic(msg, envelope, "forum.localhost")


def test_a_person_is_not_a_machine_nor_is_auto_submitted_no():
    msg = parse(simple_mail(sender="tom@example.org", to=TO,
                            headers={"Auto-Submitted": "no"})).message
    assert automatic(msg, "tom@example.org", "forum.localhost") is None


def test_delivery_reports_and_our_own_mail_are_machines():
    report = (b"From: MAILER-DAEMON@mx.example.org\r\nTo: x@forum.localhost\r\nSubject: fail\r\n"
              b"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;"
              b" boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n--b--\r\n")
    assert "report" in automatic(parse(report).message, "x@y.org", "forum.localhost")
    ours = parse(simple_mail(sender="Forum <no-reply@forum.localhost>", to=TO)).message
    assert automatic(ours, "x@y.org", "forum.localhost") is not None


def test_an_outlook_forward_keeps_the_forwarded_mail():
    body = ("Please see below.\n\n________________________________\nFrom: Ann <a@b.org>\n"
            "Sent: Monday\nTo: Tom\nSubject: Rooms\n\nRoom 4 is free.")
    assert trim(body, forwarded=True).text == body
    assert trim(body).text == "Please see below."
