"""Creating, finding, disabling users and changing their passwords (in the caller's transaction)."""

from __future__ import annotations

from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from webkit.accounts import sessions
from webkit.accounts.hashing import hash_password
from webkit.accounts.models import MAX_USERNAME, ROLES, User

MIN_PASSWORD, MAX_PASSWORD = 8, 200


class AccountError(ValueError):
    """A user that cannot be created or changed as asked (the message says why, in English)."""


def find(session: Session, username: str) -> Optional[User]:
    return session.scalar(select(User).where(User.username == username))


def listing(session: Session) -> List[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have {MIN_PASSWORD} characters or more")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters")


def check_username(username: str) -> str:
    name = username.strip()
    if not name or len(name) > MAX_USERNAME or any(c.isspace() or ord(c) < 32 for c in name):
        raise AccountError(f"a username has 1 to {MAX_USERNAME} characters, without spaces")
    return name


def create(session: Session, username: str, password: str, role: str, display_name: str = "") -> User:
    name = check_username(username)
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    check_password_rules(password)
    if find(session, name) is not None:
        raise AccountError(f"the user {name!r} already exists")
    user = User(username=name, password_hash=hash_password(password), role=role, display_name=display_name or name)
    session.add(user)
    session.flush()
    return user


def ensure_user(session: Session, username: str, password: str, role: str) -> User:
    """Create the user if missing (a service's first admin comes from its settings); an existing one is left
    as it is (its password, role and whether it is disabled)."""
    user = find(session, username)
    if user is None:
        user = User(username=username, password_hash=hash_password(password), role=role, display_name=username)
        session.add(user)
        session.flush()
    return user


def set_disabled(session: Session, user: User, disabled: bool) -> User:
    """Disable (or enable again) a user; disabling ends every session it has, on every replica."""
    user.disabled = disabled
    if disabled:
        sessions.revoke_all(session, user.id)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> User:
    """A new password; the user's sessions end (whoever knew the old one is signed out)."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    sessions.revoke_all(session, user.id)
    session.flush()
    return user
