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

from dataclasses import dataclass, field
from typing import FrozenSet, Mapping, Optional
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from common import layout
from common.clock import Clock
from common.settings import Env, SettingsError

ROOT = layout.ROOT
DEFAULT_DATABASE_URL = layout.sqlite_url(layout.BACKOFFICE_DB)
DEFAULT_HOST = layout.BACKOFFICE.host
DEFAULT_PORT = layout.BACKOFFICE.port
LOOPBACK_NAMES = frozenset(layout.LOCAL_HOSTS)

__all__ = ["DEFAULT_DATABASE_URL", "DEFAULT_HOST", "DEFAULT_PORT", "Settings", "SettingsError"]


@dataclass(frozen=True)
class Settings:
    api_key: str = field(repr=False)
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
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, require_api_key: bool = True) -> "Settings":
        """The settings of ``environ`` (``os.environ`` by default); SettingsError names a bad variable."""
        env = Env.of(environ)
        api_key = env.secret(
            "BACKOFFICE_API_KEY", required=require_api_key, strip=True,
            hint="the back office refuses to start without an API key. Set it to a long random string "
                 "(e.g. `export BACKOFFICE_API_KEY=$(openssl rand -hex 24)`) and give the same value to the "
                 "assistant's action server.")
        port = env.port("BACKOFFICE_PORT", DEFAULT_PORT)
        env.retired("BACKOFFICE_TODAY", "ASSISTANT_TODAY, the clock of every service")
        clock = env.clock()
        database_url = env.text("BACKOFFICE_DATABASE_URL", DEFAULT_DATABASE_URL)
        try:
            make_url(database_url).get_dialect()
        except (ArgumentError, NoSuchModuleError, ImportError) as error:
            raise SettingsError(
                f"BACKOFFICE_DATABASE_URL is not a usable database URL ({error}); expected e.g. "
                "sqlite:///.run/backoffice.db or postgresql+psycopg://postgres@127.0.0.1:5432/backoffice"
            ) from None
        allow_reset = env.flag("BACKOFFICE_ALLOW_RESET", False)
        extra_hosts = {name.lower().strip("[]") for name in env.names("BACKOFFICE_ALLOWED_HOSTS")}
        try:
            url_host = urlsplit(env.text("BACKOFFICE_URL")).hostname
        except ValueError:
            raise SettingsError("BACKOFFICE_URL is not a URL such as http://127.0.0.1:8100") from None
        if url_host:
            extra_hosts.add(url_host.lower())
        return cls(
            api_key=api_key,
            database_url=database_url,
            host=env.text("BACKOFFICE_HOST", DEFAULT_HOST),
            port=port,
            clock=clock,
            allow_reset=allow_reset,
            extra_hosts=frozenset(extra_hosts - {""}),
        )
