"""forum: discussion service for professional associations.

``create_app`` builds the application in a fixed order: config → extensions → blueprints →
errors → cli → jinja. Nothing but this module imports a blueprint.
"""

from __future__ import annotations

import importlib
import os

from flask import Flask, g, request

from forum.config import CONFIGS, DEV_SECRET_KEY
from forum.http import IdConverter

# Each feature package exposes ``bp`` and ``ROUTE_MODULES``; the order is the order of URL
# rules, nothing more.
BLUEPRINTS = (
    "ops", "home", "auth", "users", "groups", "discussions", "files", "moderation", "volunteering",
    "notifications", "events", "articles", "search",
)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__, instance_relative_config=True,
        template_folder="../templates", static_folder="../static",
        instance_path=(test_config or {}).get("INSTANCE_PATH") or os.environ.get(
            "FORUM_INSTANCE_PATH"),
    )
    # Ids in URLs stay in the database's integer range (1 … 2**31-1): a 20-digit one is a 404,
    # not a 500. Installed before any blueprint adds a rule.
    app.url_map.converters["int"] = IdConverter
    _configure(app, test_config)
    _register_extensions(app)
    _register_blueprints(app)
    from forum.errors import register_errors

    register_errors(app)
    from forum.cli import register_cli

    register_cli(app)
    from forum.jinja import register_jinja

    register_jinja(app)
    from forum.ops import install_observer

    install_observer(app)  # last: the outermost WSGI layer (request ids, logs, metrics)
    return app


def _configure(app: Flask, test_config: dict | None) -> None:
    env = os.environ.get("FORUM_ENV", "development")
    if test_config and "ENV_NAME" in test_config:
        env = test_config["ENV_NAME"]
    app.config.from_object(CONFIGS.get(env, CONFIGS["development"]))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("FORUM")
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "forum.db")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config.get("STORAGE_DIR"):
        app.config["STORAGE_DIR"] = os.path.join(app.instance_path, "blobs")
    if app.config["ENV_NAME"] == "production":
        secret = app.config.get("SECRET_KEY")
        if not secret or secret == DEV_SECRET_KEY or len(str(secret)) < 32:
            raise RuntimeError(
                "Refusing to start in production without a real secret key: set FORUM_SECRET_KEY "
                "to a random string of at least 32 characters."
            )
    _check_host_cookies(app)
    from forum.ops import configure_logging
    from forum.ops.startup import refuse_unsafe_production

    configure_logging(app)
    refuse_unsafe_production(app)  # debug, an http site URL, a service that does not answer
    _trust_proxies(app)


def _check_host_cookies(app: Flask) -> None:
    # A browser silently drops a __Host- cookie that is not Secure, Path=/ and host-only: nobody
    # could sign in. Say so at start-up instead.
    for prefix, default_path in (("SESSION", None), ("REMEMBER", "/")):
        name = str(app.config.get(f"{prefix}_COOKIE_NAME") or "")
        if name.startswith("__Host-") and (
                not app.config.get(f"{prefix}_COOKIE_SECURE")
                or app.config.get(f"{prefix}_COOKIE_DOMAIN")
                or app.config.get(f"{prefix}_COOKIE_PATH", default_path) not in (None, "/")):
            raise RuntimeError(f"{prefix}_COOKIE_NAME {name} needs {prefix}_COOKIE_SECURE, "
                               f"{prefix}_COOKIE_PATH '/' and no {prefix}_COOKIE_DOMAIN.")


def _trust_proxies(app: Flask) -> None:
    """ProxyFix with the configured number of proxies per X-Forwarded-* header; none: not
    applied, so a client's own X-Forwarded-For changes nothing."""
    hops = {}
    for key in ("for", "proto", "host", "port", "prefix"):
        value = app.config.get(f"PROXY_FIX_X_{key.upper()}") or 0
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RuntimeError(f"PROXY_FIX_X_{key.upper()} must be a whole number ≥ 0.")
        hops[f"x_{key}"] = value
    if any(hops.values()):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)


def _register_extensions(app: Flask) -> None:
    from forum import models  # noqa: F401 - every model registered before anything queries
    from forum.auth import sessions  # noqa: F401 - registers the session loader
    from forum.extensions import csrf, db, login_manager, migrate
    from forum.pagecache import register_page_cache
    from forum.permissions import Permissions
    from forum.querycount import finish_request_count, start_request_count
    from forum.ratelimit import init_app as init_throttles
    from forum.search import indexer  # noqa: F401 - keeps the search index in step with writes
    from forum.search.models import include_name
    from forum.security import register_security

    register_security(app)  # first: it must see the raw body before any form parsing
    db.init_app(app)
    migrations = os.path.abspath(os.path.join(app.root_path, "..", "migrations"))
    migrate.init_app(app, db, directory=migrations, render_as_batch=True, compare_type=True,
                    include_name=include_name)
    csrf.init_app(app)
    init_throttles(app)  # throttles' counts: the database, or Redis when configured
    register_page_cache(app)  # visitors' page cache, ETags (forum/pagecache)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # sessions are server-side rows (auth/sessions.py)

    @app.before_request
    def load_permissions():
        from flask_login import current_user

        g.perms = Permissions(current_user)

    from flask_login import user_logged_in, user_logged_out

    def _new_permissions(sender, user=None, **extra):
        # Signing in or out mid-request: answer the rest of the request for the new user.
        from flask_login import current_user

        g.perms = Permissions(current_user)

    user_logged_in.connect(_new_permissions, app)
    user_logged_out.connect(_new_permissions, app)

    if app.config.get("QUERY_COUNT_HEADER"):
        @app.before_request
        def _start_count():
            g._qc = start_request_count()

        @app.after_request
        def _finish_count(response):
            if "_qc" in g:
                response.headers["X-Query-Count"] = str(finish_request_count(g.pop("_qc")))
            return response

    @app.after_request
    def _no_store_for_members(response):
        # Pages for a signed-in member must not be cached by shared caches.
        if request.cookies.get(app.config.get("SESSION_COOKIE_NAME", "session")):
            response.headers.setdefault("Cache-Control", "private, no-cache")
        return response


def _register_blueprints(app: Flask) -> None:
    for name in BLUEPRINTS:
        package = importlib.import_module(f"forum.{name}")
        for route_module in package.ROUTE_MODULES:
            importlib.import_module(f"forum.{name}.{route_module}")
        app.register_blueprint(package.bp)
