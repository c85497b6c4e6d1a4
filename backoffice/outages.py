"""Planned outages affecting an area over a time window, and the places the back office knows."""

from __future__ import annotations

import datetime as dt
from typing import List, Optional, Sequence

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from backoffice import seed_data
from backoffice.areas import Area, Place, covered_by_any
from backoffice.models import Customer, PlannedOutage


def customer_area(customer: Customer) -> Area:
    return Area(customer.province, customer.district, customer.ward)


def known_places(session: Session) -> List[Place]:
    """The sandbox's map: the seed's wards of the four cities, plus every place of a
    customer or a planned outage in the database."""
    rows = session.execute(union(
        select(Customer.province, Customer.district, Customer.ward),
        select(PlannedOutage.province, PlannedOutage.district, PlannedOutage.ward),
    ))
    return seed_data.places() + [tuple(row) for row in rows]


def planned_outages(session: Session, areas: Sequence[Area], at: dt.datetime, days: int) -> List[PlannedOutage]:
    """Outages of any of ``areas`` not over at ``at`` and starting within ``days`` days, soonest first."""
    horizon = at + dt.timedelta(days=days)
    candidates = session.scalars(
        select(PlannedOutage)
        .where(PlannedOutage.end_at > at, PlannedOutage.start_at < horizon)
        .order_by(PlannedOutage.start_at, PlannedOutage.code)
    )
    return [o for o in candidates if covered_by_any(areas, (o.province, o.district, o.ward))]


def in_progress(outage: PlannedOutage, at: dt.datetime) -> bool:
    return outage.start_at <= at < outage.end_at


def outage_in_progress(session: Session, place: Place, at: dt.datetime) -> Optional[PlannedOutage]:
    """The planned outage in progress at ``place`` at ``at``, if any. A place without ward
    (only its district is known) is covered only by an outage of the whole district."""
    province, district, ward = place
    for outage in planned_outages(session, [Area(province, district, ward)], at, 1):
        if in_progress(outage, at) and (ward is not None or outage.ward is None):
            return outage
    return None
