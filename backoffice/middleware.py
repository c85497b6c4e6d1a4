"""ASGI middleware that answers before routing: API key check, request body size limit.

Both answer with the API's JSON error shape.
"""

from __future__ import annotations

import hmac
from typing import List, Optional

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from webkit.errors import error_response

API_KEY_HEADER = "X-API-Key"
_API_KEY_HEADER_RAW = API_KEY_HEADER.lower().encode("ascii")  # ASGI header names are lower case


def _header(scope: Scope, name: bytes) -> Optional[bytes]:
    return next((value for key, value in scope["headers"] if key == name), None)


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
