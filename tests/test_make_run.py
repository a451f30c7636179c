"""`make run` serves on PORT / FORUM_PORT (default 5000), and mail's links follow the port
unless FORUM_SITE_URL names the public address. `make -n` prints the commands, runs none."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _dry_run(*args: str, **env: str) -> str:
    assert shutil.which("make"), "make is part of the project's two commands"
    clean = {k: v for k, v in os.environ.items()
             if k not in ("PORT", "FORUM_PORT", "FORUM_SITE_URL", "MAKEFLAGS")}
    result = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env={**clean, **env},
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout


def test_make_run_serves_on_5000_by_default_and_mail_links_there():
    out = _dry_run()
    assert "run --host 127.0.0.1 --port 5000" in out
    assert "FORUM_SITE_URL='http://127.0.0.1:5000'" in out
    # Beside the server: the outbox worker, and the LMTP server that takes mail in.
    assert "deliver --loop &" in out
    assert "mail lmtp --host 127.0.0.1 --port 8024 &" in out
    assert "--port 8025 &" in _dry_run(LMTP_PORT="8025")


def test_make_run_honours_port_and_forum_port():
    assert "--port 8123" in _dry_run(PORT="8123")
    assert "--port 8124" in _dry_run(FORUM_PORT="8124")
    assert "--port 8125" in _dry_run(FORUM_PORT="8125", PORT="8999")  # the specific one wins
    out = _dry_run("PORT=8126")
    assert "--port 8126" in out and "FORUM_SITE_URL='http://127.0.0.1:8126'" in out


def test_a_public_site_url_is_kept_for_mail():
    out = _dry_run(PORT="8127", FORUM_SITE_URL="https://forum.example.org")
    assert "--port 8127" in out
    assert "FORUM_SITE_URL='https://forum.example.org'" in out
