from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")

# Route modules: imported by create_app, not here, so importing this package (for its
# models or services) never drags in views and their imports.
ROUTE_MODULES = ("views", "views_rsvp", "views_ical", "views_recordings")
