"""Every error is JSON ``{"error": {"code": ..., "message": ...}}``, whatever raised it.

An error about several items (the rows of an import) adds ``"details": [...]``. An error a
client should explain adds ``"fields": [{"field", "code", "params"}]`` (what is wrong, as a
stable code, with its limits: ``{"field": "file", "code": "too_many_rows", "params":
{"max_rows": 5000}}``); a 429 adds ``"retry_after"`` (seconds), also as the ``Retry-After``
header. No error body repeats what the client sent (a path, a value, a field name it made up).
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, Iterable, List, Mapping, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("webkit")

_CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_attempts",
    503: "unavailable",
}


class ApiError(Exception):
    """An expected failure with its HTTP status, a stable code and an English message."""

    def __init__(self, status: int, code: str, message: str, details: Optional[List[Any]] = None, *,
                 fields: Optional[List[Dict[str, Any]]] = None, retry_after: Optional[int] = None,
                 headers: Optional[Mapping[str, str]] = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.fields = fields
        self.retry_after = retry_after
        self.headers = dict(headers or {})
        if retry_after is not None:
            self.headers["Retry-After"] = str(retry_after)

    def body(self) -> Dict[str, Any]:
        """The ``error`` object of the response."""
        error: Dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields is not None:
            error["fields"] = self.fields
        if self.retry_after is not None:
            error["retry_after"] = self.retry_after
        if self.details is not None:
            error["details"] = self.details
        return error

    def response(self) -> JSONResponse:
        return JSONResponse({"error": self.body()}, status_code=self.status, headers=self.headers or None)


def field_error(field: str, code: str, **params: Any) -> Dict[str, Any]:
    """One entry of ``fields``: ``field`` is ours (``body``, ``file``, ``Host``), never the client's text."""
    return {"field": field, "code": code, "params": params}


def too_many_attempts(message: str, retry_after: int) -> ApiError:
    return ApiError(429, "too_many_attempts", message, retry_after=max(1, int(retry_after)))


def too_large(field: str, code: str, message: str, **params: Any) -> ApiError:
    return ApiError(413, "payload_too_large", message, fields=[field_error(field, code, **params)])


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "validation_error", f"{field}: {message}")


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


def conflict(message: str) -> ApiError:
    return ApiError(409, "conflict", message)


def error_response(status: int, code: str, message: str, headers: Any = None,
                   details: Optional[List[Any]] = None) -> JSONResponse:
    error: dict = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=status, headers=headers)


_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")


def _field_name(loc: Iterable[Any]) -> str:
    # A key the client made up (an extra field, a dictionary key) is not repeated as given.
    parts = [str(part) if _NAME.fullmatch(str(part)) else "?" for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        where, parts = parts[0], parts[1:]
    else:
        where = "body"
    return ".".join(parts) if parts else where


def validation_message(errors: list) -> str:
    """``phone: must be a 10-digit …; phases: must be 1 or 3`` (at most three fields)."""
    messages = []
    for error in errors[:3]:
        loc = tuple(error.get("loc", ()))
        if error.get("type") == "json_invalid":
            messages.append("body: not valid JSON")
            continue
        if loc == ("body",) and isinstance(error.get("input"), (bytes, str)):
            messages.append("body: must be a JSON object sent with Content-Type: application/json")
            continue
        text = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        if error.get("type") == "missing":
            text = "is required"
        elif error.get("type") == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
            text = "must not be empty"
        messages.append(f"{_field_name(loc)}: {text}")
    if len(errors) > 3:
        messages.append(f"and {len(errors) - 3} more")
    return "; ".join(messages)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error.response()

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(422, "validation_error", validation_message(list(error.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _CODES_BY_STATUS.get(error.status_code, "http_error")
        if error.status_code == 404:
            message = "no such endpoint"  # the path is not repeated: it is the client's text
        elif error.status_code == 405:
            message = "this method is not allowed on this endpoint"
        else:
            message = str(error.detail)
        return error_response(error.status_code, code, message, getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path[:200])
        return error_response(500, "internal_error", "the back office failed to answer; try again later")
