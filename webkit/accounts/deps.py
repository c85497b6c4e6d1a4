"""FastAPI dependencies of the signed-in user, as typed ``Annotated`` aliases:

    @router.get("/things")
    def things(user: CurrentUser): ...         # anyone signed in (401 otherwise)

    @router.post("/things")
    def add(body: ThingIn, user: AdminUser): ...  # admins only (403 for staff)

Credentials are, in this order: an ``Authorization: Bearer <token>`` header (scripts, API clients),
else the session cookie, whose state changes must pass the CSRF checks (webkit.accounts.csrf).
The service puts its ``Accounts`` on ``app.state.accounts`` (``webkit.accounts.install``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Callable

from fastapi import Depends, Request

from webkit.accounts import csrf, sessions
from webkit.accounts.config import Accounts
from webkit.accounts.models import ADMIN, STAFF, User
from webkit.errors import ApiError

BEARER, COOKIE = "bearer", "cookie"


def get_accounts(request: Request) -> Accounts:
    return request.app.state.accounts


AccountsDep = Annotated[Accounts, Depends(get_accounts)]


@dataclass(frozen=True)
class Credentials:
    token: str
    via: str  # BEARER or COOKIE


def not_signed_in() -> ApiError:
    return ApiError(401, "unauthorized", "sign in first (the session cookie, or Authorization: Bearer <token>)")


def credentials(request: Request, accounts: AccountsDep) -> Credentials:
    """The request's token; a cookie-authenticated state change must also pass the CSRF checks (403)."""
    authorization = request.headers.get("authorization")
    if authorization is not None:  # an Authorization header wins over a cookie
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise not_signed_in()
        return Credentials(token.strip(), BEARER)
    token = request.cookies.get(accounts.cookie.name, "")
    if not token:
        raise not_signed_in()
    csrf.check(request, token, accounts.trusted_origins)
    return Credentials(token, COOKIE)


CredentialsDep = Annotated[Credentials, Depends(credentials)]


def current_user(signed_in: CredentialsDep, accounts: AccountsDep) -> User:
    with accounts.sessions() as session:
        user = sessions.user_of(session, signed_in.token)
    if user is None:
        raise ApiError(401, "unauthorized", "the session has expired: sign in again")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: str) -> Callable[[User], User]:
    """A dependency giving the signed-in user if its role is one of ``roles`` (else 403 ``forbidden``)."""

    def dependency(user: CurrentUser) -> User:
        if user.role not in roles:
            raise ApiError(403, "forbidden", "this needs the role " + " or ".join(roles))
        return user

    return dependency


AdminUser = Annotated[User, Depends(require_role(ADMIN))]
# The staff console's people: staff, and admins (who may do whatever staff do).
StaffUser = Annotated[User, Depends(require_role(STAFF, ADMIN))]
