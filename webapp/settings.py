"""Settings of the web app, from the environment.

WEBAPP_HOST / WEBAPP_PORT        listen address (127.0.0.1:8000)
WEBAPP_DATABASE_URL              SQLAlchemy URL (default SQLite .run/webapp.db; PostgreSQL by URL)
WEBAPP_ADMIN_USERNAME / _PASSWORD  the first admin, created at start if missing (password required)
WEBAPP_ALLOWED_HOSTS             names the Host header may give (without a port), comma-separated, besides
                                 127.0.0.1, localhost, ::1 and WEBAPP_HOST (anything else: 400, DNS rebinding)
WEBAPP_MAX_BODY_BYTES            request bodies (JSON) larger than this get 413 (262144: a 20,000-character
                                 answer is up to 120 KB of JSON)
WEBAPP_LOGIN_FREE_ATTEMPTS       wrong passwords per (username, client address) before the backoff (5)
WEBAPP_LOGIN_BACKOFF_SECONDS     first wait after them, doubled at each further failure (1)
WEBAPP_LOGIN_BACKOFF_MAX_SECONDS longest wait (900)
WEBAPP_LOGIN_FORGET_SECONDS      failures are forgotten after this long without one (3600)
WEBAPP_DEV_INSECURE_COOKIE       true: the admin page's session cookie without Secure (and without the __Host-
                                 prefix), for a browser that refuses Secure cookies on plain http://127.0.0.1;
                                 refused unless WEBAPP_HOST is a loopback address (false)
KB_LOG_TOKEN                     shared secret of the bot: a search logs an unanswered question for the
                                 admins only with the header X-KB-Log-Token equal to it (empty: never)
KB_IMPORT_MAX_BYTES              largest import file (5 MiB); the upload body may add 64 KiB of multipart
KB_IMPORT_MAX_ROWS / _MAX_CELLS  data rows (5000) and cells (100000) of an import file
KB_IMPORT_MAX_UNCOMPRESSED_BYTES what an .xlsx may declare once unzipped, all its parts (50 MiB)
KB_SEED_FILE                     entries imported (published) into an empty knowledge base
KB_SYNC_INTERVAL                 seconds between two reads of the change log (other replicas' edits)
KB_THRESHOLD                     calibrated confidence (probability, 0..1) below which a question is "not found"
KB_EMBEDDING_MODEL / _INPUT      the retriever's embedding model and the text form it reads (knowledge_base/settings.py)

Read once by ``python -m webapp`` (common.settings' readers: a bad value names its variable) and
passed to ``create_app``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Tuple

from common import layout
from common.settings import Env, SettingsError
from knowledge_base.limits import Limits
from knowledge_base.settings import EmbeddingSettings
from webkit.accounts.throttle import LoginLimits

ROOT = layout.ROOT
LOCAL_HOSTS = layout.LOCAL_HOSTS
MIN_LOG_TOKEN = 16
MIN_PASSWORD = 8
DEFAULT_DATABASE_URL = layout.sqlite_url(layout.WEBAPP_DB)

__all__ = ["LoginLimits", "Settings", "SettingsError"]


@dataclass(frozen=True)
class Settings:
    admin_password: str = field(repr=False)
    admin_username: str = "admin"
    database_url: str = DEFAULT_DATABASE_URL
    host: str = layout.WEBAPP.host
    port: int = layout.WEBAPP.port
    seed_file: Path = layout.SEED_ENTRIES
    sync_interval: float = 0.5
    threshold: float = 0.5
    extra_hosts: Tuple[str, ...] = ()
    max_body_bytes: int = 256 * 1024
    login: LoginLimits = field(default_factory=LoginLimits)
    kb_log_token: str = field(default="", repr=False)
    imports: Limits = field(default_factory=Limits)
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    insecure_dev_cookie: bool = False  # the session cookie without Secure: loopback only (from_env checks)

    @property
    def allowed_hosts(self) -> Tuple[str, ...]:
        """What the Host header may name (its port aside); a wildcard listen address names nothing."""
        configured = () if self.host in ("0.0.0.0", "::", "") else (self.host,)
        return tuple(dict.fromkeys(name.lower() for name in (*LOCAL_HOSTS, *configured, *self.extra_hosts)))

    @property
    def upload_max_bytes(self) -> int:
        """The import's request body: the file and its multipart envelope."""
        return self.imports.max_bytes + 64 * 1024

    @staticmethod
    def database_url_from_env(environ: Optional[Mapping[str, str]] = None) -> str:
        """WEBAPP_DATABASE_URL alone, for the commands that open the database without serving (``make user``,
        ``python -m webapp.migrations``): they need no admin password."""
        return Env.of(environ).text("WEBAPP_DATABASE_URL", DEFAULT_DATABASE_URL)

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "Settings":
        """The settings of ``environ`` (``os.environ`` by default); SettingsError names a bad variable."""
        env = Env.of(environ)
        password = env.secret("WEBAPP_ADMIN_PASSWORD", required=True, min_length=MIN_PASSWORD, strip=True,
                              hint="`make` generates one in .env")
        log_token = env.secret("KB_LOG_TOKEN", min_length=MIN_LOG_TOKEN, strip=True,
                               hint="leave it empty for no search logs; `make` generates one in .env")
        defaults = cls(admin_password=password)
        login, imports = defaults.login, defaults.imports
        settings = cls(
            admin_password=password,
            admin_username=env.text("WEBAPP_ADMIN_USERNAME", defaults.admin_username),
            database_url=env.text("WEBAPP_DATABASE_URL", defaults.database_url),
            host=env.text("WEBAPP_HOST", defaults.host),
            port=env.port("WEBAPP_PORT", defaults.port),
            seed_file=env.path("KB_SEED_FILE", defaults.seed_file),
            sync_interval=env.number("KB_SYNC_INTERVAL", defaults.sync_interval, positive=True),
            threshold=env.number("KB_THRESHOLD", defaults.threshold, minimum=0.0, maximum=1.0),
            extra_hosts=env.names("WEBAPP_ALLOWED_HOSTS"),
            max_body_bytes=env.integer("WEBAPP_MAX_BODY_BYTES", defaults.max_body_bytes, minimum=1),
            login=LoginLimits(
                free_attempts=env.integer("WEBAPP_LOGIN_FREE_ATTEMPTS", login.free_attempts, minimum=1),
                backoff_seconds=env.number("WEBAPP_LOGIN_BACKOFF_SECONDS", login.backoff_seconds, positive=True),
                backoff_max_seconds=env.number("WEBAPP_LOGIN_BACKOFF_MAX_SECONDS", login.backoff_max_seconds,
                                               positive=True),
                forget_seconds=env.number("WEBAPP_LOGIN_FORGET_SECONDS", login.forget_seconds, positive=True),
            ),
            kb_log_token=log_token,
            imports=Limits(
                max_bytes=env.integer("KB_IMPORT_MAX_BYTES", imports.max_bytes, minimum=1),
                max_rows=env.integer("KB_IMPORT_MAX_ROWS", imports.max_rows, minimum=1),
                max_cells=env.integer("KB_IMPORT_MAX_CELLS", imports.max_cells, minimum=1),
                max_uncompressed_bytes=env.integer("KB_IMPORT_MAX_UNCOMPRESSED_BYTES",
                                                   imports.max_uncompressed_bytes, minimum=1),
            ),
            embedding=EmbeddingSettings.read(env),
            insecure_dev_cookie=env.flag("WEBAPP_DEV_INSECURE_COOKIE"),
        )
        if settings.insecure_dev_cookie and settings.host not in LOCAL_HOSTS:
            raise SettingsError("WEBAPP_DEV_INSECURE_COOKIE is for a development server on a loopback address "
                                "only (WEBAPP_HOST=127.0.0.1): elsewhere the session cookie must be Secure")
        return settings
