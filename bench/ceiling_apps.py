"""The ceilings no forum page can beat: Flask with no database, served like the forum.

``hello_app()`` returns a word; ``jinja_app()`` renders a 20-item page through a cached Jinja
template with a layout, the least any list page of the forum does. Served by the bench as
``gunicorn -w 2 'bench.ceiling_apps:hello_app()'``.
"""

from __future__ import annotations

from flask import Flask, render_template
from jinja2 import DictLoader

LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}</title>
<link rel="stylesheet" href="/static/site.css"></head>
<body><a class="skip" href="#main">Skip to content</a>
<header><nav aria-label="Site"><a href="/">Home</a> <a href="/groups">Groups</a></nav></header>
<main id="main">{% block main %}{% endblock %}</main>
<footer><p>Ceiling page</p></footer></body></html>
"""
LIST = """{% extends "layout.html" %}
{% block title %}{{ heading }}{% endblock %}
{% block main %}<h1>{{ heading }}</h1>
<ol class="items">{% for item in items %}
  <li><a href="/g/group/t/{{ item.id }}">{{ item.title }}</a>
    <p>by {{ item.author }} · {{ item.replies }} replies · {{ item.when }}</p></li>
{% endfor %}</ol>{% endblock %}
"""
ITEMS = [{"id": n, "title": f"Discussion number {n} about library leadership",
          "author": f"Member {n}", "replies": n * 3, "when": "2026-11-22 10:00"}
         for n in range(1, 21)]


def hello_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def hello():
        return "hello"

    return app


def jinja_app() -> Flask:
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"layout.html": LAYOUT, "list.html": LIST})

    @app.get("/")
    def page():
        return render_template("list.html", heading="Latest discussions", items=ITEMS)

    return app
