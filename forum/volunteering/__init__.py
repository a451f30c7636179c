from flask import Blueprint

bp = Blueprint("volunteering", __name__, url_prefix="/get-involved")

# Route modules: imported by create_app, not here, so importing this package (for its
# models or services) never drags in views and their imports.
ROUTE_MODULES = ("views", "views_manage", "views_review")
