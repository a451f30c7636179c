"""Extensions as uninitialised singletons; ``create_app`` wires them to the app."""

from __future__ import annotations

from flask_caching import Cache
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from forum.csrf import ForumCSRFProtect
from forum.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = ForumCSRFProtect()  # expiring tokens that give a long post back (forum/csrf.py)
# Visitors' pages (forum.pagecache wires it: Redis when REDIS_URL is set, else this process).
# Without the Jinja tag: no template can put a fragment into the shared store.
page_cache = Cache(with_jinja2_ext=False)
# Rendered pieces of pages, members' included, in this process only (forum.pagecache.fragments):
# the store behind the templates' ``{% cache %}`` tag.
fragment_cache = Cache()
# A member's own pages, in this process only, under the same digest as the page's ETag
# (forum.pagecache.pages): a page its tag says is unchanged is answered from the copy.
member_page_cache = Cache(with_jinja2_ext=False)
