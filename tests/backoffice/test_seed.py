"""The seed: deterministic, realistic, and the demo data hold for any reference date."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backoffice import billing
from backoffice.codes import canonical_phone
from backoffice.db import create_schema
from webkit.db import make_engine
from backoffice.models import (
    Base,
    Bill,
    Complaint,
    ConnectionRequest,
    ContractChange,
    Customer,
    OutageTicket,
    PlannedOutage,
    ServiceRequest,
)
from backoffice.seed import RESIDENTIAL_KWH, SeedError, reading_dates, seed
from backoffice_harness import ROOT, service_env

REFERENCE = dt.date(2026, 11, 24)


def seeded(reference: dt.date) -> Session:
    engine = make_engine("sqlite://")
    create_schema(engine)
    session = Session(engine)
    seed(session, reference)
    session.commit()
    return session


def dump(session: Session) -> dict:
    return {
        table.name: session.execute(select(table).order_by(*table.primary_key.columns)).all()
        for table in Base.metadata.sorted_tables
    }


@pytest.fixture(scope="module")
def reference_data() -> Session:
    return seeded(REFERENCE)


def test_two_seeds_of_the_same_date_are_identical(reference_data):
    again = seeded(REFERENCE)
    first, second = dump(reference_data), dump(again)
    assert first == second
    assert sum(len(rows) for rows in first.values()) > 10_000


def test_another_date_keeps_the_customers_and_moves_the_rest(reference_data):
    later = seeded(dt.date(2027, 3, 10))
    people = select(Customer.code, Customer.name, Customer.phone).order_by(Customer.id)
    assert reference_data.execute(people).all() == later.execute(people).all()
    assert later.scalar(select(func.max(Bill.period))) == "2027-03"


def test_seeding_twice_is_refused(reference_data):
    with pytest.raises(SeedError):
        seed(reference_data, REFERENCE)


def test_customers_look_real(reference_data):
    customers = reference_data.scalars(select(Customer)).all()
    assert len(customers) >= 320
    by_letter = Counter(c.code[1] for c in customers)
    assert by_letter["E"] >= 130 and by_letter["D"] >= 110 and by_letter["C"] >= 25 and by_letter["B"] >= 25
    provinces = {"E": "TP. Hồ Chí Minh", "D": "Hà Nội", "C": "Đà Nẵng", "B": "Cần Thơ"}
    assert all(c.province == provinces[c.code[1]] for c in customers)
    assert len({c.phone for c in customers}) == len(customers)
    assert all(canonical_phone(c.phone) == c.phone for c in customers)
    assert len({c.code for c in customers}) == len(customers) and all(len(c.code) == 13 for c in customers)
    purposes = Counter(c.purpose for c in customers)
    assert purposes["sinh_hoat"] > purposes["kinh_doanh"] > purposes["san_xuat"] > 0
    assert all(1 <= c.reading_day <= 25 and c.phases in (1, 3) for c in customers)
    assert sum(any(ch in c.name for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủũứừửữựỳỷỹỵ")
               for c in customers) > 300


def test_thirteen_months_of_bills_up_to_the_reference_date(reference_data):
    counts = reference_data.execute(select(Bill.customer_id, func.count()).group_by(Bill.customer_id)).all()
    assert {n for _, n in counts} == {13}
    for customer in reference_data.scalars(select(Customer).limit(40)):
        periods = sorted(b.period for b in customer.bills)
        assert [d.strftime("%Y-%m") for d in reading_dates(customer.reading_day, REFERENCE)] == periods
        assert all(b.reading_date < REFERENCE for b in customer.bills)


def test_consumption_is_realistic_and_seasonal(reference_data):
    rows = reference_data.execute(
        select(Bill.kwh, Bill.period, Customer.purpose, Customer.province).join(Customer)).all()
    residential = [kwh for kwh, _, purpose, _ in rows if purpose == "sinh_hoat"]
    assert RESIDENTIAL_KWH[0] <= min(residential) and max(residential) <= RESIDENTIAL_KWH[1]

    def average(province, months):
        values = [kwh for kwh, period, purpose, p in rows
                  if p == province and purpose == "sinh_hoat" and int(period[5:]) in months]
        return sum(values) / len(values)

    assert average("TP. Hồ Chí Minh", {5, 6}) > 1.15 * average("TP. Hồ Chí Minh", {12, 1})
    assert average("Hà Nội", {7, 8}) > 1.25 * average("Hà Nội", {3, 4})


def test_payments_mostly_made_some_unpaid_some_long_overdue(reference_data):
    bills = reference_data.scalars(select(Bill)).all()
    statuses = Counter(billing.bill_status(b, REFERENCE) for b in bills)
    assert statuses["paid"] > 0.9 * len(bills) and statuses["unpaid"] > 10 and statuses["overdue"] > 10
    assert all(b.status == billing.bill_status(b, REFERENCE) for b in bills)
    paid = [b for b in bills if b.status == "paid"]
    assert all(len(b.payments) == 1 and b.payments[0].amount == b.total for b in paid)
    assert all(b.payments[0].paid_at < dt.datetime(2026, 11, 24, 10) for b in paid)
    assert len(Counter(b.payments[0].channel for b in paid)) == 8
    overdue_by_customer = Counter(b.customer_id for b in bills if billing.bill_status(b, REFERENCE) == "overdue")
    assert sum(n >= 2 for n in overdue_by_customer.values()) >= 3


def test_requests_of_every_kind(reference_data):
    count = lambda model: reference_data.scalar(select(func.count()).select_from(model))  # noqa: E731
    assert count(ConnectionRequest) >= 40 and count(OutageTicket) >= 20
    assert count(ContractChange) >= 15 and count(Complaint) >= 15
    statuses = set(reference_data.scalars(select(OutageTicket.status)))
    assert statuses == {"tiep_nhan", "dang_xu_ly", "da_khac_phuc"}
    for request in reference_data.scalars(select(ServiceRequest)):
        assert request.history and request.history[0].at == request.created_at
        assert request.history[-1].status == request.status and request.updated_at == request.history[-1].at
        assert request.updated_at <= dt.datetime(2026, 11, 24, 10)
        assert request.code[2:6] == str(request.created_at.year) or request.code in ("YC2026000001", "KN2026000001")


def test_open_outage_incidents_one_per_ward(reference_data):
    tickets = reference_data.scalars(select(OutageTicket)).all()
    assert all(t.ward and t.expected_restoration_at > t.created_at for t in tickets)
    open_ = [t for t in tickets if t.status in ("tiep_nhan", "dang_xu_ly")]
    assert len(open_) == 10 and all(t.open_ward == f"{t.province}|{t.district}|{t.ward}" for t in open_)
    assert all(t.open_ward is None for t in tickets if t not in open_)
    assert len({t.open_ward for t in open_}) == len(open_)
    assert all(t.expected_restoration_at > dt.datetime(2026, 11, 24, 10) for t in open_)
    demo_wards = {(c.province, c.district, c.ward) for c in reference_data.scalars(
        select(Customer).where(Customer.code.in_(["PE01000123456", "PE05000234567", "PD01000345678",
                                                  "PC01000456789", "PB01000567890"])))}
    [demo] = [t for t in open_ if (t.province, t.district, t.ward) in demo_wards]
    assert (demo.code, demo.ward, demo.district, demo.status, demo.reports, demo.urgent) == (
        "SC2026000001", "Phường Tân Phong", "Quận 7", "dang_xu_ly", 3, False)
    assert demo.created_at == dt.datetime(2026, 11, 24, 9, 10)
    assert [r.reported_at for r in demo.attached] == [dt.datetime(2026, 11, 24, 9, 20), dt.datetime(2026, 11, 24, 9, 35)]


def test_planned_outages(reference_data):
    now = dt.datetime(2026, 11, 24, 10)
    upcoming = reference_data.scalars(
        select(PlannedOutage).where(PlannedOutage.end_at > now,
                                    PlannedOutage.start_at < now + dt.timedelta(days=14))).all()
    assert 22 <= len(upcoming) <= 30
    assert {o.province for o in upcoming} == {"TP. Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Cần Thơ"}
    assert all(o.start_at < o.end_at for o in upcoming)
    assert [o.ward for o in upcoming if o.start_at <= now < o.end_at] == ["Phường Tân An"]


def _demo_statuses(session: Session, code: str, today: dt.date):
    customer = session.scalar(select(Customer).where(Customer.code == code))
    bills = sorted(customer.bills, key=lambda b: b.period, reverse=True)
    return [billing.bill_status(b, today) for b in bills]


@pytest.mark.parametrize("now", [
    dt.datetime(2026, 7, 1, 10, 0),  # the reference moment of a fixed date
    dt.datetime(2026, 12, 31, 23, 40),  # a server started late at night, on the real clock
    dt.datetime(2027, 1, 4, 0, 20),
    dt.datetime(2026, 11, 24, 6, 5),
])
def test_demo_data_hold_for_any_moment(now):
    reference = now.date()
    engine = make_engine("sqlite://")
    create_schema(engine)
    session = Session(engine)
    seed(session, reference, now)
    session.commit()
    an = _demo_statuses(session, "PE01000123456", reference)
    assert an[0] == "unpaid" and set(an[1:]) == {"paid"}
    ngoc = _demo_statuses(session, "PE05000234567", reference)
    assert ngoc[:2] == ["unpaid", "overdue"] and set(ngoc[2:]) == {"paid"}
    for code in ("PD01000345678", "PC01000456789", "PB01000567890"):
        assert set(_demo_statuses(session, code, reference)) == {"paid"}
    outages = session.scalars(select(PlannedOutage)).all()
    assert [o.ward for o in outages if o.start_at <= now < o.end_at] == ["Phường Tân An"]
    assert any(o.ward == "Phường Dịch Vọng" and now < o.start_at < now + dt.timedelta(days=3) for o in outages)
    requests = session.scalars(select(ServiceRequest)).all()
    assert {"YC2026000001", "KN2026000001", "SC2026000001"} <= {r.code for r in requests}
    [incident] = [r for r in requests if r.code == "SC2026000001"]
    assert incident.ward == "Phường Tân Phong" and incident.open_ward and incident.reports == 3
    assert all(r.reported_at <= now for r in incident.attached)
    assert all(h.at <= now for r in requests for h in r.history)
    assert all(p.paid_at < now for b in session.scalars(select(Bill)) for p in b.payments)


def test_a_reference_date_without_tariff_is_refused():
    engine = make_engine("sqlite://")
    create_schema(engine)
    with Session(engine) as session, pytest.raises(SeedError, match="tariff"):
        seed(session, dt.date(2025, 6, 1))


def test_a_database_of_an_older_sandbox_is_seeded_again(tmp_path):
    from sqlalchemy import inspect

    from backoffice.seed import prepare_database
    from common.clock import Clock

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    clock = Clock(dt.datetime(2026, 11, 24, 10))
    assert prepare_database(engine, clock) is True and prepare_database(engine, clock) is False
    with engine.begin() as connection:  # as an older schema had it
        connection.exec_driver_sql("ALTER TABLE outage_tickets DROP COLUMN expected_restoration_at")
        connection.exec_driver_sql("DELETE FROM complaints")
    assert prepare_database(engine, clock) is True
    assert "expected_restoration_at" in {c["name"] for c in inspect(engine).get_columns("outage_tickets")}
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Complaint)) > 0
    engine.dispose()


def test_seed_command_resets_and_reseeds(tmp_path):
    env = service_env(f"sqlite:///{tmp_path / 'cli.db'}", 1)
    env.pop("BACKOFFICE_API_KEY")  # seeding needs no key
    command = [sys.executable, "-m", "backoffice.seed"]
    first = subprocess.run(command + ["--reset"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0 and "seeded" in first.stdout and "320 customers" in first.stdout, first.stderr
    second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0 and "nothing done" in second.stdout
