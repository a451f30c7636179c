"""Logging as the configuration says: ``LOG_FORMAT`` "json" (production) or "text".

In json mode the "forum" loggers (the app's own, ``forum.requests`` and every module's
``logging.getLogger(__name__)``) write one JSON object per line to standard error, where
gunicorn, systemd or the container runtime collect it: ``time``, ``level``, ``logger``,
``message``, the ``request_id`` of the request being answered (if any), an exception's
traceback as ``exc``, and for ``forum.requests`` the request's fields (observe.py). In text
mode nothing changes (Flask's handler, or what the host configured); ``forum.requests`` still
logs at INFO, readable as one line per request.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from flask import Flask, has_request_context, request
from flask.logging import default_handler

HANDLER_NAME = "forum-json"
REQUEST_ID = "forum.request_id"  # the WSGI environ key the observer keeps the id under
REQUEST_FIELDS = "forum_request"  # the LogRecord attribute with a request line's fields
FORMATS = ("json", "text")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, REQUEST_FIELDS, None)
        if fields:
            line.update(fields)
        elif has_request_context():
            line["request_id"] = request.environ.get(REQUEST_ID)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    fmt = str(app.config.get("LOG_FORMAT") or "text").lower()
    if fmt not in FORMATS:
        raise RuntimeError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {fmt!r}.")
    logging.getLogger("forum.requests").setLevel(logging.INFO)
    logger = logging.getLogger("forum")  # app.logger: Flask names it after the app
    if fmt != "json":  # one app per process: the last one built decides
        for handler in [h for h in logger.handlers if h.get_name() == HANDLER_NAME]:
            logger.removeHandler(handler)
        return
    handler = next((h for h in logger.handlers if h.get_name() == HANDLER_NAME), None)
    if handler is None:  # one handler per process, however many apps are built
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(HANDLER_NAME)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.removeHandler(default_handler)  # its text lines would double ours
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)


def json_handler() -> logging.Handler | None:
    """The json mode's handler (tests point it at a buffer)."""
    return next((h for h in logging.getLogger("forum").handlers
                 if h.get_name() == HANDLER_NAME), None)
