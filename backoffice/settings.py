"""Settings of the sandbox, from the environment.

BACKOFFICE_DATABASE_URL  SQLAlchemy URL (default: SQLite file .run/backoffice.db;
                         PostgreSQL: postgresql+psycopg://user@host:5432/db)
BACKOFFICE_API_KEY       required: the key clients send in the X-API-Key header
BACKOFFICE_HOST          listen address (127.0.0.1)
BACKOFFICE_PORT          listen port (8100)
ASSISTANT_TODAY          the assistant's one clock (common.clock): an ISO date (10:00
                         Vietnam time that day) or datetime pins "now"; default real time
BACKOFFICE_ALLOW_RESET   true: serve POST /v1/sandbox/reset (evaluations); default false
BACKOFFICE_ALLOWED_HOSTS more names clients may reach the service by (comma-separated), besides
                         127.0.0.1, localhost, ::1, BACKOFFICE_HOST and the host of BACKOFFICE_URL;
                         any other Host header is refused (400: DNS rebinding)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import FrozenSet, Mapping, Optional
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from common.clock import Clock, ClockError, clock_from_env

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / '.run' / 'backoffice.db'}"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8100
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
_FLAGS = {"": False, "false": False, "0": False, "no": False, "true": True, "1": True, "yes": True}


class SettingsError(ValueError):
    """A missing or invalid setting; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    api_key: str
    database_url: str = DEFAULT_DATABASE_URL
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    clock: Clock = Clock()
    allow_reset: bool = False
    extra_hosts: FrozenSet[str] = frozenset()

    @property
    def allowed_hosts(self) -> FrozenSet[str]:
        """Host names (lower case, no port) a request's Host header may name."""
        return LOOPBACK_NAMES | {self.host.lower().strip("[]")} | self.extra_hosts

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None, require_api_key: bool = True) -> "Settings":
        env = os.environ if env is None else env
        api_key = env.get("BACKOFFICE_API_KEY", "").strip()
        if require_api_key and not api_key:
            raise SettingsError(
                "BACKOFFICE_API_KEY is not set: the back office refuses to start without an API key. "
                "Set it to a long random string (e.g. `export BACKOFFICE_API_KEY=$(openssl rand -hex 24)`) "
                "and give the same value to the assistant's action server."
            )
        port_text = env.get("BACKOFFICE_PORT", str(DEFAULT_PORT)).strip()
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise SettingsError(f"BACKOFFICE_PORT must be a port number (1-65535), not {port_text!r}")
        if "BACKOFFICE_TODAY" in env:
            raise SettingsError("BACKOFFICE_TODAY is replaced by ASSISTANT_TODAY, the clock of every service")
        try:
            clock = clock_from_env(env)
        except ClockError as error:
            raise SettingsError(str(error)) from None
        database_url = env.get("BACKOFFICE_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
        try:
            make_url(database_url).get_dialect()
        except (ArgumentError, NoSuchModuleError, ImportError) as error:
            raise SettingsError(
                f"BACKOFFICE_DATABASE_URL is not a usable database URL ({error}); expected e.g. "
                "sqlite:///.run/backoffice.db or postgresql+psycopg://postgres@127.0.0.1:5432/backoffice"
            ) from None
        allow_reset = env.get("BACKOFFICE_ALLOW_RESET", "").strip().lower()
        if allow_reset not in _FLAGS:
            raise SettingsError(f"BACKOFFICE_ALLOW_RESET must be true or false, not {allow_reset!r}")
        extra_hosts = {name.strip().lower().strip("[]")
                       for name in env.get("BACKOFFICE_ALLOWED_HOSTS", "").split(",")}
        try:
            url_host = urlsplit(env.get("BACKOFFICE_URL", "").strip()).hostname
        except ValueError:
            raise SettingsError("BACKOFFICE_URL is not a URL such as http://127.0.0.1:8100") from None
        if url_host:
            extra_hosts.add(url_host.lower())
        return cls(
            api_key=api_key,
            database_url=database_url,
            host=env.get("BACKOFFICE_HOST", "").strip() or DEFAULT_HOST,
            port=int(port_text),
            clock=clock,
            allow_reset=_FLAGS[allow_reset],
            extra_hosts=frozenset(extra_hosts - {""}),
        )
