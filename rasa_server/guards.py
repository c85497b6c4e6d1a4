"""HTTP guards of the Rasa server, installed by the launcher (always, unlike the speed patches).

Rasa's Sanic app accepts any ``Host`` (DNS rebinding), ``text/plain`` JSON (so a web page
could post to it), bodies up to Sanic's 100 MB, messages of any length (40,000 characters
took 6 s and 2.2 GB), and merges requests without ``sender`` into one shared conversation
``default``. The patch wraps ``rasa.server.create_app`` (the app ``rasa run --enable-api``
serves) and adds one request and one response middleware:

- ``Host`` must be one of ours, else 400;
- a POST/PUT to the channels (``/webhooks/…``), the conversations API or ``/model/parse``
  is ``application/json`` (415) and at most ``MAX_BODY_BYTES`` (Sanic's 413);
- a channel message is a JSON object (400) with a non-empty ``sender`` of at most
  ``MAX_SENDER_CHARS`` (400, never the shared ``default``) and a text ``message``;
- a message longer than ``MAX_MESSAGE_CHARS`` is cut before the NLU sees it, and the reply
  starts with a polite notice that only its beginning was read.

Errors answer ``{"code": …}`` and never echo the input. (The gateway's signed channel replaces
the open REST channel in the gateway issue; these guards stay for whatever Rasa serves.)
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterable, Optional, Set, Tuple

from rasa_server.patches import RASA_VERSION, Patch, Target

MAX_BODY_BYTES = 256 * 1024
MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 128
JSON_PATHS = ("/webhooks/", "/conversations/", "/model/parse")
CUT_NOTICE = ("Dạ, tin nhắn của Quý khách dài hơn {limit} ký tự nên em chỉ đọc được phần đầu. "
              "Nếu phần sau có thông tin quan trọng, Quý khách vui lòng gửi tiếp trong tin nhắn khác ạ.")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Shared by the action server's guards (action_server/app.py): both are Sanic apps of the Rasa runtime.


def error(status: int, code: str) -> Any:
    """An error answer: a stable code, never the input."""
    from sanic import response

    return response.json({"code": code}, status=status)


def host_of(header: str) -> str:
    """``127.0.0.1:5005`` -> ``127.0.0.1``; ``[::1]:5005`` -> ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def body_not_received(request: Any, limit: int) -> Any:
    """413 for a body declared over ``limit``; when Sanic re-runs the middleware to answer an error
    (its PayloadTooLarge for a chunked body), the body was never read: let Sanic's answer through."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return error(413, "payload_too_large")
    if not request.body and (declared not in ("", "0") or request.headers.get("transfer-encoding")):
        return error(413, "payload_too_large")
    return None


def foreign_host(request: Any, hosts: Set[str]) -> Any:
    """400 unless the ``Host`` names one of ``hosts`` (DNS rebinding)."""
    return None if host_of(request.headers.get("host") or "") in hosts else error(400, "host_not_allowed")


def refused_body(request: Any, limit: int) -> Any:
    """413 for a body over ``limit``, 415 for a body not sent as ``application/json`` (a browser
    sends ``text/plain`` to any site without asking first); None when the body may be read."""
    unread = body_not_received(request, limit)
    if unread:
        return unread
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    return None if content_type == "application/json" else error(415, "unsupported_media_type")


def json_of(request: Any) -> Tuple[Any, Any]:
    """``(error, body)``: the parsed JSON body, or the 400 for a body that is not JSON."""
    try:
        return None, json.loads(request.body or b"null")
    except ValueError:
        return error(400, "invalid_json"), None


def channel_message(body: Any) -> Optional[str]:
    """The error code of a channel message body, or None when it is acceptable."""
    if not isinstance(body, dict):
        return "body_not_an_object"
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return "sender_required"
    if not isinstance(body.get("message"), str):
        return "message_required"
    return None


def install(app: Any, allowed_hosts: Iterable[str]) -> Any:
    hosts = {h.lower() for h in allowed_hosts}
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

    async def guard(request: Any) -> Any:
        refused = foreign_host(request, hosts)
        if refused or request.method not in ("POST", "PUT") or not request.path.startswith(JSON_PATHS):
            return refused
        refused = refused_body(request, MAX_BODY_BYTES)
        if refused or not request.path.startswith("/webhooks/"):
            return refused
        refused, body = json_of(request)
        if refused:
            return refused
        problem = channel_message(body)
        if problem:
            return error(400, problem)
        message = _CONTROL.sub("", body["message"])
        if len(message) > MAX_MESSAGE_CHARS:
            request.ctx.cut_message = True
            message = message[:MAX_MESSAGE_CHARS]
        if message != body["message"]:
            body["message"] = message
            request.body = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return None

    async def notice(request: Any, response: Any) -> Any:
        if not getattr(request.ctx, "cut_message", False) or response.status != 200:
            return None
        from sanic import response as responses

        try:
            replies = json.loads(response.body)
        except (TypeError, ValueError):
            return None
        if not isinstance(replies, list):
            return None
        sender = json.loads(request.body)["sender"]
        cut = {"recipient_id": sender, "text": CUT_NOTICE.format(limit=f"{MAX_MESSAGE_CHARS:,}".replace(",", "."))}
        return responses.json([cut, *replies], status=200)

    app.register_middleware(guard, "request")
    app.register_middleware(notice, "response")
    return app


def guarded_create_app(original: Callable, allowed_hosts: Iterable[str]) -> Callable:
    hosts = tuple(allowed_hosts)

    def create_app(*args: Any, **kwargs: Any) -> Any:
        return install(original(*args, **kwargs), hosts)

    create_app.__qualname__ = "create_app"
    create_app.__doc__ = "rasa.server.create_app with the guards of rasa_server.guards."
    create_app.__wrapped__ = original  # type: ignore[attr-defined]
    return create_app


def http_guards(allowed_hosts: Iterable[str]) -> Patch:
    hosts = tuple(allowed_hosts)
    return Patch(
        name="http-guards",
        requires={"rasa": RASA_VERSION, "sanic": "21.12.2"},
        targets=(
            Target(
                module="rasa.server",
                qualname="create_app",
                signature=("(agent: Optional[ForwardRef('Agent')] = None, cors_origins: Union[str, List[str], "
                           "NoneType] = '*', auth_token: Optional[str] = None, response_timeout: int = 3600, "
                           "jwt_secret: Optional[str] = None, jwt_private_key: Optional[str] = None, "
                           "jwt_method: str = 'HS256', endpoints: Optional[rasa.core.utils.AvailableEndpoints] "
                           "= None) -> sanic.app.Sanic"),
                source_sha256="3f241a21aeb8f7272dd199de023af1233384eaa61eb11759cb4800b2a0fa52a2",
            ),
        ),
        build=lambda original: guarded_create_app(original, hosts),
    )
