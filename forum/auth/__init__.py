from flask import Blueprint

from forum.security import mark_no_store

bp = Blueprint("auth", __name__, url_prefix="/auth")
# Sign-in, registration, password reset, settings, sessions: every page of this blueprint
# carries a form with the member's details or a token in its address; none may be stored.
bp.before_request(mark_no_store)

# Route modules: imported by create_app, not here, so importing this package (for its
# models or services) never drags in views and their imports.
ROUTE_MODULES = ("views",)
