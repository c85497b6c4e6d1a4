"""FastAPI dependencies: database session, clock, customer lookup."""

from __future__ import annotations

from typing import Iterator

from fastapi import Depends, Path, Request
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from common.clock import Clock
from backoffice.codes import normalize_customer_code
from backoffice.errors import invalid
from webkit.errors import not_found
from backoffice.models import Customer
from backoffice.schemas import CUSTOMER_CODE_HINT


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def get_clock(request: Request) -> Clock:
    return request.app.state.settings.clock


def find_customer(session: Session, raw_code: str, field: str = "customer_code") -> Customer:
    """The customer with this code (any case, spaces allowed); 422 if malformed, 404 if unknown."""
    code = normalize_customer_code(raw_code)
    if code is None:
        raise invalid(field, CUSTOMER_CODE_HINT)
    customer = session.scalar(
        select(Customer).where(Customer.code == code).options(selectinload(Customer.meters))
    )
    if customer is None:
        raise not_found("no customer with this code")
    return customer


def customer_from_path(
    code: str = Path(description="customer code, e.g. PE01000123456 (any case, spaces allowed)"),
    session: Session = Depends(get_session),
) -> Customer:
    return find_customer(session, code, field="code")
