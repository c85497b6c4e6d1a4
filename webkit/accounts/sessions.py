"""Sessions: random tokens stored hashed in the database (so they work across replicas and restarts),
given to the client as a bearer token or as a session cookie, and the CSRF token of a cookie session.

- **Bearer** (``Authorization: Bearer <token>``): for scripts and API clients. A browser never
  attaches it by itself, so a request carrying it cannot be forged by another site.
- **Cookie** (``Set-Cookie: __Host-cskh_session=<token>; HttpOnly; Secure; SameSite=Strict;
  Path=/``): for pages. The page's script never sees the token (HttpOnly). Because the browser
  attaches the cookie by itself, every state change authenticated by it must also prove it comes
  from our own page (webkit.accounts.csrf): an ``X-CSRF-Token`` header equal to ``csrf_token(token)``,
  which a page gets from the sign-in answer or ``GET /api/auth/me`` (another site cannot read those
  answers), and an ``Origin`` / ``Sec-Fetch-Site`` that name this very origin.

``CookiePolicy(secure=False)`` drops ``Secure`` (and the ``__Host-`` prefix, which requires it): only
for a development server on plain http://127.0.0.1, where some browsers (not Chromium) refuse
``Secure`` cookies; the web app allows it only on a loopback address (WEBAPP_DEV_INSECURE_COOKIE).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import delete
from sqlalchemy.orm import Session

from webkit.accounts.models import AuthToken, User
from webkit.orm import utcnow

TOKEN_LIFETIME = dt.timedelta(hours=12)
COOKIE_BASENAME = "cskh_session"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class CookiePolicy:
    """How the session cookie is set: always HttpOnly, SameSite=Strict, Path=/, no Domain, no Max-Age
    (it ends with the browser; the session itself expires on the server after ``TOKEN_LIFETIME``)."""
    secure: bool = True
    basename: str = COOKIE_BASENAME

    @property
    def name(self) -> str:
        # __Host-: the browser keeps it only if Secure, Path=/ and without Domain (no subdomain can set it)
        return f"__Host-{self.basename}" if self.secure else self.basename

    def attributes(self) -> dict:
        """Keyword arguments of Starlette's ``Response.set_cookie`` / ``delete_cookie``."""
        return {"path": "/", "secure": self.secure, "httponly": True, "samesite": "strict"}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(token: str) -> str:
    """The CSRF token of a cookie session: derived from its (secret, HttpOnly) token, so it is bound to
    this session, needs no storage, and tells nothing about the token."""
    digest = hmac.new(token.encode(), b"webkit.accounts csrf v1", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def csrf_matches(token: str, given: str) -> bool:
    return bool(given) and hmac.compare_digest(csrf_token(token).encode(), given.encode())


def issue(session: Session, user: User, lifetime: dt.timedelta = TOKEN_LIFETIME) -> tuple[str, dt.datetime]:
    """A new session for ``user``: its token (shown once, to the client) and its expiry."""
    token = secrets.token_urlsafe(32)
    expires = utcnow() + lifetime
    session.add(AuthToken(token_hash=token_hash(token), user_id=user.id, expires_at=expires))
    return token, expires


def user_of(session: Session, token: str) -> Optional[User]:
    """The user a token signs in, or None: unknown, expired, its user gone or disabled."""
    row = session.get(AuthToken, token_hash(token))
    if row is None or row.expires_at < utcnow():
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    return user


def revoke(session: Session, token: str) -> None:
    """The session ends at once, on every replica (it is deleted from the database)."""
    row = session.get(AuthToken, token_hash(token))
    if row is not None:
        session.delete(row)


def revoke_all(session: Session, user_id: int) -> int:
    """Every session of a user ends (the user was disabled, or its password changed)."""
    return session.execute(delete(AuthToken).where(AuthToken.user_id == user_id)).rowcount or 0


def purge_expired(session: Session) -> int:
    return session.execute(delete(AuthToken).where(AuthToken.expires_at < utcnow())).rowcount or 0
