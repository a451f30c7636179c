from flask import Blueprint

bp = Blueprint("groups", __name__)

# Route modules: imported by create_app, not here, so importing this package (for its
# models or services) never drags in views and their imports.
ROUTE_MODULES = ("admin_views", "editor_views", "lead_views", "picture_views", "views")
