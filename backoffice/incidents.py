"""Outage reports as incidents: at most one open ticket per ward, later reports attached to it.

Many customers report the same outage; the first report of a ward opens the
ticket (SC…), the next ones are attached to it (``reports`` counts them), and a
report of a danger marks the incident urgent and brings its restoration forward.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional, Tuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from backoffice import vocabulary as v
from backoffice.areas import Place, resolve
from backoffice.codes import new_request_code
from backoffice.models import AttachedReport, Customer, OutageTicket, ward_key
from backoffice.outages import known_places


@dataclass(frozen=True)
class Report:
    customer: Optional[Customer]
    phone: Optional[str]
    address: str
    description: str
    hazard: bool


def report_place(session: Session, customer: Optional[Customer], address: Optional[str]) -> Optional[Place]:
    """Where the failure is: the customer's ward, else the one place the address names
    precisely enough (a ward, or at least a district); None when it cannot be placed."""
    if customer is not None:
        return customer.province, customer.district, customer.ward
    areas = [area for area in resolve(address or "", known_places(session)) if area.district]
    if len(areas) != 1:
        return None
    return areas[0].province, areas[0].district, areas[0].ward


def restoration_due(at: dt.datetime, hazard: bool) -> dt.datetime:
    return at + dt.timedelta(hours=v.HAZARD_RESTORATION_HOURS if hazard else v.RESTORATION_HOURS)


def open_incident(session: Session, place: Place) -> Optional[OutageTicket]:
    """The ward's open incident, locked until commit (PostgreSQL; SQLite has one writer at a
    time anyway): concurrent reports are attached one after the other, each counting the others."""
    key = ward_key(*place)
    if key is None:
        return None
    return session.scalar(select(OutageTicket).where(OutageTicket.open_ward == key).with_for_update()
                          .options(selectinload(OutageTicket.attached)))


def _new_ticket(session: Session, report: Report, place: Optional[Place], now: dt.datetime) -> OutageTicket:
    province, district, ward = place or (None, None, None)
    ticket = OutageTicket(
        code=new_request_code(session, v.PREFIX_BY_KIND[v.OUTAGE_REPORT], now.year), customer=report.customer,
        phone=report.phone, address=report.address, description=report.description, hazard=report.hazard,
        province=province, district=district, ward=ward, created_at=now,
        expected_restoration_at=restoration_due(now, report.hazard),
    )
    ticket.move_to(v.RECEIVED, now, v.NOTE_OUTAGE_HAZARD if report.hazard else v.NOTE_OUTAGE_RECEIVED)
    return ticket


def attach(ticket: OutageTicket, report: Report, now: dt.datetime) -> None:
    """Adds a report to an open incident; a danger makes it urgent (noted once) and due sooner."""
    was_urgent = ticket.urgent
    ticket.attached.append(AttachedReport(
        customer=report.customer, phone=report.phone, address=report.address,
        description=report.description, hazard=report.hazard, reported_at=now,
    ))
    if report.hazard:
        ticket.expected_restoration_at = min(ticket.expected_restoration_at, restoration_due(now, True))
        if not was_urgent:
            ticket.move_to(ticket.status, now, v.NOTE_OUTAGE_ESCALATED)


def record(session: Session, report: Report, place: Optional[Place], now: dt.datetime) -> Tuple[OutageTicket, bool]:
    """The report's incident, and whether it already existed (the report is then attached)."""
    incident = open_incident(session, place) if place else None
    if incident is None:
        try:
            with session.begin_nested():
                ticket = _new_ticket(session, report, place, now)
                session.add(ticket)
            return ticket, False
        except IntegrityError:  # another report opened this ward's incident meanwhile
            incident = open_incident(session, place) if place else None
            if incident is None:
                raise
    attach(incident, report, now)
    return incident, True
