"""CSRF protection of cookie sessions: a state change (POST, PUT, PATCH, DELETE) authenticated by the
session cookie is refused (403 ``csrf_failed``) unless

1. ``Sec-Fetch-Site``, when the browser sends it, is ``same-origin``;
2. ``Origin``, when sent, names this origin: its host and port equal the request's ``Host`` (which
   HostGuard has already checked), or it is one of the service's ``trusted_origins``;
3. ``X-CSRF-Token`` equals the session's CSRF token (webkit.accounts.sessions.csrf_token), which
   only our own page can read (from the sign-in answer or ``GET /api/auth/me``).

SameSite=Strict alone is not enough: "site" ignores the port, so a page served by any other program
on 127.0.0.1 (or any other port of the same host name) is "same-site" and its requests carry the
cookie. 1 and 2 refuse what a browser says comes from elsewhere; 3 refuses what a browser does not
label (an older browser, a plugin). Sign-in with a cookie (no session yet) is checked by 1 and 2:
another site cannot sign the admin's browser in under the attacker's account.
"""

from __future__ import annotations

from typing import Iterable
from urllib.parse import urlsplit

from starlette.requests import Request

from webkit.accounts.sessions import CSRF_HEADER, csrf_matches
from webkit.errors import ApiError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def refused(reason: str) -> ApiError:
    return ApiError(403, "csrf_failed", f"refused as a cross-site request ({reason}): reload the page and try again")


def _origin_netloc(origin: str) -> str:
    parts = urlsplit(origin.strip().lower())
    return parts.netloc if parts.scheme in ("http", "https") else ""


def check_origin(request: Request, trusted_origins: Iterable[str] = ()) -> None:
    """Checks 1 and 2 (what the browser says of where the request comes from)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site.strip().lower() != "same-origin":
        raise refused("Sec-Fetch-Site")
    origin = request.headers.get("origin")
    if origin is None:
        return
    trusted = {o.strip().lower().rstrip("/") for o in trusted_origins}
    if origin.strip().lower().rstrip("/") in trusted:
        return
    netloc = _origin_netloc(origin)
    if not netloc or netloc != request.headers.get("host", "").strip().lower():
        raise refused("Origin")


def check(request: Request, session_token: str, trusted_origins: Iterable[str] = ()) -> None:
    """All three checks, for a request authenticated by the session cookie (safe methods pass)."""
    if request.method in SAFE_METHODS:
        return
    check_origin(request, trusted_origins)
    if not csrf_matches(session_token, request.headers.get(CSRF_HEADER, "")):
        raise refused(CSRF_HEADER)
