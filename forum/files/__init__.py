from __future__ import annotations

from flask import Blueprint

bp = Blueprint("files", __name__)

# Route modules: imported by create_app, not here, so importing this package (for its
# models or services) never drags in views and their imports.
ROUTE_MODULES = ("folder_views", "serve", "views")
