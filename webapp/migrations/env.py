"""Alembic's environment for the web app's database: always run through webapp.migrations, which gives
the connection (opened with webkit.db.make_engine, in a transaction that holds the migration lock)."""

from __future__ import annotations

from alembic import context

from webapp.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the web app's migrations with `python -m webapp.migrations` (webapp/migrations/__init__.py)")

context.configure(
    connection=connection,
    target_metadata=metadata(),
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters a table by copying it
)
with context.begin_transaction():
    context.run_migrations()
