"""The web app's migrations (webapp/migrations/): a new database, one made before migrations (adopted:
stamped with the baseline, then upgraded, its data kept), the models matching the migrations, replicas
migrating together, and the launcher doing it at start. SQLite, and PostgreSQL when it is reachable."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from typing import Iterator

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from admin_support import PASSWORD, SEED
from webapp import migrations
from webapp.schema import metadata
from webkit.accounts import hashing
from webkit.db import make_engine

from isolated_stack import StackFailed, start_webapp, stop_service  # noqa: E402  (scripts/ via admin_support)

# What create_all made at the web app's start before migrations (SQLite), as such a database holds it.
BEFORE_MIGRATIONS = """
CREATE TABLE auth_tokens (token_hash VARCHAR(64) NOT NULL, user_id INTEGER NOT NULL, expires_at DATETIME NOT NULL,
    PRIMARY KEY (token_hash), FOREIGN KEY(user_id) REFERENCES users (id));
CREATE TABLE kb_changes (seq INTEGER NOT NULL, entry_id VARCHAR(80) NOT NULL, at DATETIME NOT NULL, PRIMARY KEY (seq));
CREATE TABLE kb_entries (id VARCHAR(80) NOT NULL, question TEXT NOT NULL, alternatives JSON NOT NULL,
    answer TEXT NOT NULL, category VARCHAR(60) NOT NULL, tags JSON NOT NULL, source TEXT NOT NULL,
    status VARCHAR(12) NOT NULL, deleted BOOLEAN NOT NULL, version INTEGER NOT NULL, updated_by VARCHAR(80) NOT NULL,
    updated_at DATETIME NOT NULL, PRIMARY KEY (id));
CREATE TABLE kb_entry_versions (id INTEGER NOT NULL, entry_id VARCHAR(80) NOT NULL, version INTEGER NOT NULL,
    action VARCHAR(16) NOT NULL, snapshot JSON NOT NULL, author VARCHAR(80) NOT NULL, created_at DATETIME NOT NULL,
    PRIMARY KEY (id), FOREIGN KEY(entry_id) REFERENCES kb_entries (id));
CREATE TABLE kb_unanswered (id INTEGER NOT NULL, text TEXT NOT NULL, "key" VARCHAR(500) NOT NULL,
    count INTEGER NOT NULL, first_asked_at DATETIME NOT NULL, last_asked_at DATETIME NOT NULL,
    resolved_entry_id VARCHAR(80), PRIMARY KEY (id));
CREATE TABLE users (id INTEGER NOT NULL, username VARCHAR(80) NOT NULL, password_hash VARCHAR(300) NOT NULL,
    role VARCHAR(16) NOT NULL, display_name VARCHAR(120) NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (id),
    UNIQUE (username));
CREATE INDEX ix_kb_entry_versions_entry_id ON kb_entry_versions (entry_id);
CREATE INDEX ix_kb_unanswered_key ON kb_unanswered ("key");
"""
TODAY = "2026-11-24 10:00:00"


def old_database(path, admin_password: str = "mat-khau-cu-cua-admin") -> None:
    """A web app database as the web app made it before migrations, with an admin, an entry and its version."""
    with sqlite3.connect(path) as db:
        db.executescript(BEFORE_MIGRATIONS)
        db.execute("INSERT INTO users (username, password_hash, role, display_name, created_at) VALUES (?,?,?,?,?)",
                   ("admin", hashing.hash_password(admin_password), "admin", "admin", TODAY))
        db.execute("INSERT INTO kb_entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                   ("muc-cu", "Mục có từ trước?", "[]", "Dạ, có từ trước.", "khac", "[]", "", "published", 0, 1,
                    "admin", TODAY))
        db.execute("INSERT INTO kb_entry_versions (entry_id, version, action, snapshot, author, created_at) "
                   "VALUES (?,?,?,?,?,?)", ("muc-cu", 1, "create", "{}", "admin", TODAY))


def _pg_admin():
    psycopg = pytest.importorskip("psycopg")
    for user in ("postgres", "root"):
        try:
            return psycopg.connect(host="127.0.0.1", port=5432, dbname="test", user=user, autocommit=True,
                                   connect_timeout=3), user
        except psycopg.OperationalError:
            continue
    return None, None


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """A new, empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'webapp.db'}"
        return
    admin, user = _pg_admin()
    if admin is None:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    name = f"webapp_migrations_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://{user}@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def differences(engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), metadata())


def test_a_new_database_is_made_by_the_migrations_and_matches_the_models(database_url):
    engine = make_engine(database_url)
    try:
        assert migrations.upgrade(engine) == migrations.head() == "0002_users_disabled"
        migrations.check_at_head(engine)
        assert differences(engine) == []  # the models (webapp/schema.py) and the migrations agree
        assert set(migrations.BASELINE_TABLES) | {"alembic_version"} == set(inspect(engine).get_table_names())
        assert migrations.upgrade(engine) == migrations.head()  # again: nothing to do
    finally:
        engine.dispose()


def test_a_database_from_before_migrations_is_adopted_with_its_data(tmp_path):
    path = tmp_path / "webapp.db"
    old_database(path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with pytest.raises(migrations.MigrationError, match="not 0002_users_disabled"):
            migrations.check_at_head(engine)  # the web app refuses it until it is migrated
        assert migrations.upgrade(engine) == migrations.head()
        assert differences(engine) == []
        with engine.connect() as connection:
            assert connection.execute(text("SELECT username, disabled FROM users")).all() == [("admin", False)]
            assert connection.execute(text("SELECT id, version FROM kb_entries")).all() == [("muc-cu", 1)]
            assert connection.execute(text("SELECT count(*) FROM kb_entry_versions")).scalar() == 1
    finally:
        engine.dispose()


def test_an_older_revision_is_upgraded(database_url):
    engine = make_engine(database_url)
    try:
        assert migrations.upgrade(engine, migrations.BASELINE) == migrations.BASELINE
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO users (username, password_hash, role, display_name, created_at) "
                                    "VALUES ('lan', 'x', 'staff', 'Lan', :at)"), {"at": TODAY})
        with pytest.raises(migrations.MigrationError):
            migrations.check_at_head(engine)
        assert migrations.upgrade(engine) == migrations.head()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT username, disabled FROM users")).all() == [("lan", False)]
    finally:
        engine.dispose()


def test_a_database_with_only_some_of_the_tables_is_not_touched(tmp_path):
    path = tmp_path / "la.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT)")
    engine = make_engine(f"sqlite:///{path}")
    try:
        with pytest.raises(migrations.MigrationError, match="not made by the web app"):
            migrations.upgrade(engine)
        assert set(inspect(engine).get_table_names()) == {"users"}
    finally:
        engine.dispose()


def test_replicas_starting_together_migrate_once(database_url):
    engines = [make_engine(database_url) for _ in range(3)]
    results, failures = [], []
    barrier = threading.Barrier(len(engines))

    def migrate(engine):
        barrier.wait()
        try:
            results.append(migrations.upgrade(engine))
        except Exception as error:  # noqa: BLE001
            failures.append(error)

    threads = [threading.Thread(target=migrate, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert failures == [] and results == [migrations.head()] * len(engines)
        with engines[0].connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        for engine in engines:
            engine.dispose()


def test_the_launcher_migrates_an_old_database_at_start(tmp_path):
    """`python -m webapp` (what `make run` and the tests start) on a database from before migrations."""
    import yaml

    old_database(tmp_path / "webapp.db", admin_password="mat-khau-cu-cua-admin")
    seed = tmp_path / "entries.yml"
    seed.write_text(yaml.safe_dump(SEED, allow_unicode=True), encoding="utf-8")
    try:
        process, url = start_webapp(tmp_path, seed, PASSWORD)
    except StackFailed as error:
        pytest.fail(str(error))
    try:
        signed_in = httpx.post(f"{url}/api/auth/login", json={"username": "admin", "password": "mat-khau-cu-cua-admin"})
        assert signed_in.status_code == 200, signed_in.text  # the old admin, its old password (not the setting's)
        headers = {"Authorization": f"Bearer {signed_in.json()['token']}"}
        assert [e["id"] for e in httpx.get(f"{url}/api/kb/entries", headers=headers).json()] == ["muc-cu"]  # no seed
    finally:
        stop_service(process)
    log = next(tmp_path.glob("webapp-*.log")).read_text()
    assert "adopted as revision 0001_baseline" in log and f"database at revision {migrations.head()}" in log
