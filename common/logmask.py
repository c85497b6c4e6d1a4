"""Phone numbers never reach a log in full: they are masked to their last 3 digits.

Vietnamese numbers as people and URLs write them: mobiles ``0903123456``, ``+84 903 123 456``,
``84903123456``, ``0903.123.456``; landlines ``024 3825 1234``, ``(028) 3823 4567``,
``+84 24 3825 1234``; in a query string also percent-encoded (``%2B84%20903%20123%20456``) or with
``+`` for spaces. Each becomes ``*******456``: the last 3 digits only, so that a log never holds
the last 4 digits the back office checks a caller's identity with.

Install once per process, as early as possible (before any logging happens)::

    from common import logmask
    logmask.install()

``install()`` wraps the process's log record factory: every record of every logger (uvicorn's
access log, which logs the path with its query string, Sanic's, Rasa's, ours) has its message,
its arguments, its exception text and its stack text masked when it is created, whatever the
handlers and formatters configured later (uvicorn's and Sanic's logging configurations replace
handlers, not the record factory). ``PhoneMaskFilter`` does the same as a ``logging.Filter``,
for a handler of a logging configuration (``{"()": "common.logmask.PhoneMaskFilter"}``).

Standard library only: imported by the Rasa runtime (Python 3.10) and the services (3.11).
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any, Callable, Optional

KEEP = 3  # digits left visible at the end of a number

# A separator between digits: space, dot, dash, "+" (a space in a query string), or their
# percent-encodings; at most one between two digits.
_SEP = r"(?:[ .\-+]|%20|%2[bB]|%2[eE]|%2[dD])?"
# The same, possibly after the ")" closing an area code.
_SEPP = r"(?:\)?" + _SEP + r")"
# Not glued to a word or a longer number before it (a %XX escape may come right before).
_BEFORE = r"(?:(?<![\w])|(?<=%[0-9A-Fa-f]{2}))"
_INTL = r"(?:(?:\+|%2[bB])[ ]?)?84"

_PHONE_RE = re.compile(
    _BEFORE + r"(?:"
    # mobile: 0 or +84/84, then 3/5/7/8/9 and 8 more digits (10 digits with the 0)
    + rf"(?:{_INTL}|0){_SEP}[35789](?:{_SEP}\d){{8}}"
    # landline: 0 or +84/84, then the area code (2x or 2xx, maybe in parentheses) and the
    # subscriber number, 11 digits with the 0
    + rf"|(?:{_INTL}{_SEP}\(?|\(?0)2(?:{_SEPP}\d){{9}}"
    + r")(?!\d)"
)
_NOT_DIGITS = re.compile(r"%2[bBdDeE]|%20|\D")


def _mask_match(match: "re.Match[str]") -> str:
    digits = _NOT_DIGITS.sub("", match.group(0))
    return "*" * (len(digits) - KEEP) + digits[-KEEP:]


def mask(text: str) -> str:
    """``text`` with every phone number in it masked to its last 3 digits."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    return _PHONE_RE.sub(_mask_match, text)


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, (bytes, bytearray)):
        try:
            text = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return value
        masked = mask(text)
        return value if masked == text else masked.encode("utf-8")
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    # Anything else is formatted with str() by the message: mask what it will print.
    try:
        text = str(value)
    except Exception:  # noqa: BLE001 - a broken __str__ is the formatter's problem, not ours
        return value
    masked = mask(text)
    return value if masked == text else masked


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Masks the record in place (message, arguments, exception and stack text) and returns it."""
    if isinstance(record.msg, str):
        record.msg = mask(record.msg)
    elif record.msg is not None and not isinstance(record.msg, (int, float)):
        text = str(record.msg)
        masked = mask(text)
        if masked != text:
            record.msg = masked
    args = record.args
    if isinstance(args, tuple):
        record.args = tuple(_mask_value(arg) for arg in args)
    elif isinstance(args, dict):
        record.args = {key: _mask_value(value) for key, value in args.items()}
    if record.exc_info and not record.exc_text:
        record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    return record


class PhoneMaskFilter(logging.Filter):
    """A filter that masks phone numbers in every record it sees (and drops none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


_installed_lock = threading.Lock()
_installed: Optional[Callable[..., logging.LogRecord]] = None


def install() -> None:
    """Masks every log record this process creates from now on (idempotent)."""
    global _installed
    with _installed_lock:
        current = logging.getLogRecordFactory()
        if _installed is not None and current is _installed:
            return

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return mask_record(current(*args, **kwargs))

        factory.masks_phones = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)
        _installed = factory


def installed() -> bool:
    return bool(getattr(logging.getLogRecordFactory(), "masks_phones", False))
