"""Sign-in routes shared by our services (``/api/auth``) and the admins' user management (``/api/users``).

``POST /api/auth/login`` with ``{"username", "password"}`` gives a bearer token (``token``), as it
always did; with ``"session": "cookie"`` it sets the session cookie instead and gives the page its
``csrf_token`` (never the session token: the cookie is HttpOnly). Failed sign-ins back off per
(username, client address) (webkit.accounts.throttle: 429 with Retry-After); an unknown username
costs the same scrypt as a wrong password; a disabled account is refused (403 ``account_disabled``)
only after its right password, so the answer tells nothing to whoever does not know it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, List, Literal, Optional

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from webkit.accounts import csrf, sessions, throttle, users
from webkit.accounts.deps import COOKIE, AccountsDep, AdminUser, CredentialsDep, CurrentUser
from webkit.accounts.hashing import check_password, dummy_hash
from webkit.accounts.models import MAX_USERNAME, User
from webkit.errors import ApiError, not_found, too_many_attempts

Username = Annotated[str, Path(min_length=1, max_length=MAX_USERNAME, description="a username")]


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=MAX_USERNAME)
    password: str = Field(min_length=1, max_length=users.MAX_PASSWORD)
    session: Literal["bearer", "cookie"] = Field(
        "bearer", description="bearer: the answer gives the token (scripts, API clients); cookie: the answer "
                              "sets the session cookie (HttpOnly) and gives the CSRF token (pages)")


class LoginOut(BaseModel):
    token: Optional[str] = Field(None, description="the bearer token (session=bearer only)")
    csrf_token: Optional[str] = Field(None, description="to send as X-CSRF-Token with every state change "
                                                        "(session=cookie only)")
    role: str
    username: str
    display_name: str
    expires_at: dt.datetime


class MeOut(BaseModel):
    username: str
    role: str
    display_name: str
    csrf_token: Optional[str] = Field(None, description="the cookie session's CSRF token (cookie only): a page "
                                                        "reloaded gets it back here")


class UserOut(BaseModel):
    username: str
    role: str
    display_name: str
    disabled: bool
    created_at: dt.datetime

    @classmethod
    def of(cls, user: User) -> "UserOut":
        return cls(username=user.username, role=user.role, display_name=user.display_name or user.username,
                   disabled=bool(user.disabled), created_at=user.created_at)


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disabled: bool = Field(description="true: the user cannot sign in and its sessions end at once")


def _no_store(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"


def router(prefix: str = "/api/auth") -> APIRouter:
    api = APIRouter(prefix=prefix, tags=["auth"])

    @api.post("/login", response_model=LoginOut, response_model_exclude_none=True, responses={
        401: {"description": "wrong username or password"},
        403: {"description": "account_disabled (right password, disabled account), or csrf_failed (a cookie "
                             "sign-in from another site)"},
        429: {"description": "too many failed sign-ins for this username from this address: Retry-After"}})
    def login(body: LoginIn, request: Request, response: Response, accounts: AccountsDep) -> LoginOut:
        if body.session == COOKIE:
            csrf.check_origin(request, accounts.trusted_origins)  # no login CSRF
        attempt = throttle.key(body.username, request.client.host if request.client else "")
        wait = accounts.throttle.retry_after(attempt)
        if wait:
            raise too_many_attempts(f"too many failed sign-ins: try again in {wait} seconds", wait)
        with accounts.sessions.begin() as session:
            user = users.find(session, body.username)
            # the same scrypt whether the user exists or not: the answer's time says nothing
            good = check_password(body.password, user.password_hash if user is not None else dummy_hash())
            if user is None or not good:
                accounts.throttle.failed(attempt)
                raise ApiError(401, "unauthorized", "wrong username or password")
            accounts.throttle.succeeded(attempt)
            if user.disabled:
                raise ApiError(403, "account_disabled", "this account is disabled: ask an administrator")
            sessions.purge_expired(session)  # ended sessions do not pile up
            token, expires = sessions.issue(session, user, accounts.lifetime)
            out = LoginOut(token=token, role=user.role, username=user.username,
                           display_name=user.display_name or user.username, expires_at=expires)
        _no_store(response)
        if body.session == COOKIE:
            response.set_cookie(accounts.cookie.name, token, **accounts.cookie.attributes())
            out.token, out.csrf_token = None, sessions.csrf_token(token)
        return out

    @api.post("/logout", status_code=204, response_class=Response)
    def logout(signed_in: CredentialsDep, accounts: AccountsDep) -> Response:
        """The session stops working at once (on every replica: it is deleted from the database); a cookie
        session's cookie is cleared."""
        with accounts.sessions.begin() as session:
            sessions.revoke(session, signed_in.token)
        response = Response(status_code=204)
        if signed_in.via == COOKIE:
            response.delete_cookie(accounts.cookie.name, **accounts.cookie.attributes())
        return response

    @api.get("/me", response_model=MeOut, response_model_exclude_none=True)
    def me(signed_in: CredentialsDep, user: CurrentUser, response: Response) -> MeOut:
        _no_store(response)
        return MeOut(username=user.username, role=user.role, display_name=user.display_name or user.username,
                     csrf_token=sessions.csrf_token(signed_in.token) if signed_in.via == COOKIE else None)

    return api


def users_router(prefix: str = "/api/users") -> APIRouter:
    """Admins list the users and disable (or enable again) one; users are created with `make user`."""
    api = APIRouter(prefix=prefix, tags=["accounts"])

    @api.get("", response_model=List[UserOut])
    def list_users(admin: AdminUser, accounts: AccountsDep) -> List[UserOut]:
        with accounts.sessions() as session:
            return [UserOut.of(user) for user in users.listing(session)]

    @api.patch("/{username}", response_model=UserOut, responses={
        404: {"description": "no such user"}, 409: {"description": "cannot_disable_self"}})
    def change_user(username: Username, body: UserPatch, admin: AdminUser, accounts: AccountsDep) -> UserOut:
        with accounts.sessions.begin() as session:
            user = users.find(session, username)
            if user is None:
                raise not_found("no such user")
            if body.disabled and user.id == admin.id:
                raise ApiError(409, "cannot_disable_self", "an admin cannot disable their own account")
            return UserOut.of(users.set_disabled(session, user, body.disabled))

    return api
