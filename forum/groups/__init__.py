from flask import Blueprint

bp = Blueprint("groups", __name__)

from forum.groups import admin_views, lead_views, views  # noqa: E402,F401
