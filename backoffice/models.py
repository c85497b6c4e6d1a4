"""Database schema (SQLAlchemy 2 ORM). Datetimes are naive Vietnam time (see common/clock.py)."""

from __future__ import annotations

import datetime as dt
from typing import List, Optional

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from backoffice import vocabulary as v


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(13), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(10), index=True)
    email: Mapped[Optional[str]] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))  # house number and street
    ward: Mapped[str] = mapped_column(String(100))
    district: Mapped[str] = mapped_column(String(100))
    province: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(20))  # vocabulary.PURPOSES
    household_members: Mapped[int] = mapped_column(Integer)
    # Households of the residential tiers: ceil(members / 4) for registered tenants, else 1.
    quota_households: Mapped[int] = mapped_column(Integer, default=1)
    phases: Mapped[int] = mapped_column(Integer)
    contract_date: Mapped[dt.date] = mapped_column(Date)
    reading_day: Mapped[int] = mapped_column(Integer)  # day of month the meter is read (1-25)

    meters: Mapped[List["Meter"]] = relationship(back_populates="customer", order_by="Meter.installed_at")
    bills: Mapped[List["Bill"]] = relationship(back_populates="customer")

    @property
    def current_meter(self) -> Optional["Meter"]:
        return self.meters[-1] if self.meters else None

    @property
    def full_address(self) -> str:
        return ", ".join((self.address, self.ward, self.district, self.province))


class Meter(Base):
    __tablename__ = "meters"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    installed_at: Mapped[dt.date] = mapped_column(Date)

    customer: Mapped[Customer] = relationship(back_populates="meters")
    readings: Mapped[List["Reading"]] = relationship(back_populates="meter")


class Reading(Base):
    __tablename__ = "readings"
    __table_args__ = (UniqueConstraint("meter_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    reading_date: Mapped[dt.date] = mapped_column(Date)
    old_index: Mapped[int] = mapped_column(BigInteger)
    new_index: Mapped[int] = mapped_column(BigInteger)
    kwh: Mapped[int] = mapped_column(BigInteger)

    meter: Mapped[Meter] = relationship(back_populates="readings")


class Bill(Base):
    __tablename__ = "bills"
    __table_args__ = (UniqueConstraint("customer_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    period: Mapped[str] = mapped_column(String(7))
    reading_date: Mapped[dt.date] = mapped_column(Date)
    kwh: Mapped[int] = mapped_column(BigInteger)
    subtotal: Mapped[int] = mapped_column(BigInteger)
    vat_rate: Mapped[str] = mapped_column(String(8))  # exact decimal, e.g. "0.08"
    vat: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    lines: Mapped[list] = mapped_column(JSON)  # [{tier, kwh, price, amount}]
    issued_at: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    # paid or unpaid as recorded; "overdue" as of the day it was last written.
    # The API derives the status against today (billing.bill_status).
    status: Mapped[str] = mapped_column(String(10))

    customer: Mapped[Customer] = relationship(back_populates="bills")
    payments: Mapped[List["Payment"]] = relationship(back_populates="bill", order_by="Payment.paid_at")


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    channel: Mapped[str] = mapped_column(String(20))  # vocabulary.PAYMENT_CHANNELS
    paid_at: Mapped[dt.datetime] = mapped_column(DateTime)

    bill: Mapped[Bill] = relationship(back_populates="payments")


class PlannedOutage(Base):
    __tablename__ = "planned_outages"
    __table_args__ = (Index("ix_planned_outages_window", "end_at", "start_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    province: Mapped[str] = mapped_column(String(100))
    district: Mapped[str] = mapped_column(String(100))
    ward: Mapped[Optional[str]] = mapped_column(String(100))  # None: the whole district
    area: Mapped[str] = mapped_column(String(300))
    start_at: Mapped[dt.datetime] = mapped_column(DateTime)
    end_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(300))


class CodeCounter(Base):
    """Last sequence number given for a code prefix and year (YC2026000123 -> YC, 2026, 123)."""

    __tablename__ = "code_counters"

    prefix: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer)


# --- requests: one table for what they share, one per kind for the rest ---------


class ServiceRequest(Base):
    """A customer request of any kind; ``code`` starts with the kind's prefix."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id"), index=True)
    phone: Mapped[Optional[str]] = mapped_column(String(10), index=True)  # contact phone
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)

    customer: Mapped[Optional[Customer]] = relationship()
    history: Mapped[List["RequestHistory"]] = relationship(
        back_populates="request", order_by=lambda: (RequestHistory.at, RequestHistory.id),
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "request"}

    def move_to(self, status: str, at: dt.datetime, note: Optional[str] = None) -> None:
        """Change the status and record it in the history."""
        if status not in v.STATUSES_BY_KIND[self.kind]:
            raise ValueError(f"{status!r} is not a status of a {self.kind}")
        self.status = status
        self.updated_at = at
        self.history.append(RequestHistory(status=status, at=at, note=note))


class RequestHistory(Base):
    __tablename__ = "request_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    note: Mapped[Optional[str]] = mapped_column(String(500))

    request: Mapped[ServiceRequest] = relationship(back_populates="history")


def ward_key(province: str, district: str, ward: Optional[str]) -> Optional[str]:
    """The key of a ward's open incident (None without a ward: no deduplication)."""
    return None if ward is None else f"{province}|{district}|{ward}"


class OutageTicket(ServiceRequest):
    """An outage incident: its first report (address, description, hazard, contact) and the
    place it was located to; later reports from the same ward are attached to it."""

    __tablename__ = "outage_tickets"

    id: Mapped[int] = mapped_column(ForeignKey("requests.id"), primary_key=True)
    address: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    hazard: Mapped[bool] = mapped_column(Boolean)
    # Where the failure is, when the back office could place it (canonical names).
    province: Mapped[Optional[str]] = mapped_column(String(100))
    district: Mapped[Optional[str]] = mapped_column(String(100))
    ward: Mapped[Optional[str]] = mapped_column(String(100))
    expected_restoration_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    # ward_key while unresolved, else NULL: at most one open incident per ward, even
    # when many customers report the same outage at the same moment.
    open_ward: Mapped[Optional[str]] = mapped_column(String(320), unique=True)

    attached: Mapped[List["AttachedReport"]] = relationship(
        back_populates="ticket", order_by="AttachedReport.reported_at", cascade="all, delete-orphan")

    __mapper_args__ = {"polymorphic_identity": v.OUTAGE_REPORT}

    @property
    def reports(self) -> int:
        return 1 + len(self.attached)

    @property
    def urgent(self) -> bool:
        """Some report of it is a danger to people."""
        return self.hazard or any(report.hazard for report in self.attached)

    def move_to(self, status: str, at: dt.datetime, note: Optional[str] = None) -> None:
        super().move_to(status, at, note)
        self.open_ward = None if status in v.FINAL_STATUSES else ward_key(self.province, self.district, self.ward)


class AttachedReport(Base):
    """A further report of an outage already ticketed in the same ward."""

    __tablename__ = "outage_attached_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("outage_tickets.id"), index=True)
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id"), index=True)
    phone: Mapped[Optional[str]] = mapped_column(String(10), index=True)
    address: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    hazard: Mapped[bool] = mapped_column(Boolean)
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime)

    ticket: Mapped[OutageTicket] = relationship(back_populates="attached")
    customer: Mapped[Optional[Customer]] = relationship()


class ConnectionRequest(ServiceRequest):
    __tablename__ = "connection_requests"

    id: Mapped[int] = mapped_column(ForeignKey("requests.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    ward: Mapped[Optional[str]] = mapped_column(String(100))
    district: Mapped[Optional[str]] = mapped_column(String(100))
    province: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(20))
    phases: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"polymorphic_identity": v.CONNECTION_REQUEST}


class ContractChange(ServiceRequest):
    __tablename__ = "contract_changes"

    id: Mapped[int] = mapped_column(ForeignKey("requests.id"), primary_key=True)
    change_type: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text)

    __mapper_args__ = {"polymorphic_identity": v.CONTRACT_CHANGE}


class Complaint(ServiceRequest):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(ForeignKey("requests.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)

    __mapper_args__ = {"polymorphic_identity": v.COMPLAINT}

