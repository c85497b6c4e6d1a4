"""The web app's tables: the knowledge base's and the shared accounts' (webkit.accounts.models)."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

import knowledge_base.models  # noqa: F401  (their tables on Base.metadata)
import webkit.accounts.models  # noqa: F401
from webkit.orm import Base


def prepare_schema(engine: Engine) -> None:
    """Create the missing tables, and ``users.disabled`` in a database made before accounts could be
    disabled (create_all adds tables, never columns)."""
    Base.metadata.create_all(engine)
    if "disabled" not in {column["name"] for column in inspect(engine).get_columns("users")}:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE users ADD COLUMN disabled BOOLEAN DEFAULT false NOT NULL"))
