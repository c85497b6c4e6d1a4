"""Sessions and schema of the sandbox database (engines: webkit.db)."""

from __future__ import annotations

from typing import Union

from sqlalchemy import Connection, Engine, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from backoffice.models import Base, Customer


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def create_schema(bind: Union[Engine, Connection]) -> None:
    Base.metadata.create_all(bind)


def drop_schema(bind: Union[Engine, Connection]) -> None:
    """On a connection, within its transaction."""
    Base.metadata.drop_all(bind)


def schema_outdated(engine: Engine) -> bool:
    """Some table exists without all its columns: the database of an older sandbox."""
    inspector = inspect(engine)
    existing = set(inspector.get_table_names())
    return any(
        {column.name for column in table.columns} - {column["name"] for column in inspector.get_columns(table.name)}
        for table in Base.metadata.sorted_tables if table.name in existing
    )


def is_empty(session: Session) -> bool:
    return session.scalar(select(Customer.id).limit(1)) is None
