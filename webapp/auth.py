"""Users and roles of the web app (admins edit the knowledge base; staff, later, take over conversations).

Passwords are hashed with scrypt; a login gives a bearer token stored in the
database (so it works across replicas and restarts) that expires. Failed logins back off per
(username, client address) (webapp/throttle.py: 429 with Retry-After); an unknown username
costs the same scrypt as a wrong password, so the time of the answer does not tell which
usernames exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from functools import lru_cache
from typing import Callable, Optional

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from webapp import throttle
from webkit.errors import ApiError, too_many_attempts
from webkit.orm import Base, utcnow

ADMIN, STAFF = "admin", "staff"
ROLES = (ADMIN, STAFF)
TOKEN_LIFETIME = dt.timedelta(hours=12)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuthToken(Base):
    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        _, salt, _ = stored.split("$")
    except ValueError:
        return False
    return hmac.compare_digest(hash_password(password, bytes.fromhex(salt)), stored)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """What an unknown username's password is checked against (nobody knows its password)."""
    return hash_password(secrets.token_urlsafe(24))


def ensure_user(session: Session, username: str, password: str, role: str) -> User:
    """Create the user if missing (the first admin comes from the settings)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, password_hash=hash_password(password), role=role, display_name=username)
        session.add(user)
        session.flush()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class LoginOut(BaseModel):
    token: str
    role: str
    username: str
    expires_at: dt.datetime


class MeOut(BaseModel):
    username: str
    role: str
    display_name: str


def _bearer(authorization: str) -> str:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "sign in first (Authorization: Bearer <token>)")
    return token.strip()


def router() -> APIRouter:
    api = APIRouter(prefix="/api/auth", tags=["auth"])

    @api.post("/login", response_model=LoginOut, responses={429: {"description": "too many failed sign-ins for "
                                                                  "this username from this address: Retry-After"}})
    def login(body: LoginIn, request: Request) -> LoginOut:
        limiter: throttle.LoginThrottle = request.app.state.login_throttle
        attempt = throttle.key(body.username, request.client.host if request.client else "")
        wait = limiter.retry_after(attempt)
        if wait:
            raise too_many_attempts(f"too many failed sign-ins: try again in {wait} seconds", wait)
        with request.app.state.sessions.begin() as session:
            user = session.scalar(select(User).where(User.username == body.username))
            # the same scrypt whether the user exists or not: the answer's time says nothing
            good = check_password(body.password, user.password_hash if user is not None else dummy_hash())
            if user is None or not good:
                limiter.failed(attempt)
                raise ApiError(401, "unauthorized", "wrong username or password")
            limiter.succeeded(attempt)
            token = secrets.token_urlsafe(32)
            expires = utcnow() + TOKEN_LIFETIME
            session.add(AuthToken(token_hash=_token_hash(token), user_id=user.id, expires_at=expires))
            return LoginOut(token=token, role=user.role, username=user.username, expires_at=expires)

    @api.post("/logout", status_code=204, response_class=Response)
    def logout(request: Request, authorization: str = Header(default="")) -> Response:
        """The token stops working at once (on every replica: it is deleted from the database)."""
        token = _bearer(authorization)
        with request.app.state.sessions.begin() as session:
            row = session.get(AuthToken, _token_hash(token))
            if row is not None:
                session.delete(row)
        return Response(status_code=204)

    @api.get("/me", response_model=MeOut)
    def me(user: User = require(*ROLES)) -> MeOut:
        return MeOut(username=user.username, role=user.role, display_name=user.display_name or user.username)

    return api


def require(*roles: str) -> Callable:
    """A dependency giving the signed-in user, if their role is one of ``roles``."""

    def dependency(request: Request, authorization: str = Header(default="")) -> User:
        token = _bearer(authorization)
        with request.app.state.sessions() as session:
            row = session.get(AuthToken, _token_hash(token))
            if row is None or row.expires_at < utcnow():
                raise ApiError(401, "unauthorized", "the session has expired: sign in again")
            user = session.get(User, row.user_id)
        if user is None or user.role not in roles:
            raise ApiError(403, "forbidden", "this needs the role " + " or ".join(roles))
        return user

    return Depends(dependency)
