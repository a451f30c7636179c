from flask import Blueprint

bp = Blueprint("volunteering", __name__, url_prefix="/get-involved")

from forum.volunteering import views, views_manage, views_review  # noqa: E402,F401
