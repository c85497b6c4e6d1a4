"""What a service gives the accounts package: its database of users, its sign-in limits, its cookie."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Tuple

from sqlalchemy.orm import sessionmaker

from webkit.accounts.sessions import TOKEN_LIFETIME, CookiePolicy
from webkit.accounts.throttle import LoginThrottle


@dataclass
class Accounts:
    sessions: sessionmaker  # the database holding ``users`` and ``auth_tokens``
    throttle: LoginThrottle
    cookie: CookiePolicy = field(default_factory=CookiePolicy)
    lifetime: dt.timedelta = TOKEN_LIFETIME
    # Origins besides the request's own (its Host) whose pages may change state with the session cookie,
    # e.g. "https://cskh.example.vn" behind a proxy that rewrites Host. Empty: the request's own only.
    trusted_origins: Tuple[str, ...] = ()
