"""Customer requests: connection, contract changes, complaints; follow-up of every kind by code or phone."""

from __future__ import annotations

import datetime as dt
import hmac
from typing import List, Optional, Tuple

from fastapi import APIRouter, Depends, Request
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from common.clock import Clock, aware

from backoffice import vocabulary as v
from backoffice.areas import Area, resolve, text_key
from backoffice.clock import add_working_days
from backoffice.codes import new_request_code
from backoffice.deps import find_customer, get_clock, get_session
from backoffice.errors import MISSING, invalid, too_many_attempts
from webkit.errors import conflict, not_found
from backoffice.models import AttachedReport, Complaint, ConnectionRequest, ContractChange, Customer, ServiceRequest
from backoffice.outages import known_places
from backoffice.schemas import (
    ComplaintIn,
    ConnectionRequestIn,
    ContractChangeIn,
    ErrorOut,
    RequestCreated,
    RequestLookupIn,
    RequestOut,
    RequestSearchIn,
    RequestsOut,
    RequestWithDelayCreated,
)
from backoffice.views import request_out

router = APIRouter(tags=["requests"])

_CONFLICT = {409: {"model": ErrorOut, "description": "the same request is already open"}}
_UNKNOWN_CUSTOMER = {404: {"model": ErrorOut, "description": "unknown customer_code"}}


def _open(kind_class, *where):
    return select(kind_class).where(kind_class.status.not_in(v.FINAL_STATUSES), *where)


def _created(request: ServiceRequest) -> dict:
    return {
        "code": request.code, "status": request.status,
        "status_label_vi": v.STATUS_LABELS_VI[request.status], "created_at": aware(request.created_at),
    }


def _with_delay(request: ServiceRequest, days: int) -> RequestWithDelayCreated:
    return RequestWithDelayCreated(
        **_created(request), expected_days=days,
        expected_by=add_working_days(request.created_at.date(), days),
    )


def _new_code(session: Session, kind: str, now: dt.datetime) -> str:
    return new_request_code(session, v.PREFIX_BY_KIND[kind], now.year)


def _place_of(session: Session, body: ConnectionRequestIn) -> Tuple[str, Optional[str], Optional[str]]:
    province, district, ward = body.province, body.district, body.ward
    if province and district and ward:
        return province, district, ward
    named = [a for a in resolve(body.address, known_places(session))
             if Area(province, district, ward).covers((a.province, a.district or "", a.ward))]
    if not province:
        provinces = {a.province for a in named}
        if len(provinces) != 1:
            raise invalid("province", "is required (the address names no province the back office knows)", MISSING)
        province = provinces.pop()
    if len(named) == 1:
        district = district or named[0].district
        ward = ward or (named[0].ward if district == named[0].district else None)
    return province, district, ward


@router.post("/connection-requests", status_code=201, response_model=RequestWithDelayCreated,
             responses=_CONFLICT)
def create_connection_request(
    body: ConnectionRequestIn, session: Session = Depends(get_session), clock: Clock = Depends(get_clock),
) -> RequestWithDelayCreated:
    """A new connection (cấp điện mới). 5 working days for 1 phase, 7 for 3 phases.

    Missing province, district or ward are taken from the address when it names
    a place the back office knows without ambiguity."""
    province, district, ward = _place_of(session, body)
    for other in session.scalars(_open(ConnectionRequest, ConnectionRequest.phone == body.phone)):
        if text_key(other.address) == text_key(body.address):
            raise conflict(f"connection request {other.code} for this phone and address is still open")
    now = clock.now()
    request = ConnectionRequest(
        code=_new_code(session, v.CONNECTION_REQUEST, now), phone=body.phone, created_at=now,
        name=body.name, address=body.address, ward=ward, district=district,
        province=province, purpose=body.purpose, phases=body.phases,
    )
    request.move_to(v.RECEIVED, now, "Tiếp nhận yêu cầu cấp điện qua trợ lý ảo")
    session.add(request)
    session.commit()
    return _with_delay(request, v.CONNECTION_DAYS_BY_PHASES[body.phases])


@router.post("/contract-changes", status_code=201, response_model=RequestWithDelayCreated,
             responses={**_CONFLICT, **_UNKNOWN_CUSTOMER})
def create_contract_change(
    body: ContractChangeIn, session: Session = Depends(get_session), clock: Clock = Depends(get_clock),
) -> RequestWithDelayCreated:
    customer = find_customer(session, body.customer_code)
    other = session.scalar(_open(ContractChange, ContractChange.customer_id == customer.id,
                                 ContractChange.change_type == body.change_type))
    if other is not None:
        raise conflict(f"contract change {other.code} of this type for this customer is still open")
    now = clock.now()
    request = ContractChange(
        code=_new_code(session, v.CONTRACT_CHANGE, now), customer=customer, phone=customer.phone,
        created_at=now, change_type=body.change_type, details=body.details,
    )
    request.move_to(v.RECEIVED, now, "Tiếp nhận yêu cầu thay đổi hợp đồng qua trợ lý ảo")
    session.add(request)
    session.commit()
    return _with_delay(request, v.CONTRACT_CHANGE_DAYS)


@router.post("/complaints", status_code=201, response_model=RequestCreated, responses=_UNKNOWN_CUSTOMER)
def create_complaint(
    body: ComplaintIn, session: Session = Depends(get_session), clock: Clock = Depends(get_clock),
) -> RequestCreated:
    customer = find_customer(session, body.customer_code) if body.customer_code else None
    now = clock.now()
    complaint = Complaint(
        code=_new_code(session, v.COMPLAINT, now), customer=customer,
        phone=body.phone or (customer.phone if customer else None), created_at=now,
        category=body.category, content=body.content,
    )
    complaint.move_to(v.RECEIVED, now, "Tiếp nhận khiếu nại qua trợ lý ảo")
    session.add(complaint)
    session.commit()
    return RequestCreated(**_created(complaint))


def _with_history(statement):
    return statement.options(selectinload(ServiceRequest.history), selectinload(ServiceRequest.customer))


# The one answer to a code that does not exist and to wrong phone digits: no enumeration.
NO_MATCH = "no request matches this code and these phone digits"
_LOOKUP_RESPONSES = {
    404: {"model": ErrorOut, "description": "no request with this code, or not these phone digits (one answer)"},
    429: {"model": ErrorOut, "description": "too many wrong phone digits for this code: retry_after, Retry-After"},
}


def _proof_phones(session: Session, code: str) -> Tuple[Optional[int], List[str]]:
    """The request's id (None if no request has this code) and the phones whose last digits
    prove the caller filed it: its contact phone, its customer's, and for an outage incident
    those of the reports attached to it. The same queries whether the code exists or not."""
    row = session.execute(
        select(ServiceRequest.id, ServiceRequest.phone, Customer.phone)
        .outerjoin(Customer, Customer.id == ServiceRequest.customer_id)
        .where(ServiceRequest.code == code)
    ).first()
    request_id = row[0] if row else None
    attached = session.execute(
        select(AttachedReport.phone, Customer.phone)
        .outerjoin(Customer, Customer.id == AttachedReport.customer_id)
        .where(AttachedReport.ticket_id == (request_id if request_id is not None else -1))
    ).all()
    phones = [phone for phone in (row[1:] if row else ()) if phone]
    phones += [phone for pair in attached for phone in pair if phone]
    return request_id, phones


def _proves(phones: List[str], last4: str) -> bool:
    given = last4.encode("ascii")
    # Every phone compared, in constant time each: the time says nothing about which matched.
    return sum(hmac.compare_digest(phone[-4:].encode("ascii"), given) for phone in phones) > 0


@router.post("/requests/lookup", response_model=RequestOut, responses=_LOOKUP_RESPONSES)
def lookup_request(
    body: RequestLookupIn, request: Request, session: Session = Depends(get_session),
) -> RequestOut:
    """One request by its code, for whoever proves they filed it: the last 4 digits of its
    phone. An unknown code and wrong digits get the same 404; after 5 wrong answers for a
    code within 15 minutes, every answer for that code (right or wrong, existing or not) is
    429 until the oldest leaves the window."""
    limiter = request.app.state.lookup_limiter
    wait = limiter.retry_after(body.code)
    if wait:
        raise too_many_attempts(f"too many wrong answers for this request code; try again in {wait} seconds", wait)
    request_id, phones = _proof_phones(session, body.code)
    if not _proves(phones, body.phone_last4) or request_id is None:
        limiter.failed(body.code)
        raise not_found(NO_MATCH)
    limiter.succeeded(body.code)
    found = session.scalar(_with_history(select(ServiceRequest).where(ServiceRequest.id == request_id)))
    return request_out(found)


@router.post("/requests/search", response_model=RequestsOut)
def find_requests(body: RequestSearchIn, session: Session = Depends(get_session)) -> RequestsOut:
    """Every kind of request made from this phone or for a customer with this phone, newest
    first, with the outage incidents their reports were attached to. The phone travels in the
    body, never in a URL (URLs are logged)."""
    canonical = body.phone
    customers = select(Customer.id).where(Customer.phone == canonical)
    attached_to = select(AttachedReport.ticket_id).where(
        or_(AttachedReport.phone == canonical, AttachedReport.customer_id.in_(customers)))
    found = session.scalars(_with_history(
        select(ServiceRequest)
        .where(or_(ServiceRequest.phone == canonical, ServiceRequest.customer_id.in_(customers),
                   ServiceRequest.id.in_(attached_to)))
        .order_by(ServiceRequest.created_at.desc(), ServiceRequest.id.desc())
        .limit(body.limit)
    ))
    return RequestsOut(requests=[request_out(r) for r in found])
