"""Customers: identity, bills, debt, meter readings."""

from __future__ import annotations

import hmac
import re

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backoffice import vocabulary as v
from common.clock import Clock
from backoffice.deps import customer_from_path, get_clock, get_session
from backoffice.errors import invalid, too_many_attempts
from webkit.errors import not_found
from backoffice.models import Bill, Customer, Meter, Reading
from backoffice.schemas import (
    BillOut,
    BillsOut,
    CustomerOut,
    DebtOut,
    ErrorOut,
    ReadingsOut,
    VerifyIn,
    VerifyOut,
)
from backoffice.views import bill_out, customer_out, reading_out

router = APIRouter(prefix="/customers", tags=["customers"],
                   responses={404: {"model": ErrorOut, "description": "unknown customer"}})

MAX_PERIODS = 13
_PERIOD_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _bills(customer: Customer):
    return (
        select(Bill)
        .where(Bill.customer_id == customer.id)
        .options(selectinload(Bill.payments))
        .order_by(Bill.period.desc())
    )


@router.get("/{code}", response_model=CustomerOut)
def get_customer(customer: Customer = Depends(customer_from_path)) -> CustomerOut:
    return customer_out(customer)


@router.post("/{code}/verify", response_model=VerifyOut,
             responses={429: {"model": ErrorOut, "description": "too many wrong answers"}})
def verify_customer(body: VerifyIn, request: Request,
                    customer: Customer = Depends(customer_from_path)) -> VerifyOut:
    """Checks the last 4 digits of the registered phone (never returns the phone)."""
    limiter = request.app.state.verify_limiter
    wait = limiter.retry_after(customer.code)
    if wait:
        raise too_many_attempts(f"too many wrong answers for this customer; try again in {wait} seconds", wait)
    verified = hmac.compare_digest(customer.phone[-4:], body.phone_last4)
    (limiter.succeeded if verified else limiter.failed)(customer.code)
    return VerifyOut(verified=verified)


@router.get("/{code}/bills", response_model=BillsOut)
def list_bills(
    limit: int = Query(3, ge=1, le=MAX_PERIODS, description="how many bills, newest first"),
    customer: Customer = Depends(customer_from_path),
    session: Session = Depends(get_session),
    clock: Clock = Depends(get_clock),
) -> BillsOut:
    today = clock.today()
    return BillsOut(bills=[bill_out(b, today) for b in session.scalars(_bills(customer).limit(limit))])


@router.get("/{code}/bills/{period}", response_model=BillOut)
def get_bill(
    period: str = Path(description="billing month, YYYY-MM"),
    customer: Customer = Depends(customer_from_path),
    session: Session = Depends(get_session),
    clock: Clock = Depends(get_clock),
) -> BillOut:
    if not _PERIOD_RE.fullmatch(period):
        raise invalid("period", "must be a month as YYYY-MM, e.g. 2026-10")
    bill = session.scalar(_bills(customer).where(Bill.period == period))
    if bill is None:
        raise not_found("no bill for this customer in this period")
    return bill_out(bill, clock.today())


@router.get("/{code}/debt", response_model=DebtOut)
def get_debt(
    customer: Customer = Depends(customer_from_path),
    session: Session = Depends(get_session),
    clock: Clock = Depends(get_clock),
) -> DebtOut:
    today = clock.today()
    unpaid = [bill_out(b, today) for b in session.scalars(_bills(customer).where(Bill.status != v.BILL_PAID))]
    return DebtOut(
        outstanding_total=sum(b.total for b in unpaid),
        unpaid_bills=unpaid,
        overdue_bills=[b for b in unpaid if b.status == v.BILL_OVERDUE],
        oldest_due_date=min((b.due_date for b in unpaid), default=None),
    )


@router.get("/{code}/readings", response_model=ReadingsOut)
def list_readings(
    limit: int = Query(6, ge=1, le=MAX_PERIODS, description="how many readings, newest first"),
    customer: Customer = Depends(customer_from_path),
    session: Session = Depends(get_session),
) -> ReadingsOut:
    readings = session.scalars(
        select(Reading).join(Meter).where(Meter.customer_id == customer.id)
        .order_by(Reading.reading_date.desc()).limit(limit)
    )
    return ReadingsOut(readings=[reading_out(r) for r in readings])
