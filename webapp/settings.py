"""Settings of the web app, from the environment.

WEBAPP_HOST / WEBAPP_PORT        listen address (127.0.0.1:8000)
WEBAPP_DATABASE_URL              SQLAlchemy URL (default SQLite .run/webapp.db; PostgreSQL by URL)
WEBAPP_ADMIN_USERNAME / _PASSWORD  the first admin, created at start if missing (password required)
KB_SEED_FILE                     entries imported (published) into an empty knowledge base
KB_SYNC_INTERVAL                 seconds between two reads of the change log (other replicas' edits)
KB_THRESHOLD                     calibrated confidence (probability, 0..1) below which a question is "not found"
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    pass


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

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if env is None else env
        password = env.get("WEBAPP_ADMIN_PASSWORD", "").strip()
        if len(password) < 8:
            raise SettingsError("WEBAPP_ADMIN_PASSWORD must be set (8 characters or more): "
                                "`make` generates one in .env")
        defaults = cls(admin_password=password)
        try:
            return cls(
                admin_password=password,
                admin_username=env.get("WEBAPP_ADMIN_USERNAME", "").strip() or defaults.admin_username,
                database_url=env.get("WEBAPP_DATABASE_URL", "").strip() or defaults.database_url,
                host=env.get("WEBAPP_HOST", "").strip() or defaults.host,
                port=int(env.get("WEBAPP_PORT", "").strip() or defaults.port),
                seed_file=Path(env.get("KB_SEED_FILE", "").strip() or defaults.seed_file),
                sync_interval=float(env.get("KB_SYNC_INTERVAL", "").strip() or defaults.sync_interval),
                threshold=float(env.get("KB_THRESHOLD", "").strip() or defaults.threshold),
            )
        except ValueError as error:
            raise SettingsError(f"invalid web app setting: {error}") from None
