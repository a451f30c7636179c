"""The section's home page: what's happening."""

from __future__ import annotations

from flask import render_template

from forum.home import bp


@bp.route("/")
def index():
    return render_template("home/index.html")
