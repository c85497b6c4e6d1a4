"""Migrations of the web app's database (Alembic): the knowledge base's tables and the shared accounts'
(webkit.accounts.models), which live in this database for now.

``upgrade(engine)`` brings a database to the newest revision: a new one is created from the baseline; one
made before migrations existed (by create_all at start, whose tables are all there but no
``alembic_version``) is stamped with the baseline first, then upgraded, its data kept. It runs in one
transaction holding a lock (SQLite's ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so replicas that
start together migrate once. ``python -m webapp`` runs it before serving (and the web app refuses to serve
a database that is not at the newest revision); ``python -m webapp.migrations`` is the command line.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

log = logging.getLogger("webapp.migrations")
HERE = Path(__file__).resolve().parent
BASELINE = "0001_baseline"
# The tables of a database made before migrations (versions/…_0001_baseline.py creates the same).
BASELINE_TABLES = ("kb_changes", "kb_entries", "kb_unanswered", "users", "auth_tokens", "kb_entry_versions")
PG_LOCK = 0x7765626170  # pg_advisory_xact_lock key of the web app's migrations


class MigrationError(RuntimeError):
    pass


def config(connection: Optional[Connection] = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")  # 20261204_<rev>_<slug>.py
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()


def current(connection: Connection) -> Optional[str]:
    return MigrationContext.configure(connection).get_current_revision()


def _lock(connection: Connection) -> None:
    """SQLite: the transaction began with BEGIN IMMEDIATE (webkit.db), one writer at a time already."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK})


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Migrate to ``revision``, adopting a database made before migrations; the revision it is at after."""
    with engine.begin() as connection:
        _lock(connection)
        cfg = config(connection)
        if current(connection) is None:
            present = set(inspect(connection).get_table_names())
            if present & set(BASELINE_TABLES):
                missing = sorted(set(BASELINE_TABLES) - present)
                if missing:
                    raise MigrationError(f"the database has some of the web app's tables but not {', '.join(missing)}: "
                                         "it was not made by the web app; migrate it by hand")
                command.stamp(cfg, BASELINE)
                log.info("web app database from before migrations: adopted as revision %s", BASELINE)
        command.upgrade(cfg, revision)
        return current(connection) or ""


def check_at_head(engine: Engine) -> None:
    """Refuse a database the web app's code does not fit (not migrated, or migrated by newer code)."""
    with engine.connect() as connection:
        at = current(connection)
    if at != head():
        raise MigrationError(f"the web app's database is at revision {at or 'none'}, not {head()}: "
                             "run `.venv/bin/python -m webapp.migrations upgrade` (python -m webapp does it at start)")
