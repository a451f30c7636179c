"""Both ways mail comes in, end to end over real protocols on loopback: LMTP (aiosmtpd's
server, smtplib's client), and ``flask mail ingest`` reading a message on standard input —
in a real process, as Postfix's pipe runs it — with sendmail's exit statuses."""

from __future__ import annotations

import os
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest

from forum.extensions import db
from forum.inbound.cli import EX_DATAERR, EX_NOUSER, EX_OK
from tests.factories_inbound import Scene, fixture_mail, simple_mail

ROOT = Path(__file__).resolve().parent.parent


def test_lmtp_delivers_a_reply_and_answers_per_recipient(app, lmtp):
    app.config["MAIL_INBOUND_MAX_BYTES"] = 50_000
    scene = Scene()
    raw = fixture_mail("gmail_reply", sender="tom@example.org", to=scene.reply_to)
    assert lmtp.sendmail("tom@example.org", [scene.reply_to], raw) == {}
    db.session.commit()
    assert scene.posts()[-1].source.startswith("Thanks Lena")
    # Two recipients in one transaction: LMTP answers each after DATA, in RCPT order.
    again = simple_mail(sender="tom@example.org", to=scene.group_to, subject="Room booking",
                        body="Who has the key to room 4?")
    lmtp.ehlo_or_helo_if_needed()
    assert lmtp.mail("tom@example.org")[0] == 250
    assert lmtp.rcpt(scene.group_to)[0] == 250
    assert lmtp.rcpt("nobody@forum.localhost")[0] == 250
    first = lmtp.data(again)
    second = lmtp.getreply()
    assert first[0] == 250 and second[0] == 550 and b"5.1.1" in second[1]
    db.session.commit()
    assert scene.posts()[-1].source == "Who has the key to room 4?"
    # A bounce (MAIL FROM:<>) is taken and dropped: never posted, never answered.
    bounce = simple_mail(sender="tom@example.org", to=scene.reply_to, body="Undeliverable")
    assert lmtp.sendmail("", [scene.reply_to], bounce) == {}
    # Too big: refused with 552 before we read it; nothing posted.
    with pytest.raises(smtplib.SMTPException) as refused:
        lmtp.sendmail("tom@example.org", [scene.reply_to], (b"x" * 998 + b"\r\n") * 60)
    assert "552" in str(refused.value)
    db.session.commit()
    assert len(scene.posts()) == 3


def _flask(app, *args: str, stdin: bytes, instance: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FORUM_ENV": "testing",
           "FORUM_SECRET_KEY": app.config["SECRET_KEY"],
           "FORUM_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
           "FORUM_INSTANCE_PATH": str(instance),
           "FORUM_SITE_URL": "http://localhost"}
    env.pop("FLASK_APP", None)
    return subprocess.run([sys.executable, "-m", "flask", "--app", "forum", "mail", "ingest",
                           *args], input=stdin, env=env, capture_output=True, timeout=60,
                          cwd=ROOT)


def test_flask_mail_ingest_posts_from_a_pipe(app, tmp_path):
    scene = Scene()
    raw = fixture_mail("outlook_reply", sender="tom@example.org", to=scene.reply_to)
    done = _flask(app, "--recipient", scene.reply_to, "--sender", "tom@example.org",
                  stdin=raw, instance=tmp_path / "cli")
    assert done.returncode == EX_OK, done.stderr.decode()
    db.session.commit()
    assert scene.posts()[-1].source.startswith("Agreed – let’s use the “simple” one.")


def test_flask_mail_ingest_exit_statuses(app):
    scene = Scene()
    runner = app.test_cli_runner()

    def ingest(raw: bytes, *args: str):
        return runner.invoke(args=["mail", "ingest", *args], input=raw)

    posted = ingest(simple_mail(sender="tom@example.org", to=scene.group_to,
                                headers={"X-Original-To": scene.group_to}))
    assert posted.exit_code == EX_OK  # the recipient from X-Original-To
    refused = ingest(simple_mail(sender="stranger@example.net", to=scene.group_to),
                     "-r", scene.group_to)
    assert refused.exit_code == EX_OK  # ours: the sender is told by mail
    unknown = ingest(simple_mail(sender="tom@example.org", to="x@forum.localhost"),
                     "-r", "x@forum.localhost")
    assert unknown.exit_code == EX_NOUSER and "unknown recipient" in unknown.output
    app.config["MAIL_INBOUND_MAX_BYTES"] = 1000
    big = ingest(simple_mail(sender="tom@example.org", to=scene.group_to, body="y" * 5000),
                 "-r", scene.group_to)
    assert big.exit_code == EX_DATAERR and "too big" in big.output
    db.session.commit()
    assert len(scene.posts()) == 2
    commands = runner.invoke(args=["mail", "--help"]).output
    assert "lmtp" in commands and "ingest" in commands
