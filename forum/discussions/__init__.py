from flask import Blueprint

bp = Blueprint("discussions", __name__)

from forum.discussions import views  # noqa: E402,F401
