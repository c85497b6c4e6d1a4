"""ASGI middleware that answers before routing, with the JSON error shape of webkit.errors:

- ``HostGuard``: the ``Host`` header must name this service (DNS rebinding: a page on another
  site whose name resolves to 127.0.0.1 sends its own name), else 400;
- ``BodyLimit``: request bodies over a size (per path prefix) get 413, whether the size is
  declared (``Content-Length``: refused before reading) or streamed (chunked: read up to the
  limit, then handed on whole);
- ``JsonOnly``: a request with a body must send it as ``application/json`` (or ``*/*+json``),
  or as ``multipart/form-data`` on the upload paths, else 415. A browser can send
  ``text/plain`` or a form to any site without asking first; never JSON.

None of the answers repeats what the client sent.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from webkit.errors import ApiError, field_error, too_large

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def header(scope: Scope, name: bytes) -> Optional[bytes]:
    return next((value for key, value in scope.get("headers", ()) if key == name), None)


def host_name(value: str) -> str:
    """``Host`` without its port, lower case: ``[::1]:8000`` -> ``::1``, ``LocalHost:80`` -> ``localhost``."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[1:end] if end > 0 else ""
    name, colon, port = value.rpartition(":")
    if not colon:
        name = value
    elif not port.isdigit():
        return ""
    return name.rstrip(".")


def _has_body(scope: Scope) -> bool:
    length = header(scope, b"content-length")
    if length is not None:
        return length.strip() not in (b"", b"0")
    return header(scope, b"transfer-encoding") is not None


def _path_matches(path: str, prefixes: Iterable[str]) -> bool:
    return any(path == prefix or path.startswith(prefix.rstrip("/") + "/") for prefix in prefixes)


class HostGuard:
    """400 unless the Host header (port left aside) is one of ``allowed`` (compared in lower case)."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(name.strip().lower().strip("[]") for name in allowed if name.strip())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            raw = header(scope, b"host")
            name = host_name(raw.decode("latin-1")) if raw is not None else ""
            if name not in self.allowed:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                error = ApiError(400, "bad_request", "the Host header does not name this service",
                                 fields=[field_error("Host", "not_allowed")])
                await error.response()(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyLimit:
    """413 for a request body over ``max_bytes``, or over ``limits[prefix]`` for paths under a prefix."""

    def __init__(self, app: ASGIApp, max_bytes: int, limits: Optional[Dict[str, int]] = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limits = dict(limits or {})

    def limit_for(self, path: str) -> Tuple[int, str]:
        for prefix, limit in self.limits.items():
            if _path_matches(path, [prefix]):
                return limit, "file"
        return self.max_bytes, "body"

    @staticmethod
    def error(limit: int, field: str) -> ApiError:
        return too_large(field, "too_large", f"the request body is larger than {limit} bytes", max_bytes=limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, field = self.limit_for(scope["path"])
        declared = header(scope, b"content-length")
        if declared is not None:
            # The server reads exactly Content-Length bytes (h11 refuses more): checking it is enough.
            if not declared.strip().isdigit() or int(declared) > limit:
                await self.error(limit, field).response()(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        if header(scope, b"transfer-encoding") is None:
            await self.app(scope, receive, send)  # no body
            return
        # A streamed (chunked) body: read up to the limit here, then handed on whole.
        chunks: List[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self.error(limit, field).response()(scope, receive, send)
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


class JsonOnly:
    """415 for a request body that is not JSON (``multipart/form-data`` on ``form_paths``)."""

    def __init__(self, app: ASGIApp, form_paths: Iterable[str] = ()) -> None:
        self.app = app
        self.form_paths = tuple(form_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in BODY_METHODS and _has_body(scope):
            given = (header(scope, b"content-type") or b"").decode("latin-1").split(";")[0].strip().lower()
            if _path_matches(scope["path"], self.form_paths):
                ok, wanted = given == "multipart/form-data", "multipart/form-data"
            else:
                kind, _, subtype = given.partition("/")
                ok, wanted = kind == "application" and (subtype == "json" or subtype.endswith("+json")), \
                    "application/json"
            if not ok:
                error = ApiError(415, "unsupported_media_type", f"send the body with Content-Type: {wanted}",
                                 fields=[field_error("Content-Type", "unsupported", expected=wanted)])
                await error.response()(scope, receive, send)
                return
        await self.app(scope, receive, send)
