"""Bills from meter readings, computed with the shared tariff package, and their status."""

from __future__ import annotations

import datetime as dt
import math
from typing import List

from tariff import BillBreakdown, business_bill, residential_bill

from backoffice import vocabulary as v
from backoffice.models import Bill, Customer

DAYS_TO_ISSUE = 1  # the bill is issued the day after the reading
DAYS_TO_PAY = 10  # due date = issue date + 10 days
MEMBERS_PER_HOUSEHOLD = 4
_TARIFF_PURPOSE = {"kinh_doanh": "business", "san_xuat": "production"}


def quota_households(members: int, registered_tenants: bool) -> int:
    """Households the residential tiers are multiplied by: one per 4 people for tenants
    with a residence registration, else 1 (stored on the customer)."""
    return max(1, math.ceil(members / MEMBERS_PER_HOUSEHOLD)) if registered_tenants else 1


def compute(customer: Customer, kwh: int, day: dt.date) -> BillBreakdown:
    """The bill for ``kwh`` read on ``day``: residential tiers times the customer's quota
    households, or the low-voltage business / production price."""
    if customer.purpose == "sinh_hoat":
        return residential_bill(kwh, day, households=customer.quota_households)
    return business_bill(kwh, day, _TARIFF_PURPOSE[customer.purpose])


def _lines(breakdown: BillBreakdown) -> List[dict]:
    return [
        {"tier": line.tier, "kwh": int(line.kwh), "price": line.price, "amount": line.amount}
        for line in breakdown.lines
    ]


def bill_values(customer: Customer, period: str, reading_date: dt.date, kwh: int) -> dict:
    """The columns of a new unpaid bill for a reading (all but ``customer_id``): the seed
    inserts thousands of them at once, without building ORM objects."""
    breakdown = compute(customer, kwh, reading_date)
    issued_at = reading_date + dt.timedelta(days=DAYS_TO_ISSUE)
    return {
        "period": period,
        "reading_date": reading_date,
        "kwh": kwh,
        "subtotal": breakdown.subtotal,
        "vat_rate": str(breakdown.vat_rate),
        "vat": breakdown.vat,
        "total": breakdown.total,
        "lines": _lines(breakdown),
        "issued_at": issued_at,
        "due_date": issued_at + dt.timedelta(days=DAYS_TO_PAY),
        "status": v.BILL_UNPAID,
    }


def status_on(recorded: str, due_date: dt.date, today: dt.date) -> str:
    """paid, or unpaid until the due date has passed, then overdue."""
    if recorded == v.BILL_PAID:
        return v.BILL_PAID
    return v.BILL_OVERDUE if due_date < today else v.BILL_UNPAID


def bill_status(bill: Bill, today: dt.date) -> str:
    return status_on(bill.status, bill.due_date, today)
