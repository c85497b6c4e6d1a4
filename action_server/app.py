"""rasa-sdk's action server with the checks it lacks.

rasa-sdk's ``create_app`` trusts every request: no credential, any ``Host``, any
content type (so a web page could post a forged tracker), CORS open to every origin,
deflate bodies of any size, and a 500 that echoes the whole request body. Here:

- ``/webhook`` and ``/actions`` need the shared secret Rasa sends in ``X-Action-Token``
  (``ACTION_SERVER_TOKEN``, endpoints.yml), compared in constant time; 401 otherwise;
- the ``Host`` must be one of ours (DNS rebinding); 400 otherwise;
- a POST is ``application/json`` without ``Content-Encoding`` (415) and its body a JSON
  object (400), at most ``MAX_BODY_BYTES`` (Sanic answers 413);
- no CORS origin is allowed; errors answer a stable ``code`` and never echo the input.

Who may call whom is in docs/security.md.
"""

from __future__ import annotations

import hmac
import logging
from typing import Iterable, Optional

from sanic import Sanic, response
from sanic.request import Request

from rasa_sdk.endpoint import create_app

from rasa_server.guards import error, foreign_host, json_of, refused_body

logger = logging.getLogger("action_server")

TOKEN_HEADER = "X-Action-Token"
# A tracker is sent whole with every call and grows with the conversation: a long
# conversation (100 turns) is ~300 KB, so 2 MB leaves room and still bounds the cost.
MAX_BODY_BYTES = 2 * 1024 * 1024
OPEN_PATHS = {"/health"}


def create(token: str, allowed_hosts: Iterable[str], package: str = "actions") -> Sanic:
    if not token:
        raise ValueError("ACTION_SERVER_TOKEN is not set: the action server would accept anyone")
    hosts = {h.lower() for h in allowed_hosts}
    app = create_app(package, cors_origins=[])
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

    async def guard(request: Request) -> Optional[response.HTTPResponse]:
        refused = foreign_host(request, hosts)
        if refused or request.path in OPEN_PATHS:
            return refused
        given = request.headers.get(TOKEN_HEADER, "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            return error(401, "unauthorized")
        if request.method != "POST":
            return None
        refused = refused_body(request, MAX_BODY_BYTES)
        if refused:
            return refused
        if request.headers.get("content-encoding", "identity").lower() != "identity":
            return error(415, "unsupported_content_encoding")
        refused, body = json_of(request)
        if refused:
            return refused
        return None if isinstance(body, dict) else error(400, "body_not_an_object")

    async def on_error(request: Request, exception: Exception) -> response.HTTPResponse:
        status = getattr(exception, "status_code", 500) or 500
        if status >= 500:
            logger.error("action server error on %s %s", request.method, request.path, exc_info=exception)
            return error(500, "internal_error")
        return error(status, "request_refused")

    app.register_middleware(guard, "request")
    app.error_handler.add(Exception, on_error)
    return app
