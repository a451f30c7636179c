"""Browser fixtures: the app served by a real server thread, and Debian's Chromium.

No pytest-playwright: ``playwright.sync_api`` drives the system ``chromium`` (never a
downloaded browser). Without Chromium, Playwright or axe-core these tests skip with the reason —
unless FORUM_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from forum.extensions import db
from tests.browser.axe import INSTALL_HINT, axe_path
from tests.conftest import make_test_app, truncate_all

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _missing(reason: str):
    if os.environ.get("FORUM_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser():
    executable = shutil.which("chromium")
    if executable is None:
        _missing("Chromium is not installed: run `make browser`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright (Python) is not installed: pip install -e '.[test]'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    path = axe_path()
    if path is None:
        _missing(f"axe-core is not installed: {INSTALL_HINT}")
    return path


class LiveServer:
    def __init__(self, app, tmp_path) -> None:
        self.app = app
        self.outbox = tmp_path / "instance" / "outbox"
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def deliver_mail(self) -> None:
        """Run the outbox worker: with no SMTP server configured, mail lands in outbox/."""
        from forum.mail import deliver_pending

        with self.app.app_context():
            deliver_pending()


@pytest.fixture
def live_server(tmp_path, database):
    """The app on SQLite and on PostgreSQL (``database``, as every test's), served."""
    app = make_test_app(database, tmp_path / "instance",
                        SITE_URL="http://127.0.0.1:0", RATELIMIT_ENABLED=False)
    sqlite = database.startswith("sqlite")
    with app.app_context():
        if sqlite:
            db.create_all()
    server = LiveServer(app, tmp_path)
    app.config["SITE_URL"] = server.url
    server.start()
    yield server
    server.stop()
    with app.app_context():
        db.session.remove()
        if not sqlite:
            truncate_all(db.engine)
        db.engine.dispose()


@pytest.fixture
def page(chromium_browser):
    context = chromium_browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe_page(chromium_browser, axe):
    # axe is injected as a script: this context alone bypasses the CSP to allow it.
    context = chromium_browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
