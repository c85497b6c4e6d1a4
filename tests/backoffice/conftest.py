from __future__ import annotations

import itertools
from typing import Iterator

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from backoffice_harness import API_KEY, running_service


@pytest.fixture(scope="session")
def sqlite_service(tmp_path_factory) -> Iterator[tuple]:
    directory = tmp_path_factory.mktemp("backoffice")
    url = f"sqlite:///{directory / 'backoffice.db'}"
    with running_service(url, directory / "service.log") as base_url:
        yield base_url, url


@pytest.fixture(scope="session")
def base_url(sqlite_service) -> str:
    return sqlite_service[0]


@pytest.fixture(scope="session")
def api(base_url) -> Iterator[httpx.Client]:
    """An authenticated client of the SQLite-backed service."""
    with httpx.Client(base_url=base_url, headers={"X-API-Key": API_KEY}, timeout=10) as client:
        yield client


@pytest.fixture(scope="session")
def anonymous(base_url) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="session")
def db(sqlite_service) -> Iterator[Session]:
    """Read access to the service's database, to pick customers the API cannot list."""
    engine = create_engine(sqlite_service[1])
    with Session(engine) as session:
        yield session
    engine.dispose()


_phones = itertools.count(1)


@pytest.fixture
def new_phone() -> str:
    """A mobile number no seeded customer or request has (059 is not among the seed's prefixes)."""
    return f"059{next(_phones):07d}"

