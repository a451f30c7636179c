from flask import Blueprint

bp = Blueprint("users", __name__, url_prefix="/members")

from forum.users import views  # noqa: E402,F401
