"""ASGI middleware that answers before routing, in this order: Host header check, API key
check, JSON content type of a body, request body size limit.

Each answers with the API's JSON error shape, and none echoes what the request sent.
"""

from __future__ import annotations

import hmac
from typing import FrozenSet, Iterable, List, Optional

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from webkit.errors import error_response

API_KEY_HEADER = "X-API-Key"
_API_KEY_HEADER_RAW = API_KEY_HEADER.lower().encode("ascii")  # ASGI header names are lower case


def _header(scope: Scope, name: bytes) -> Optional[bytes]:
    return next((value for key, value in scope["headers"] if key == name), None)


def host_name(host_header: bytes) -> Optional[str]:
    """``b"127.0.0.1:8100"`` -> ``"127.0.0.1"``, ``b"[::1]:8100"`` -> ``"::1"``; None if malformed."""
    try:
        text = host_header.decode("ascii").strip().lower()
    except UnicodeDecodeError:
        return None
    if text.startswith("["):
        name, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return name
    name, colon, port = text.partition(":")
    if colon and not port.isdigit():
        return None
    return name or None


class HostCheckMiddleware:
    """400 unless the Host header names one of ``allowed`` (any port): a page of another site
    whose name was made to resolve to 127.0.0.1 (DNS rebinding) is refused."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed: FrozenSet[str] = frozenset(name.lower() for name in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            hosts = [value for key, value in scope["headers"] if key == b"host"]
            if len(hosts) != 1 or host_name(hosts[0]) not in self.allowed:
                response = error_response(400, "bad_request", "the Host header does not name this service")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _is_json(content_type: Optional[bytes]) -> bool:
    if content_type is None:
        return False
    media_type = content_type.split(b";", 1)[0].strip().lower()
    return media_type == b"application/json" or (media_type.startswith(b"application/")
                                                  and media_type.endswith(b"+json"))


class JsonBodyMiddleware:
    """415 for a request with a body whose Content-Type is not JSON (``text/plain``, a form,
    none): a browser sends those to any site without asking, JSON it does not."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = _header(scope, b"content-length")
            has_body = _header(scope, b"transfer-encoding") is not None or (
                length is not None and length.strip() not in (b"0", b""))
            if has_body and not _is_json(_header(scope, b"content-type")):
                response = error_response(415, "unsupported_media_type",
                                          "request bodies must be JSON sent with Content-Type: application/json")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class ApiKeyMiddleware:
    """401 on every path under ``prefix`` unless X-API-Key equals the key (constant-time comparison)."""

    def __init__(self, app: ASGIApp, api_key: str, prefix: str = "/v1") -> None:
        self.app = app
        self.api_key = api_key.encode("utf-8")
        self.prefix = prefix

    def _protected(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + "/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._protected(scope["path"]):
            given = _header(scope, _API_KEY_HEADER_RAW)
            if given is None or not hmac.compare_digest(given, self.api_key):
                message = "missing X-API-Key header" if given is None else "invalid API key"
                response = error_response(401, "unauthorized", message, {"WWW-Authenticate": "X-API-Key"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """413 for request bodies over ``max_bytes``; smaller bodies are buffered and passed on."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> ASGIApp:
        return error_response(413, "payload_too_large", f"request body over {self.max_bytes} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is None and _header(scope, b"transfer-encoding") is None:
            await self.app(scope, receive, send)  # no body
            return
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._too_large()(scope, receive, send)
            return
        chunks: List[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large()(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
