from flask import Blueprint

bp = Blueprint("files", __name__)

from forum.files import views  # noqa: E402,F401
