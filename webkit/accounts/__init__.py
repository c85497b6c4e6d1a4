"""Accounts shared by our web services: users and roles (``admin``, ``staff``), password hashing,
sessions (bearer tokens and HttpOnly session cookies with CSRF protection), the FastAPI dependencies
of the signed-in user, and the sign-in routes. The web app's admin page uses them today; the
gateway's staff console will sign in the same way, against the same tables.

    from webkit import accounts
    accounts.install(app, accounts.Accounts(sessions=sessionmaker(engine), throttle=MemoryLoginThrottle(limits)))

    @router.get("/x")
    def x(user: accounts.AdminUser): ...

Modules: ``models`` (tables), ``hashing`` (scrypt), ``sessions`` (tokens, cookie policy, CSRF token),
``csrf`` (the checks), ``throttle`` (sign-in backoff), ``users`` (create, disable, passwords),
``deps`` (``CurrentUser``, ``AdminUser``, ``StaffUser``), ``routes`` (``/api/auth``, ``/api/users``),
``cli`` (the ``make user`` command).
"""

from __future__ import annotations

from fastapi import FastAPI

from webkit.accounts.config import Accounts
from webkit.accounts.deps import AdminUser, CurrentUser, StaffUser, require_role
from webkit.accounts.models import ADMIN, ROLES, STAFF, AuthToken, User
from webkit.accounts.sessions import CookiePolicy

__all__ = ["ADMIN", "STAFF", "ROLES", "Accounts", "AdminUser", "AuthToken", "CookiePolicy", "CurrentUser",
           "StaffUser", "User", "install", "require_role"]


def install(app: FastAPI, accounts: Accounts, *, users_admin: bool = True) -> None:
    """``accounts`` on ``app.state``, the sign-in routes and (``users_admin``) the admins' user routes."""
    from webkit.accounts import routes

    app.state.accounts = accounts
    app.include_router(routes.router())
    if users_admin:
        app.include_router(routes.users_router())
