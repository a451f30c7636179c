from flask import Blueprint

bp = Blueprint("discussions", __name__)

# Route modules: imported by create_app, not here, so importing this package (for its
# models or services) never drags in views and their imports.
ROUTE_MODULES = ("views", "views_write", "group_views", "feed")
