"""``/metrics`` for Prometheus (``/healthz`` and ``/readyz`` are answered before Flask, by the
request observer: observe.py and health.py).

Not page-cached (the blueprint marks every answer ``no-store``; no ``@cached_page``), no session
touched, so no cookie set, and not throttled (throttles count only where a view asks).
"""

from __future__ import annotations

import hmac

from flask import abort, current_app, jsonify, request

from forum.ops import bp
from forum.ops.metrics import exposition


@bp.get("/metrics")
def metrics():
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)  # no token configured: the endpoint does not exist
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8"), str(token).encode("utf-8")):
        return jsonify(error="unauthorized"), 401, {"WWW-Authenticate": 'Bearer realm="metrics"'}
    data, content_type = exposition(current_app)
    return data, 200, {"Content-Type": content_type}
