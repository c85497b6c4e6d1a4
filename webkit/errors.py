"""One error contract for our web services (the web app, the back-office sandbox, later the gateway):
every error is JSON ``{"error": {...}}``, whatever raised it, with

- ``code``: what went wrong, a stable identifier (``not_found``, ``validation_error``,
  ``too_many_attempts``, ``account_disabled``, ``csrf_failed``…): what a client decides by;
- ``message``: technical English for developers and logs; clients never parse it;
- ``fields`` (when the error is about parts of the request): ``[{"field", "code", "params"}]``, one
  entry per offending field, in order: the field (ours: ``question``, ``body``, ``file``, ``Host``,
  ``Content-Type``), what is wrong with it as a stable code (FIELD_CODES, or a service's own such as
  ``invalid_phone``), and that code's parameters (``{"max_length": 2000}``); every 422 has it;
- ``details`` (an error about several items, the rows of an import): ``[{"row", "field", "code",
  "params", "message"}]``;
- ``retry_after`` (429, 503): seconds, also as the ``Retry-After`` header.

Pages choose the words they show by ``code`` and the fields' ``field``/``code``/``params``
(webkit/static/js/errors.js for ours, in Vietnamese). No error body repeats what the client sent
(a path, a value, a field name it made up). The whole contract: docs/errors.md.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Collection, Dict, Iterable, List, Mapping, Optional

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

# Field codes every service shares (a service may add its own, e.g. the back office's invalid_phone).
MISSING = "missing"            # required and absent; {"alternatives": [...]} when one of several is required
BLANK = "blank"                # empty or only spaces
TOO_LONG = "too_long"          # {"max_length": n} characters
TOO_LARGE = "too_large"        # {"max_bytes": n}: a body or a file
INVALID = "invalid"            # anything else: {"type": "string"|"list"}, {"min": n}, {"max": n}, {"character": "U+0000"}
NOT_ALLOWED = "not_allowed"    # not one of the accepted values: {"allowed": [...]} when they may be told
UNSUPPORTED = "unsupported"    # a content type: {"expected": "application/json"}
TAKEN = "taken"                # already used by another item (an entry's id)
STALE = "stale"                # a version that is no longer the current one: {"current": n}
DUPLICATE = "duplicate"        # given twice in one request: {"row": n}, the first time
FIELD_CODES = (MISSING, BLANK, TOO_LONG, TOO_LARGE, INVALID, NOT_ALLOWED, UNSUPPORTED, TAKEN, STALE, DUPLICATE)
# Error type of a model check "one of these fields is required": the field code is MISSING.
ONE_OF_REQUIRED = "one_of_required"
_BOUNDS = {"greater_than_equal": ("ge", "min"), "less_than_equal": ("le", "max")}


class ApiError(Exception):
    """An expected failure with its HTTP status, a stable code and an English message (see the module)."""

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


def field_error(field: str, code: str = INVALID, **params: Any) -> Dict[str, Any]:
    """One entry of ``fields``: ``field`` is ours (``body``, ``file``, ``Host``), never the client's text."""
    return {"field": field, "code": code, "params": params}


def too_many_attempts(message: str, retry_after: int) -> ApiError:
    return ApiError(429, "too_many_attempts", message, retry_after=max(1, int(retry_after)))


def too_large(field: str, code: str, message: str, **params: Any) -> ApiError:
    return ApiError(413, "payload_too_large", message, fields=[field_error(field, code, **params)])


def invalid(field: str, message: str, code: str = INVALID, **params: Any) -> ApiError:
    """422 for one field: ``message`` is technical English (``field: message``), ``code`` and ``params`` what
    a client explains."""
    return ApiError(422, "validation_error", f"{field}: {message}", fields=[field_error(field, code, **params)])


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


def conflict(message: str, field: Optional[str] = None, code: str = TAKEN, **params: Any) -> ApiError:
    """409; with ``field``, what about it conflicts (``taken``, ``stale``) in ``fields``."""
    return ApiError(409, "conflict", message,
                    fields=[field_error(field, code, **params)] if field is not None else None)


def error_response(status: int, code: str, message: str, headers: Any = None,
                   details: Optional[List[Any]] = None,
                   fields: Optional[List[Dict[str, Any]]] = None) -> JSONResponse:
    error: dict = {"code": code, "message": message}
    if fields is not None:
        error["fields"] = fields
    if details is not None:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=status, headers=headers)


# --- request validation (pydantic's errors) ------------------------------------------------------

_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")
_LOCATIONS = ("body", "query", "path", "header")


def _field_name(loc: Iterable[Any]) -> str:
    # A key the client made up (an extra field, a dictionary key) is not repeated as given.
    parts = [str(part) if _NAME.fullmatch(str(part)) else "?" for part in loc]
    if parts and parts[0] in _LOCATIONS:
        where, parts = parts[0], parts[1:]
    else:
        where = "body"
    return ".".join(parts) if parts else where


def safe(error: dict) -> dict:
    """The error without the request's input: its value dropped, a field name that is not a plain
    identifier (an unknown key made of anything) reported as its parent (the body itself at the top)."""
    loc = tuple(error.get("loc", ()))
    safe_loc = []
    for position, part in enumerate(loc):
        if isinstance(part, int) or (position == 0 and part in _LOCATIONS) or (
                isinstance(part, str) and _PLAIN_NAME.fullmatch(part)):
            safe_loc.append(part)
        else:
            break  # the rest of the path is named by its parent
    cleaned = {key: value for key, value in error.items() if key not in ("input", "url")}
    cleaned["loc"] = tuple(safe_loc) or ("body",)
    if isinstance(error.get("input"), (bytes, str)):
        cleaned["input"] = ""  # only its type is read (a body that is text, not an object)
    return cleaned


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


def field_of(error: dict, custom_codes: Collection[str] = ()) -> Dict[str, Any]:
    """The ``fields`` entry of one (safe) pydantic error. A validator raising PydanticCustomError with a
    type in ``custom_codes`` (or FIELD_CODES) gives that code, its context as the params."""
    kind, context = error.get("type"), error.get("ctx") or {}
    if kind == "json_invalid":
        return field_error("body", INVALID)
    field = context.get("field") or _field_name(error.get("loc", ()))  # a model check names its field
    if kind in FIELD_CODES or kind in custom_codes or kind == ONE_OF_REQUIRED:
        params = {k: v for k, v in context.items() if k != "field"}
        return field_error(field, MISSING if kind == ONE_OF_REQUIRED else kind, **params)
    if kind == "missing":
        return field_error(field, MISSING)
    if kind in _BOUNDS:
        bound, name = _BOUNDS[kind]
        return field_error(field, INVALID, **{name: context.get(bound)})
    if kind == "string_too_long":
        return field_error(field, TOO_LONG, max_length=context.get("max_length"))
    if kind == "string_too_short" and context.get("min_length") == 1:
        return field_error(field, BLANK)
    return field_error(field, INVALID)


def fields_of(errors: List[dict], custom_codes: Collection[str] = ()) -> List[Dict[str, Any]]:
    """One entry per offending field (the first problem of each), in order."""
    found: Dict[str, Dict[str, Any]] = {}
    for error in errors:
        entry = field_of(error, custom_codes)
        found.setdefault(entry["field"], entry)
    return list(found.values())


def validation_response(errors: list, custom_codes: Collection[str] = ()) -> JSONResponse:
    """The 422 of a RequestValidationError: its message and ``fields``, nothing of the input."""
    cleaned = [safe(e) for e in errors]
    return error_response(422, "validation_error", validation_message(cleaned),
                          fields=fields_of(cleaned, custom_codes))


def install(app: FastAPI, custom_codes: Collection[str] = ()) -> None:
    """The handlers of the contract; ``custom_codes``: the service's own field codes (raised by its validators)."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error.response()

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, error: RequestValidationError) -> JSONResponse:
        return validation_response(list(error.errors()), custom_codes)

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
        return error_response(500, "internal_error", "the service failed to answer; try again later")
