"""Sessions and schema of the sandbox database (engines: webkit.db)."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from backoffice.models import Base, Customer


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def create_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)


def drop_schema(engine: Engine) -> None:
    Base.metadata.drop_all(engine)


def is_empty(session: Session) -> bool:
    return session.scalar(select(Customer.id).limit(1)) is None
