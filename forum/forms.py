"""Form pieces every feature shares."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """An empty form for POST-only buttons: it carries the CSRF token and nothing else."""
