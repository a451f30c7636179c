from flask import Blueprint

from forum.home.urls import url_format

bp = Blueprint("home", __name__)

# For list templates (the home page's blocks and others): one URL pattern per list instead of
# a url_for per item. A template global, so it is there for every template that is rendered.
bp.add_app_template_global(url_format, "url_format")

# Route modules: imported by create_app, not here, so importing this package (for its
# models or services) never drags in views and their imports.
ROUTE_MODULES = ("views",)
