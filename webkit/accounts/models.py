"""The accounts' tables: users (with their role, and whether an admin disabled them) and their sessions.

They live in the web app's database for now (webkit.orm.Base, the web app's migrations); every
service that signs people in (the web app's admin page, later the gateway's staff console) opens
the same tables, so one account and one sign-in serve them all.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from webkit.orm import Base, utcnow

ADMIN, STAFF = "admin", "staff"
ROLES = (ADMIN, STAFF)
MAX_USERNAME = 80


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(MAX_USERNAME), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # A disabled user cannot sign in, and every session it had is ended (webkit.accounts.users.set_disabled).
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AuthToken(Base):
    """One session: a bearer token or a session cookie's value, stored as its SHA-256 (never the token)."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
