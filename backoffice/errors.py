"""Errors the assistant can explain: the error contract of our web services (webkit.errors,
docs/errors.md), with the back office's field codes:

- on 422, ``fields``: each offending field with what is wrong, as a stable code
  (FIELD_CODES: the shared ones it uses, and its own ``invalid_phone``) and its parameters
  (``{"max_length": 4000}``);
- on 429, ``retry_after`` (seconds), also in the ``Retry-After`` header.

No error echoes what the request sent: not its path, not its values, not an unknown field's
name unless it is a plain identifier (``[A-Za-z_][A-Za-z0-9_]{0,39}``).
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from webkit.errors import _CODES_BY_STATUS, BLANK, INVALID, MISSING, ONE_OF_REQUIRED, TOO_LONG, ApiError, \
    validation_response

INVALID_PHONE = "invalid_phone"
FIELD_CODES = (INVALID_PHONE, MISSING, TOO_LONG, BLANK, INVALID)
__all__ = ["FIELD_CODES", "INVALID_PHONE", "MISSING", "TOO_LONG", "BLANK", "INVALID", "ONE_OF_REQUIRED",
           "ApiProblem", "field_error", "invalid", "too_many_attempts", "install"]


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


# What the framework says for these, without the path (which may hold a phone or a code).
_HTTP_MESSAGES = {404: "no such endpoint", 405: "method not allowed on this path"}


def _response(status: int, code: str, message: str, extra: Dict[str, Any],
              headers: Optional[Dict[str, str]] = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """After webkit.errors.install: these handlers give the back office's field codes on 422 and its
    words for the HTTP errors (nothing of the request repeated), and add ApiProblem."""

    @app.exception_handler(ApiProblem)
    async def _problem(_request: Request, problem: ApiProblem) -> JSONResponse:
        return _response(problem.status, problem.code, problem.message, problem.extra, problem.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, error: RequestValidationError) -> JSONResponse:
        return validation_response(list(error.errors()), custom_codes=FIELD_CODES)

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
