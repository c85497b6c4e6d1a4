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
KB_LOG_TOKEN                     shared secret of the bot: a search logs an unanswered question for the
                                 admins only with the header X-KB-Log-Token equal to it (empty: never)
KB_IMPORT_MAX_BYTES              largest import file (5 MiB); the upload body may add 64 KiB of multipart
KB_IMPORT_MAX_ROWS / _MAX_CELLS  data rows (5000) and cells (100000) of an import file
KB_IMPORT_MAX_UNCOMPRESSED_BYTES what an .xlsx may declare once unzipped, all its parts (50 MiB)
KB_SEED_FILE                     entries imported (published) into an empty knowledge base
KB_SYNC_INTERVAL                 seconds between two reads of the change log (other replicas' edits)
KB_THRESHOLD                     calibrated confidence (probability, 0..1) below which a question is "not found"
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Tuple

from knowledge_base.limits import Limits

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MIN_LOG_TOKEN = 16


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class LoginLimits:
    """Backoff of failed sign-ins per (username, client address): see webapp/throttle.py."""
    free_attempts: int = 5
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 900.0
    forget_seconds: float = 3600.0


@dataclass(frozen=True)
class Settings:
    admin_password: str
    admin_username: str = "admin"
    database_url: str = f"sqlite:///{ROOT / '.run' / 'webapp.db'}"
    host: str = "127.0.0.1"
    port: int = 8000
    seed_file: Path = ROOT / "knowledge_base" / "seed" / "entries.yml"
    sync_interval: float = 0.5
    threshold: float = 0.5
    extra_hosts: Tuple[str, ...] = ()
    max_body_bytes: int = 256 * 1024
    login: LoginLimits = field(default_factory=LoginLimits)
    kb_log_token: str = ""
    imports: Limits = field(default_factory=Limits)

    @property
    def allowed_hosts(self) -> Tuple[str, ...]:
        """What the Host header may name (its port aside); a wildcard listen address names nothing."""
        configured = () if self.host in ("0.0.0.0", "::", "") else (self.host,)
        return tuple(dict.fromkeys(name.lower() for name in (*LOCAL_HOSTS, *configured, *self.extra_hosts)))

    @property
    def upload_max_bytes(self) -> int:
        """The import's request body: the file and its multipart envelope."""
        return self.imports.max_bytes + 64 * 1024

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if env is None else env
        password = env.get("WEBAPP_ADMIN_PASSWORD", "").strip()
        if len(password) < 8:
            raise SettingsError("WEBAPP_ADMIN_PASSWORD must be set (8 characters or more): "
                                "`make` generates one in .env")
        log_token = env.get("KB_LOG_TOKEN", "").strip()
        if log_token and len(log_token) < MIN_LOG_TOKEN:
            raise SettingsError(f"KB_LOG_TOKEN must have {MIN_LOG_TOKEN} characters or more (or be empty: "
                                "then no search logs): `make` generates one in .env")
        defaults = cls(admin_password=password)

        def get(name: str, default, kind=str):
            value = env.get(name, "").strip()
            return kind(value) if value else default

        try:
            login = LoginLimits(
                free_attempts=get("WEBAPP_LOGIN_FREE_ATTEMPTS", defaults.login.free_attempts, int),
                backoff_seconds=get("WEBAPP_LOGIN_BACKOFF_SECONDS", defaults.login.backoff_seconds, float),
                backoff_max_seconds=get("WEBAPP_LOGIN_BACKOFF_MAX_SECONDS", defaults.login.backoff_max_seconds,
                                        float),
                forget_seconds=get("WEBAPP_LOGIN_FORGET_SECONDS", defaults.login.forget_seconds, float),
            )
            imports = Limits(
                max_bytes=get("KB_IMPORT_MAX_BYTES", defaults.imports.max_bytes, int),
                max_rows=get("KB_IMPORT_MAX_ROWS", defaults.imports.max_rows, int),
                max_cells=get("KB_IMPORT_MAX_CELLS", defaults.imports.max_cells, int),
                max_uncompressed_bytes=get("KB_IMPORT_MAX_UNCOMPRESSED_BYTES",
                                           defaults.imports.max_uncompressed_bytes, int),
            )
            settings = cls(
                admin_password=password,
                admin_username=get("WEBAPP_ADMIN_USERNAME", defaults.admin_username),
                database_url=get("WEBAPP_DATABASE_URL", defaults.database_url),
                host=get("WEBAPP_HOST", defaults.host),
                port=get("WEBAPP_PORT", defaults.port, int),
                seed_file=Path(get("KB_SEED_FILE", defaults.seed_file)),
                sync_interval=get("KB_SYNC_INTERVAL", defaults.sync_interval, float),
                threshold=get("KB_THRESHOLD", defaults.threshold, float),
                extra_hosts=tuple(name.strip() for name in env.get("WEBAPP_ALLOWED_HOSTS", "").split(",")
                                  if name.strip()),
                max_body_bytes=get("WEBAPP_MAX_BODY_BYTES", defaults.max_body_bytes, int),
                login=login,
                kb_log_token=log_token,
                imports=imports,
            )
        except ValueError as error:
            raise SettingsError(f"invalid web app setting: {error}") from None
        numbers = [settings.max_body_bytes, login.free_attempts, login.backoff_seconds, login.backoff_max_seconds,
                   login.forget_seconds, imports.max_bytes, imports.max_rows, imports.max_cells,
                   imports.max_uncompressed_bytes]
        if min(numbers) <= 0:
            raise SettingsError("invalid web app setting: the limits must be positive numbers")
        return settings
