"""Planned outages and outage reports."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from backoffice import vocabulary as v
from common.clock import Clock, aware, to_local
from backoffice.deps import find_customer, get_clock, get_session
from backoffice.errors import invalid
from backoffice.areas import Area, resolve
from backoffice.incidents import Report, record, report_place
from backoffice.outages import customer_area, known_places, outage_in_progress, planned_outages
from backoffice.schemas import ErrorOut, OutageReportIn, OutageReportOut, PlannedOutagesOut
from backoffice.views import incident_out, outage_out

router = APIRouter(tags=["outages"])

AT_HINT = "must be an ISO 8601 datetime such as 2026-11-24T10:00:00+07:00 (Vietnam time if no offset)"


def _parse_at(raw: Optional[str], clock: Clock) -> dt.datetime:
    if raw is None or not raw.strip():
        return clock.now()
    try:
        moment = to_local(dt.datetime.fromisoformat(raw.strip()))
    except (ValueError, OverflowError):
        raise invalid("at", AT_HINT) from None
    if not 2000 <= moment.year <= 2100:
        raise invalid("at", "must be between the years 2000 and 2100")
    return moment


def _name(value: Optional[str]) -> Optional[str]:
    return value.strip() or None if value else None


@router.get("/outages/planned", response_model=PlannedOutagesOut,
            responses={404: {"model": ErrorOut, "description": "unknown customer_code"}})
def list_planned_outages(
    customer_code: Optional[str] = Query(None, max_length=40,
                                         description="the customer's area; area and names are then ignored"),
    area: Optional[str] = Query(None, max_length=300,
                                description="free text naming the place, e.g. 'phường Dịch Vọng, Cầu Giấy'; "
                                            "names are then ignored"),
    province: Optional[str] = Query(None, max_length=100, description="e.g. Hà Nội, tp hcm"),
    district: Optional[str] = Query(None, max_length=100, description="e.g. Quận 7, quan 7, Q7"),
    ward: Optional[str] = Query(None, max_length=100, description="e.g. Phường Tân Phong, tan phong"),
    days: int = Query(7, ge=1, le=31, description="outages starting within this many days"),
    at: Optional[str] = Query(None, max_length=40, description="reference moment (default: now)"),
    session: Session = Depends(get_session),
    clock: Clock = Depends(get_clock),
) -> PlannedOutagesOut:
    """Outages not over at ``at`` and starting before ``at + days``, soonest first.

    The area is the customer's (``customer_code``), or the place named in ``area``
    (resolved against the places the back office knows; nothing recognised: no
    outage), or ``province``/``district``/``ward`` (no filter at all: every outage).
    Names match without accents, case or the words quận/huyện/phường/xã/thành phố
    (and their abbreviations). An outage without ward covers its whole district:
    it is listed for a ward query when the district is known too.
    """
    moment = _parse_at(at, clock)
    if customer_code and customer_code.strip():
        areas = [customer_area(find_customer(session, customer_code))]
    elif area and area.strip():
        areas = resolve(area, known_places(session))
    else:
        areas = [Area(_name(province), _name(district), _name(ward))]
    return PlannedOutagesOut(outages=[outage_out(o, moment) for o in planned_outages(session, areas, moment, days)])


@router.post("/outage-reports", status_code=201, response_model=OutageReportOut, responses={
    200: {"model": OutageReportOut, "description": "no new ticket: a planned outage explains the failure "
                                                   "(code null), or the ward's open incident got the report "
                                                   "(duplicate true)"},
    404: {"model": ErrorOut, "description": "unknown customer_code"},
})
def report_outage(
    body: OutageReportIn,
    response: Response,
    session: Session = Depends(get_session),
    clock: Clock = Depends(get_clock),
) -> OutageReportOut:
    """Records a power failure, unless a planned outage in progress where it is explains it
    (200, no ticket; a hazard is ticketed all the same). A failure in a ward that already
    has an open incident is attached to it (200, ``duplicate``); otherwise a new ticket (201)."""
    now = clock.now()
    customer = find_customer(session, body.customer_code) if body.customer_code else None
    place = report_place(session, customer, body.address)
    outage = outage_in_progress(session, place, now) if place else None
    planned = outage_out(outage, now) if outage else None
    if planned is not None and not body.hazard:
        response.status_code = 200
        return OutageReportOut(code=None, status=None, status_label_vi=None, created_at=None,
                               expected_restoration_at=None, planned_outage=planned, incident=None, duplicate=False)
    report = Report(customer=customer, phone=body.phone or (customer.phone if customer else None),
                    address=body.address or customer.full_address, description=body.description, hazard=body.hazard)
    ticket, duplicate = record(session, report, place, now)
    session.commit()
    if duplicate:
        response.status_code = 200
    return OutageReportOut(
        code=ticket.code, status=ticket.status, status_label_vi=v.STATUS_LABELS_VI[ticket.status],
        created_at=aware(ticket.created_at), expected_restoration_at=aware(ticket.expected_restoration_at),
        planned_outage=planned, incident=incident_out(ticket), duplicate=duplicate,
    )
