from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

# Route modules: imported by create_app, not here, so importing this package (for its
# models or services) never drags in views and their imports.
ROUTE_MODULES = ("views",)
