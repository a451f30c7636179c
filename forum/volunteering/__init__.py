from flask import Blueprint

bp = Blueprint("volunteering", __name__, url_prefix="/get-involved")

from forum.volunteering import views  # noqa: E402,F401
