"""Database engines for SQLite (default, embedded) or PostgreSQL (production), the same way for every service."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from common.private import private_sqlite


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            private_sqlite(parsed.database)  # 0600 before SQLite opens it (its -wal/-shm follow); new folders 0700
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(connection, _record):
            connection.isolation_level = None  # we emit BEGIN ourselves (below)
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            # One writer at a time, waiting its turn: a transaction that read first and
            # writes later cannot fail with "database is locked" under concurrent requests.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)
