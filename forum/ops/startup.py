"""Production start-up refuses settings that would run an unsafe or broken site.

``create_app`` already refuses a missing, default or short secret key and broken ``__Host-``
cookies. Here, with ``ENV_NAME`` "production":
- debug on (``FLASK_DEBUG``, ``FORUM_DEBUG``): the debugger runs code from a browser;
- a ``SITE_URL`` that is not https (its links go into mail and feeds; sessions are Secure
  cookies): ``http://`` is allowed only for a loopback host (localhost, 127.x, ::1), which no
  member can reach — a benchmark or a drill on one machine;
- a configured Redis (``REDIS_URL``, a redis ``RATELIMIT_STORAGE_URI``) that does not answer
  PING, and a blob folder that does not take a file: the instance would start and then fail
  on its first page; better that the deploy stops with a message.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import Flask

from forum.ops.health import readiness


def refuse_unsafe_production(app: Flask) -> None:
    if app.config.get("ENV_NAME") != "production":
        return
    if app.config.get("DEBUG") or app.debug:
        raise RuntimeError("Refusing to start in production with debug on: unset FLASK_DEBUG "
                           "and FORUM_DEBUG (the debugger runs code sent from a browser).")
    site = str(app.config.get("SITE_URL") or "")
    if not _secure_site_url(site):
        raise RuntimeError(f"Refusing to start in production with SITE_URL={site!r}: set "
                           "FORUM_SITE_URL to the site's https:// address.")
    failed = [c for c in readiness(app, database=False) if not c.ok]
    if failed:
        what = ", ".join(f"{c.name} ({c.detail})" for c in failed)
        raise RuntimeError(f"Refusing to start in production: {what} did not answer. Check "
                           "FORUM_REDIS_URL, FORUM_RATELIMIT_STORAGE_URI and FORUM_STORAGE_DIR, "
                           "and that those services run.")


def _secure_site_url(url: str) -> bool:
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and _loopback(parts.hostname)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
