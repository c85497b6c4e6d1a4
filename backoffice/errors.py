"""Errors the assistant can explain: webkit's ``{"error": {"code", "message"}}`` plus

- on 422, ``fields``: each offending field with what is wrong, as a stable code
  (FIELD_CODES) and its parameters (``{"max_length": 4000}``);
- on 429, ``retry_after`` (seconds), also in the ``Retry-After`` header.

No error echoes what the request sent: not its path, not its values, not an unknown field's
name unless it is a plain identifier (``[A-Za-z_][A-Za-z0-9_]{0,39}``).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from webkit.errors import _CODES_BY_STATUS, ApiError, _field_name, validation_message

INVALID_PHONE, MISSING, TOO_LONG, BLANK, INVALID = "invalid_phone", "missing", "too_long", "blank", "invalid"
FIELD_CODES = (INVALID_PHONE, MISSING, TOO_LONG, BLANK, INVALID)
# Error type of a model check "one of these fields is required": the field code is MISSING
# (a pydantic "missing" would be worded "is required" alone in the message).
ONE_OF_REQUIRED = "one_of_required"
_BOUNDS = {"greater_than_equal": ("ge", "min"), "less_than_equal": ("le", "max")}


class ApiProblem(ApiError):
    """An ApiError with more members in its error object, and response headers."""

    def __init__(self, status: int, code: str, message: str, extra: Dict[str, Any],
                 headers: Optional[Dict[str, str]] = None) -> None:
        super().__init__(status, code, message)
        self.extra = extra
        self.headers = headers


def field_error(field: str, code: str = INVALID, **params: Any) -> Dict[str, Any]:
    return {"field": field, "code": code, "params": params}


def invalid(field: str, message: str, code: str = INVALID, **params: Any) -> ApiProblem:
    """422 for one field: ``message`` is technical English, ``code`` what the assistant explains."""
    return ApiProblem(422, "validation_error", f"{field}: {message}", {"fields": [field_error(field, code, **params)]})


def too_many_attempts(message: str, retry_after: int) -> ApiProblem:
    return ApiProblem(429, "too_many_attempts", message, {"retry_after": retry_after},
                      {"Retry-After": str(retry_after)})


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")
_LOCATIONS = ("body", "query", "path", "header")
# What the framework says for these, without the path (which may hold a phone or a code).
_HTTP_MESSAGES = {404: "no such endpoint", 405: "method not allowed on this path"}


def _safe(error: dict) -> dict:
    """The error without the request's input: its value dropped, a field name that is not a
    plain identifier (an unknown key made of anything) reported as the body itself."""
    loc = tuple(error.get("loc", ()))
    safe_loc = []
    for position, part in enumerate(loc):
        if isinstance(part, int) or (position == 0 and part in _LOCATIONS) or (
                isinstance(part, str) and _PLAIN_NAME.fullmatch(part)):
            safe_loc.append(part)
        else:
            break  # the rest of the path is named by its parent
    safe = {key: value for key, value in error.items() if key not in ("input", "url")}
    safe["loc"] = tuple(safe_loc) or ("body",)
    if isinstance(error.get("input"), (bytes, str)):
        safe["input"] = ""  # only its type is read (a body that is text, not an object)
    return safe


def _field_error(error: dict) -> Dict[str, Any]:
    kind, context = error.get("type"), error.get("ctx") or {}
    if kind == "json_invalid":
        return field_error("body", INVALID)
    field = context.get("field") or _field_name(error.get("loc", ()))  # a model check names its field
    if kind in FIELD_CODES or kind == ONE_OF_REQUIRED:  # raised by our validators (schemas.py)
        params = {k: v for k, v in context.items() if k != "field"}
        return field_error(field, MISSING if kind == ONE_OF_REQUIRED else kind, **params)
    if kind in _BOUNDS:
        bound, name = _BOUNDS[kind]
        return field_error(field, INVALID, **{name: context.get(bound)})
    if kind == "string_too_long":
        return field_error(field, TOO_LONG, max_length=context.get("max_length"))
    if kind == "string_too_short" and context.get("min_length") == 1:
        return field_error(field, BLANK)
    return field_error(field, INVALID)


def fields_of(errors: List[dict]) -> List[Dict[str, Any]]:
    """One entry per offending field (the first problem of each), in order."""
    found: Dict[str, Dict[str, Any]] = {}
    for error in errors:
        entry = _field_error(error)
        found.setdefault(entry["field"], entry)
    return list(found.values())


def _response(status: int, code: str, message: str, extra: Dict[str, Any],
              headers: Optional[Dict[str, str]] = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """After webkit.errors.install: these handlers replace its 422 and HTTP ones (nothing of the
    request repeated) and add ApiProblem."""

    @app.exception_handler(ApiProblem)
    async def _problem(_request: Request, problem: ApiProblem) -> JSONResponse:
        return _response(problem.status, problem.code, problem.message, problem.extra, problem.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [_safe(e) for e in error.errors()]
        return _response(422, "validation_error", validation_message(errors), {"fields": fields_of(errors)})

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        carried = getattr(error, "error", None)  # webkit's ApiHTTPException carries an ApiError
        if isinstance(carried, ApiProblem):
            return _response(carried.status, carried.code, carried.message, carried.extra, carried.headers)
        if isinstance(carried, ApiError) and hasattr(carried, "response"):
            return carried.response()
        status = error.status_code
        message = _HTTP_MESSAGES.get(status) or ("the request could not be read" if status == 400 else "request refused")
        return _response(status, _CODES_BY_STATUS.get(status, "http_error"), message, {},
                         getattr(error, "headers", None))
