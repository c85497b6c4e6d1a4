"""Database rows to API bodies."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from backoffice import vocabulary as v
from backoffice.billing import bill_status
from common.clock import aware
from backoffice.models import Bill, Customer, OutageTicket, PlannedOutage, Reading, ServiceRequest
from backoffice.outages import in_progress
from backoffice.schemas import (
    BillOut,
    CustomerOut,
    HistoryEntryOut,
    IncidentOut,
    PlannedOutageOut,
    ReadingOut,
    RequestOut,
)


def customer_out(customer: Customer) -> CustomerOut:
    meter = customer.current_meter
    return CustomerOut(
        code=customer.code, name=customer.name, phone=customer.phone, email=customer.email,
        address=customer.address, ward=customer.ward, district=customer.district,
        province=customer.province, purpose=customer.purpose,
        household_members=customer.household_members, quota_households=customer.quota_households,
        phases=customer.phases, meter_serial=meter.serial if meter else None,
    )


def bill_out(bill: Bill, today: dt.date) -> BillOut:
    payment = bill.payments[-1] if bill.payments else None
    status = bill_status(bill, today)
    return BillOut(
        period=bill.period, reading_date=bill.reading_date, kwh=bill.kwh,
        subtotal=bill.subtotal, vat_rate=bill.vat_rate, vat=bill.vat, total=bill.total,
        issued_at=bill.issued_at, due_date=bill.due_date, status=status,
        paid_at=aware(payment.paid_at) if payment and status == v.BILL_PAID else None,
        payment_channel=payment.channel if payment and status == v.BILL_PAID else None,
        lines=bill.lines,
    )


def reading_out(reading: Reading) -> ReadingOut:
    return ReadingOut(
        period=reading.period, reading_date=reading.reading_date,
        old_index=reading.old_index, new_index=reading.new_index, kwh=reading.kwh,
    )


def outage_out(outage: PlannedOutage, at: dt.datetime) -> PlannedOutageOut:
    return PlannedOutageOut(
        code=outage.code, province=outage.province, district=outage.district, ward=outage.ward,
        area=outage.area, start_at=aware(outage.start_at), end_at=aware(outage.end_at),
        reason=outage.reason, in_progress=in_progress(outage, at),
    )


def incident_out(ticket: OutageTicket) -> IncidentOut:
    return IncidentOut(
        code=ticket.code, reported_at=aware(ticket.created_at), reports=ticket.reports,
        expected_restoration_at=aware(ticket.expected_restoration_at), status=ticket.status,
        status_label_vi=v.STATUS_LABELS_VI[ticket.status], urgent=ticket.urgent,
    )


def request_out(request: ServiceRequest) -> RequestOut:
    return RequestOut(
        code=request.code, kind=request.kind, status=request.status,
        status_label_vi=v.STATUS_LABELS_VI[request.status],
        created_at=aware(request.created_at), updated_at=aware(request.updated_at),
        customer_code=request.customer.code if request.customer else None,
        history=[
            HistoryEntryOut(status=h.status, status_label_vi=v.STATUS_LABELS_VI[h.status],
                            at=aware(h.at), note=h.note)
            for h in request.history
        ],
        expected_restoration_at=_restoration(request),
    )


def _restoration(request: ServiceRequest) -> Optional[dt.datetime]:
    """When an open outage report expects power back (none for other kinds, or once resolved)."""
    eta = getattr(request, "expected_restoration_at", None)
    return aware(eta) if eta and request.status not in v.FINAL_STATUSES else None
