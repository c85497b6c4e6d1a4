"""Sessions and schema of the sandbox database (engines: webkit.db)."""

from __future__ import annotations

from typing import Union

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session, sessionmaker

from backoffice.models import Base, Customer


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def create_schema(bind: Union[Engine, Connection]) -> None:
    Base.metadata.create_all(bind)


def drop_schema(bind: Union[Engine, Connection]) -> None:
    """On a connection, within its transaction."""
    Base.metadata.drop_all(bind)


def is_empty(session: Session) -> bool:
    return session.scalar(select(Customer.id).limit(1)) is None
