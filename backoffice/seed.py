"""Deterministic sandbox data, a pure function of the reference date.

    python -m backoffice.seed            seed the database if it is empty
    python -m backoffice.seed --reset    drop everything and seed again
    python -m backoffice.seed --date 2026-11-24   (default: ASSISTANT_TODAY or today)

The random generators have fixed seeds, so the same reference date always gives
the same rows: the same customers for any date, and bills, payments, outages
and requests placed relative to that date, whose "now" is 10:00 Vietnam time
(a server started without ASSISTANT_TODAY seeds relative to the real time).
The documented demo data (seed_data.DEMO_*) always exist.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from bot.text.vietnamese import fold_diacritics
from tariff import TariffError

from backoffice import billing, incidents
from backoffice import vocabulary as v
from common.clock import REFERENCE_TIME, Clock
from backoffice.codes import new_request_code, next_code
from backoffice.db import create_schema, drop_schema, is_empty, schema_outdated
from webkit.db import make_engine
from backoffice import seed_data as data
from backoffice.models import (
    AttachedReport,
    Base,
    Complaint,
    ConnectionRequest,
    ContractChange,
    Bill,
    Customer,
    Meter,
    OutageTicket,
    Payment,
    PlannedOutage,
    Reading,
    ServiceRequest,
)

RANDOM_SEED = 1279
PERIODS = 13
RESIDENTIAL_KWH = (80, 600)
# Upcoming planned outages by city (plus the demo ones), and a few already over.
UPCOMING_OUTAGES = {"TP. Hồ Chí Minh": 9, "Hà Nội": 8, "Đà Nẵng": 3, "Cần Thơ": 3}
PAST_OUTAGES = 3
CONNECTION_TARGETS = {"tiep_nhan": 6, "khao_sat": 7, "ky_hop_dong": 6, "lap_dat": 6, "dong_dien": 10, "huy": 5}
TICKET_TARGETS = {"tiep_nhan": 4, "dang_xu_ly": 5, "da_khac_phuc": 11}
CONTRACT_TARGETS = {"tiep_nhan": 4, "dang_xu_ly": 4, "hoan_thanh": 5, "tu_choi": 2}
COMPLAINT_TARGETS = {"tiep_nhan": 4, "dang_xu_ly": 5, "da_giai_quyet": 6}


class SeedError(RuntimeError):
    pass


def reading_dates(reading_day: int, today: dt.date, count: int = PERIODS) -> List[dt.date]:
    """The last ``count`` reading dates strictly before ``today``, oldest first."""
    year, month = today.year, today.month
    if dt.date(year, month, reading_day) >= today:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    dates = []
    for _ in range(count):
        dates.append(dt.date(year, month, reading_day))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return dates[::-1]


def _reading_day_before(reference: dt.date, offsets: Sequence[int]) -> int:
    """A reading day (1-25) whose last reading was ``offset`` days before the reference."""
    for offset in offsets:
        day = reference - dt.timedelta(days=offset)
        if day.day <= 25:
            return day.day
    raise SeedError("no reading day fits")  # pragma: no cover - some offset always fits


# Demo bills unpaid but not yet due: read 4-11 days ago. All paid: read 9-20 days ago.
_RECENT_READING = (4, 5, 6, 7, 8, 9, 10, 11, 3, 2, 1)
_OLDER_READING = tuple(range(9, 21)) + (8, 7, 6, 5, 4, 3)
_UNPAID_TAIL = {"latest_unpaid": 1, "two_unpaid": 2, "all_paid": 0}


@dataclass
class _Billing:
    """How a customer consumes and pays."""

    region: str
    base_kwh: int
    start_index: int
    payer: str  # punctual, late, forgetful, debtor, demo
    channel: str
    unpaid_tail: int = 0


@dataclass
class _Pending:
    """A request waiting for its code (given once every request of the seed exists)."""

    request: ServiceRequest
    events: List[Tuple[str, dt.datetime, Optional[str]]] = field(default_factory=list)


class _Seeder:
    def __init__(self, session: Session, now: dt.datetime) -> None:
        self.session = session
        self.today = now.date()
        self.now = now
        # Separate streams: the customers are the same whatever the date; bills,
        # outages and requests depend on it.
        self.rng = random.Random(f"{RANDOM_SEED}:customers")
        self.bill_rng = random.Random(f"{RANDOM_SEED}:bills")
        self.phones: Set[str] = {d.phone for d in data.DEMO_CUSTOMERS} | {data.DEMO_CONNECTION_REQUEST["phone"]}
        self.codes: Set[str] = {d.code for d in data.DEMO_CUSTOMERS}
        self.serials: Set[str] = set()
        self.customers: List[Tuple[Customer, data.City]] = []
        self.generic: List[Tuple[Customer, data.City]] = []
        self.readings: List[Tuple[Meter, dict]] = []
        self.bills: List[Tuple[Customer, dict, Optional[dict]]] = []  # (customer, bill, payment or None)

    # --- small generators ------------------------------------------------------------

    def _weighted(self, pairs: Sequence[Tuple[str, int]], rng: Optional[random.Random] = None) -> str:
        return (rng or self.rng).choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]

    def _person(self) -> Tuple[str, str, str]:
        family = self._weighted(data.FAMILY_NAMES)
        if self.rng.random() < 0.5:
            middle, given = self.rng.choice(data.MALE_MIDDLE), self.rng.choice(data.MALE_GIVEN)
        else:
            middle, given = self.rng.choice(data.FEMALE_MIDDLE), self.rng.choice(data.FEMALE_GIVEN)
        return f"{family} {middle} {given}", family, given

    def _phone(self) -> str:
        while True:
            phone = self.rng.choice(data.PHONE_PREFIXES) + f"{self.rng.randrange(10 ** 7):07d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _customer_code(self, letter: str) -> str:
        while True:
            code = f"P{letter}{self.rng.randint(1, 15):02d}{self.rng.randrange(10 ** 9):09d}"
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _serial(self, installed: dt.date) -> str:
        while True:
            serial = f"{installed.year % 100:02d}{self.rng.randrange(10 ** 8):08d}"
            if serial not in self.serials:
                self.serials.add(serial)
                return serial

    def _street_address(self, city: data.City, district: data.District) -> str:
        street = self.rng.choice(district.streets)
        number = self.rng.randint(1, 320)
        if self.rng.random() < 0.35:
            alley = self.rng.randint(2, 180)
            return f"{number} ngõ {alley} {street}" if city.region == "north" else f"{alley}/{number} {street}"
        return f"{number} {street}"

    def _date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=int(self.rng.random() * (end - start).days))

    def _at(self, days_ago: int, earliest: dt.time = dt.time(7, 30), latest: dt.time = dt.time(17, 0)) -> dt.datetime:
        """A moment in working hours ``days_ago`` days before the reference; today: shortly before now."""
        if days_ago == 0:
            return self.now - dt.timedelta(minutes=self.rng.randint(15, 150))
        day = self.today - dt.timedelta(days=days_ago)
        lo = earliest.hour * 60 + earliest.minute
        hi = max(lo, latest.hour * 60 + latest.minute)
        minute = self.rng.randint(lo, hi)
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60))

    # --- customers and their bills ------------------------------------------------------

    def _add_customer(self, customer: Customer, city: data.City, profile: _Billing, installed: dt.date) -> None:
        meter = Meter(serial=self._serial(installed), installed_at=installed)
        customer.meters.append(meter)
        self.session.add(customer)
        self._bills(customer, meter, profile)
        self.customers.append((customer, city))

    def _demo_customers(self, city: data.City) -> None:
        for demo in data.DEMO_CUSTOMERS:
            if demo.province != city.province:
                continue
            offsets = _OLDER_READING if demo.payments == "all_paid" else _RECENT_READING
            customer = Customer(
                code=demo.code, name=demo.name, phone=demo.phone, email=demo.email or None,
                address=demo.address, ward=demo.ward, district=demo.district, province=demo.province,
                purpose=demo.purpose, household_members=demo.household_members,
                quota_households=demo.quota_households, phases=demo.phases,
                contract_date=dt.date(2015, 3, 16), reading_day=_reading_day_before(self.today, offsets),
            )
            profile = _Billing(city.region, demo.monthly_kwh, 18_452, "demo", "momo", _UNPAID_TAIL[demo.payments])
            self._add_customer(customer, city, profile, customer.contract_date)

    def _generic_customer(self, city: data.City) -> None:
        rng = self.rng
        district = rng.choice(city.districts)
        ward = rng.choice(district.wards)
        purpose = rng.choices(v.PURPOSES, weights=(85, 11, 4))[0]
        name, family, given = self._person()
        members, quota, phases = 0, 1, 3
        if purpose == "sinh_hoat":
            tenants = rng.random() < 0.1
            members = rng.randint(5, 16) if tenants else rng.choices(range(1, 8), weights=(6, 14, 22, 26, 16, 10, 6))[0]
            quota = billing.quota_households(members, tenants)
            phases = 3 if rng.random() < 0.05 else 1
            base = rng.randint(60, 120) + 40 * members if not tenants else 50 * members
            base = int(base * (1.4 if rng.random() < 0.1 else 1.0))
            start_index = rng.randint(1_000, 40_000)
        elif purpose == "kinh_doanh":
            if rng.random() < 0.6:
                name = f"{rng.choice(data.SHOP_KINDS)} {rng.choice(data.BRAND_WORDS)}"
            elif rng.random() < 0.5:
                name = f"{rng.choice(data.COMPANY_KINDS)} {rng.choice(data.BRAND_WORDS)}"
            phases = rng.choice((1, 3))
            base, start_index = rng.randint(250, 2_500), rng.randint(10_000, 200_000)
        else:
            name = f"{rng.choice(data.FACTORY_KINDS)} {rng.choice(data.BRAND_WORDS)}"
            base, start_index = rng.randint(2_000, 9_000), rng.randint(50_000, 900_000)
        email = None
        if rng.random() < 0.35:
            slug = fold_diacritics(f"{given}.{family}").lower().replace(" ", "")
            email = f"{slug}{rng.randint(1, 99)}@example.com"
        contract_date = self._date_between(dt.date(2003, 1, 1), self.today - dt.timedelta(days=430))
        customer = Customer(
            code=self._customer_code(city.letter), name=name, phone=self._phone(), email=email,
            address=self._street_address(city, district), ward=ward, district=district.name,
            province=city.province, purpose=purpose, household_members=members, quota_households=quota,
            phases=phases, contract_date=contract_date, reading_day=rng.randint(1, 25),
        )
        payer = rng.choices(("punctual", "late", "forgetful", "debtor"), weights=(72, 18, 6, 4))[0]
        channel = self._weighted(data.PAYMENT_CHANNEL_WEIGHTS)
        unpaid_tail = {"forgetful": 1, "debtor": rng.choice((2, 3))}.get(payer, 0)
        self._add_customer(customer, city, _Billing(city.region, base, start_index, payer, channel, unpaid_tail),
                           contract_date)
        self.generic.append((customer, city))

    def _kwh(self, customer: Customer, profile: _Billing, reading_date: dt.date) -> int:
        consumed_in = reading_date - dt.timedelta(days=15)
        factor = data.SEASONAL[profile.region][consumed_in.month - 1]
        kwh = round(profile.base_kwh * factor * self.bill_rng.uniform(0.9, 1.1))
        if customer.purpose == "sinh_hoat":
            kwh = min(max(kwh, RESIDENTIAL_KWH[0]), RESIDENTIAL_KWH[1])
        return kwh

    def _paid_at(self, profile: _Billing, issued: dt.date) -> dt.datetime:
        rng = self.bill_rng
        if profile.payer == "demo":
            return dt.datetime.combine(issued + dt.timedelta(days=1), dt.time(19, 30))
        if profile.channel == "auto_debit":
            return dt.datetime.combine(issued + dt.timedelta(days=1), dt.time(3, rng.randint(0, 59)))
        delay = rng.randint(0, 6) if profile.payer != "late" else rng.randint(6, 18)
        return dt.datetime.combine(issued + dt.timedelta(days=delay), dt.time(rng.randint(6, 21), rng.randint(0, 59)))

    def _channel(self, profile: _Billing) -> str:
        if profile.channel == "auto_debit" or profile.payer == "demo" or self.bill_rng.random() < 0.8:
            return profile.channel
        return self._weighted(data.PAYMENT_CHANNEL_WEIGHTS, self.bill_rng)

    def _bills(self, customer: Customer, meter: Meter, profile: _Billing) -> None:
        """Readings, bills and payments as plain rows: ORM objects for these ~12,000 rows
        would take most of the seeding time (see _insert_bills)."""
        index = profile.start_index
        dates = reading_dates(customer.reading_day, self.today)
        for position, reading_date in enumerate(dates):
            kwh = self._kwh(customer, profile, reading_date)
            period = reading_date.strftime("%Y-%m")
            self.readings.append((meter, {"period": period, "reading_date": reading_date, "old_index": index,
                                          "new_index": index + kwh, "kwh": kwh}))
            index += kwh
            try:
                bill = billing.bill_values(customer, period, reading_date, kwh)
            except TariffError as error:
                raise SeedError(f"cannot bill {period}: {error}; use a later reference date") from None
            paid_at = self._paid_at(profile, bill["issued_at"])
            channel = self._channel(profile)
            payment = None
            if position < len(dates) - profile.unpaid_tail and paid_at < self.now:
                bill["status"] = v.BILL_PAID
                payment = {"amount": bill["total"], "channel": channel, "paid_at": paid_at}
            else:
                bill["status"] = billing.status_on(bill["status"], bill["due_date"], self.today)
            self.bills.append((customer, bill, payment))

    def _insert_bills(self) -> None:
        """Bulk inserts of the rows of _bills, once the customers and meters have their ids."""
        self.session.execute(insert(Reading.__table__),
                             [{**row, "meter_id": meter.id} for meter, row in self.readings])
        self.session.execute(insert(Bill.__table__),
                             [{**row, "customer_id": customer.id} for customer, row, _ in self.bills])
        bill_ids = dict(((customer_id, period), id_) for id_, customer_id, period
                        in self.session.execute(select(Bill.id, Bill.customer_id, Bill.period)))
        self.session.execute(insert(Payment.__table__), [
            {**payment, "bill_id": bill_ids[customer.id, row["period"]]}
            for customer, row, payment in self.bills if payment is not None
        ])

    # --- planned outages ----------------------------------------------------------------

    def _outage(self, city: data.City, district: str, ward: Optional[str], area: str, day: int,
                start: Tuple[int, int], end: Tuple[int, int], reason: str) -> PlannedOutage:
        date = self.today + dt.timedelta(days=day)
        return PlannedOutage(
            province=city.province, district=district, ward=ward, area=area,
            start_at=dt.datetime.combine(date, dt.time(*start)), end_at=dt.datetime.combine(date, dt.time(*end)),
            reason=reason,
        )

    def _generic_outage(self, day: int, city: Optional[data.City] = None) -> PlannedOutage:
        rng = self.rng
        city = city or rng.choices(data.CITIES, weights=[c.customers for c in data.CITIES])[0]
        district = rng.choice(city.districts)
        streets = rng.sample(district.streets, 2)
        if rng.random() < 0.2:
            ward = None
            area = f"Một phần các phường dọc tuyến đường {streets[0]} và {streets[1]}"
        else:
            ward = rng.choice(district.wards)
            first = rng.randint(1, 80)
            area = rng.choice((
                f"Đường {streets[0]} từ số {first} đến số {first + rng.randint(20, 150)}",
                f"Khu dân cư {'ngõ' if city.region == 'north' else 'hẻm'} {rng.randint(2, 300)} {streets[0]}",
                f"Đường {streets[0]} và một phần đường {streets[1]}",
            ))
        start = rng.choice(((7, 0), (7, 30), (8, 0), (8, 30), (9, 0), (13, 0)))
        end_minutes = min(start[0] * 60 + start[1] + 60 * rng.randint(3, 9), 17 * 60 + 30)
        if start[0] == 13:
            end_minutes = 17 * 60
        return self._outage(city, district.name, ward, area, day, start, divmod(end_minutes, 60),
                            rng.choice(data.OUTAGE_REASONS))

    def outages(self) -> None:
        outages = [self._outage(d["city"], d["district"], d["ward"], d["area"], d["day"], d["start"], d["end"],
                                d["reason"]) for d in data.DEMO_OUTAGES]
        # In progress now: from 3 hours before to 7 hours after (07:00-17:00 at the usual 10:00).
        current = data.DEMO_OUTAGE_IN_PROGRESS
        start = self.now.replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=3)
        outages.append(PlannedOutage(province=current["city"].province, district=current["district"],
                                     ward=current["ward"], area=current["area"], reason=current["reason"],
                                     start_at=start, end_at=start + dt.timedelta(hours=10)))
        outages += [self._generic_outage(self.rng.randint(1, 13), city)
                    for city in data.CITIES for _ in range(UPCOMING_OUTAGES[city.province])]
        outages += [self._generic_outage(-self.rng.randint(1, 6)) for _ in range(PAST_OUTAGES)]
        outages.sort(key=lambda o: (o.start_at, o.province, o.district, o.ward or "", o.area))
        for outage in outages:
            outage.code = next_code(self.session, v.PLANNED_OUTAGE_PREFIX, outage.start_at.year)
            self.session.add(outage)

    # --- requests -------------------------------------------------------------------------

    def _timeline(self, statuses: Sequence[str], gaps: Sequence[Tuple[int, int]],
                  tail: Tuple[int, int]) -> List[dt.datetime]:
        """Event times of a status path, counted back from now in whole days."""
        offsets = [self.rng.randint(*tail)]
        for gap in reversed(gaps[: len(statuses) - 1]):
            offsets.append(offsets[-1] + self.rng.randint(*gap))
        return [self._at(days_ago) for days_ago in reversed(offsets)]

    def _pending(self, request: ServiceRequest, statuses: Sequence[str], times: Sequence[dt.datetime],
                 notes: Sequence[Optional[str]]) -> _Pending:
        request.created_at = times[0]
        return _Pending(request, list(zip(statuses, times, notes)))

    def _random_place(self) -> Tuple[data.City, data.District, str, str]:
        city = self.rng.choices(data.CITIES, weights=[c.customers for c in data.CITIES])[0]
        district = self.rng.choice(city.districts)
        return city, district, self.rng.choice(district.wards), self._street_address(city, district)

    def _connection_requests(self) -> List[_Pending]:
        path = list(v.STATUSES_BY_KIND[v.CONNECTION_REQUEST][:5])
        gaps = ((1, 2), (1, 3), (1, 3), (1, 2))
        pending = []
        for target, count in CONNECTION_TARGETS.items():
            for _ in range(count):
                if target == "huy":
                    statuses = path[: self.rng.randint(1, 2)] + ["huy"]
                    tail = (1, 30)
                else:
                    statuses = path[: path.index(target) + 1]
                    tail = (1, 40) if target == "dong_dien" else (0, 2)
                times = self._timeline(statuses, gaps, tail)
                notes = [self.rng.choice(data.CONNECTION_NOTES[s]) for s in statuses]
                city, district, ward, address = self._random_place()
                purpose = self.rng.choices(v.PURPOSES, weights=(85, 12, 3))[0]
                request = ConnectionRequest(
                    name=self._person()[0], phone=self._phone(), address=address, ward=ward,
                    district=district.name, province=city.province, purpose=purpose,
                    phases=3 if purpose == "san_xuat" or self.rng.random() < 0.15 else 1,
                )
                pending.append(self._pending(request, statuses, times, notes))
        return pending

    def _outage_tickets(self) -> List[_Pending]:
        rng, pending = self.rng, []
        busy_wards = {(d.province, d.district, d.ward) for d in data.DEMO_CUSTOMERS}
        for target, count in TICKET_TARGETS.items():
            for _ in range(count):
                if target == "tiep_nhan":
                    created = self.now - dt.timedelta(minutes=rng.randint(10, 50))
                elif target == "dang_xu_ly":
                    created = self.now - dt.timedelta(minutes=rng.randint(60, 20 * 60))
                else:
                    created = self._at(rng.randint(1, 10), dt.time(6, 0), dt.time(21, 0))
                times = [created, created + dt.timedelta(minutes=rng.randint(15, 45))]
                times.append(times[1] + dt.timedelta(minutes=rng.randint(60, 270)))
                statuses = list(v.STATUSES_BY_KIND[v.OUTAGE_REPORT])
                count_done = statuses.index(target) + 1
                notes = ["Tiếp nhận báo mất điện qua tổng đài", "Đã điều đội sửa chữa đến hiện trường",
                         f"Đã khắc phục, cấp điện trở lại lúc {times[2]:%H:%M}"]
                description, hazard = rng.choice(data.OUTAGE_REPORTS)
                unresolved = target != "da_khac_phuc"
                while True:  # an open incident in a ward of its own, away from the demo customers
                    if rng.random() < 0.6:
                        customer, _city = rng.choice(self.generic)
                        place = (customer.province, customer.district, customer.ward)
                        contact = {"customer": customer, "phone": customer.phone, "address": customer.full_address}
                    else:
                        city, district, ward, address = self._random_place()
                        place = (city.province, district.name, ward)
                        contact = {"phone": None, "address": f"{address}, {ward}, {district.name}, {city.province}"}
                    if not unresolved or place not in busy_wards:
                        break
                if unresolved:
                    busy_wards.add(place)
                expected = incidents.restoration_due(created, hazard)
                if unresolved:  # re-estimated once overdue
                    expected = max(expected, self.now + dt.timedelta(hours=1))
                ticket = OutageTicket(**{**contact, "phone": contact["phone"] or self._phone()},
                                      description=description, hazard=hazard, province=place[0], district=place[1],
                                      ward=place[2], expected_restoration_at=expected)
                pending.append(self._pending(ticket, statuses[:count_done], times[:count_done], notes[:count_done]))
        return pending

    def _contract_changes(self) -> List[_Pending]:
        rng, pending = self.rng, []
        customers = rng.sample(self.generic, sum(CONTRACT_TARGETS.values()))
        for (target, count) in CONTRACT_TARGETS.items():
            for _ in range(count):
                customer, _city = customers.pop()
                change_type = rng.choice(v.CHANGE_TYPES)
                statuses = ["tiep_nhan"] if target == "tiep_nhan" else (
                    ["tiep_nhan", "dang_xu_ly"] + ([target] if target != "dang_xu_ly" else []))
                times = self._timeline(statuses, ((1, 2), (1, 3)), (0, 1) if target in ("tiep_nhan", "dang_xu_ly") else (1, 25))
                notes = ["Tiếp nhận yêu cầu thay đổi hợp đồng"] + [data.CONTRACT_CHANGE_NOTES[s] for s in statuses[1:]]
                details = data.CONTRACT_CHANGE_DETAILS[change_type].format(
                    name=self._person()[0], members=rng.randint(5, 12))
                request = ContractChange(customer=customer, phone=customer.phone, change_type=change_type,
                                         details=details)
                pending.append(self._pending(request, statuses, times, notes))
        return pending

    def _complaints(self) -> List[_Pending]:
        rng, pending = self.rng, []
        for target, count in COMPLAINT_TARGETS.items():
            for _ in range(count):
                category = rng.choice(v.COMPLAINT_CATEGORIES)
                statuses = list(v.STATUSES_BY_KIND[v.COMPLAINT])[: v.STATUSES_BY_KIND[v.COMPLAINT].index(target) + 1]
                times = self._timeline(statuses, ((1, 2), (1, 4)), (0, 1) if target != "da_giai_quyet" else (1, 30))
                notes = ["Tiếp nhận khiếu nại"] + [data.COMPLAINT_NOTES[s] for s in statuses[1:]]
                if rng.random() < 0.7:
                    customer, _city = rng.choice(self.generic)
                    complaint = Complaint(customer=customer, phone=customer.phone, category=category,
                                          content=rng.choice(data.COMPLAINTS[category]))
                else:
                    complaint = Complaint(phone=self._phone(), category=category,
                                          content=rng.choice(data.COMPLAINTS[category]))
                pending.append(self._pending(complaint, statuses, times, notes))
        return pending

    def _demo_requests(self) -> List[_Pending]:
        demo = dict(data.DEMO_CONNECTION_REQUEST)
        code = demo.pop("code")
        request = ConnectionRequest(code=code, **demo)
        connection = self._pending(
            request, ["tiep_nhan", "khao_sat"],
            [self._at_time(3, 9, 15), self._at_time(1, 14, 0)],
            ["Tiếp nhận yêu cầu cấp điện mới qua website",
             f"Đã phân công nhân viên khảo sát; nhân viên sẽ gọi số {demo['phone']} để hẹn lịch"],
        )
        complaint_data = dict(data.DEMO_COMPLAINT)
        customer = next(c for c, _ in self.customers if c.code == complaint_data.pop("customer_code"))
        complaint = Complaint(code=complaint_data.pop("code"), customer=customer,
                              phone=customer.phone, **complaint_data)
        complaint_pending = self._pending(
            complaint, ["tiep_nhan", "dang_xu_ly"], [self._at_time(2, 8, 40), self._at_time(1, 10, 15)],
            ["Tiếp nhận khiếu nại qua tổng đài", "Đã chuyển bộ phận ghi chỉ số kiểm tra lại công tơ"],
        )
        return [connection, complaint_pending, self._demo_incident()]

    def _demo_incident(self) -> _Pending:
        """The open incident of the demo customer PE05000234567's ward, reported by neighbours."""
        demo = data.DEMO_INCIDENT
        place = demo["province"], demo["district"], demo["ward"]
        reports = [(self.now - dt.timedelta(minutes=minutes), f"{street}, {', '.join(place[::-1])}", description)
                   for minutes, street, description in demo["reports"]]
        (created, address, description), *later = reports
        ticket = OutageTicket(
            code=demo["code"], phone=self._phone(), address=address,
            description=description, hazard=False, province=place[0], district=place[1], ward=place[2],
            expected_restoration_at=incidents.restoration_due(created, False),
            attached=[AttachedReport(phone=self._phone(), address=address, description=description, hazard=False,
                                     reported_at=at) for at, address, description in later],
        )
        dispatched = self.now - dt.timedelta(minutes=demo["dispatched"])
        return self._pending(ticket, ["tiep_nhan", "dang_xu_ly"], [created, dispatched],
                             ["Tiếp nhận báo mất điện qua tổng đài", "Đã điều đội sửa chữa đến hiện trường"])

    def _at_time(self, days_ago: int, hour: int, minute: int) -> dt.datetime:
        return dt.datetime.combine(self.today - dt.timedelta(days=days_ago), dt.time(hour, minute))

    def requests(self) -> None:
        demo = self._demo_requests()
        generic = self._connection_requests() + self._outage_tickets() + self._contract_changes() + self._complaints()
        generic.sort(key=lambda p: (p.request.created_at, p.request.kind))
        # The demo codes are documented; the others random like the service's (from a seeded
        # generator here: the same rows for the same date).
        codes = {item.request.code for item in demo}
        code_rng = random.Random(f"{RANDOM_SEED}:request-codes")
        for item in demo + generic:
            request = item.request
            if request.code is None:
                prefix = v.PREFIX_BY_KIND[request.kind]
                request.code = new_request_code(self.session, prefix, request.created_at.year, code_rng, codes)
                codes.add(request.code)
            for status, at, note in item.events:
                request.move_to(status, at, note)
            self.session.add(request)

    def run(self) -> Dict[str, int]:
        for city in data.CITIES:
            self._demo_customers(city)
            demo_count = sum(1 for d in data.DEMO_CUSTOMERS if d.province == city.province)
            for _ in range(city.customers - demo_count):
                self._generic_customer(city)
        self.session.flush()
        self._insert_bills()
        # Codes are numbered and checked by SQL statements: without this, each one would
        # first flush the previous request alone.
        with self.session.no_autoflush:
            self.outages()
            self.requests()
        self.session.flush()
        return counts(self.session)


def counts(session: Session) -> Dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def seed(session: Session, reference: dt.date, now: Optional[dt.datetime] = None) -> Dict[str, int]:
    """Fills an empty database (not committed) and returns the row counts.

    ``now`` is the moment the data is relative to: 10:00 on the reference date
    by default (then the data are a pure function of that date), or the real
    time of a server started without ASSISTANT_TODAY.
    """
    now = now or dt.datetime.combine(reference, REFERENCE_TIME)
    if now.date() != reference:
        raise SeedError(f"now ({now}) is not on the reference date {reference}")
    if not is_empty(session):
        raise SeedError("the database already has customers; reset it first")
    return _Seeder(session, now).run()


def reset_database(engine: Engine, clock: Clock) -> Dict[str, int]:
    """Drops every table and seeds again relative to the clock, in one transaction: the
    same rows as a fresh start with that clock, and concurrent requests see either the
    old data or the new. Returns the row counts."""
    with Session(engine) as session:
        connection = session.connection()
        drop_schema(connection)
        create_schema(connection)
        rows = seed(session, clock.today(), clock.now())
        session.commit()
    return rows


def prepare_database(engine: Engine, clock: Clock) -> bool:
    """Creates the tables and seeds them, relative to the clock, if there are no customers,
    or seeds again from scratch a database left by an older sandbox (tables missing columns).
    True if it seeded."""
    if schema_outdated(engine):
        reset_database(engine, clock)
        return True
    create_schema(engine)
    with Session(engine) as session:
        if not is_empty(session):
            return False
        seed(session, clock.today(), clock.now())
        session.commit()
        return True


def main(argv: Optional[Sequence[str]] = None) -> int:
    from backoffice.settings import Settings, SettingsError

    parser = argparse.ArgumentParser(prog="python -m backoffice.seed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="drop every table first")
    parser.add_argument("--date", type=dt.date.fromisoformat, help="reference date (default: ASSISTANT_TODAY or today)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(require_api_key=False)
    except SettingsError as error:
        print(f"backoffice.seed: {error}", file=sys.stderr)
        return 2
    clock = Clock(dt.datetime.combine(args.date, REFERENCE_TIME)) if args.date else settings.clock
    reference = clock.today()
    engine = make_engine(settings.database_url)
    try:
        if args.reset:
            rows = reset_database(engine, clock)
        elif prepare_database(engine, clock):
            with Session(engine) as session:
                rows = counts(session)
        else:
            print("the database already has data: nothing done (use --reset to seed again)")
            return 0
        summary = ", ".join(f"{n} {t}" for t, n in rows.items())
        print(f"seeded {engine.url.render_as_string(hide_password=True)} for {reference}: {summary}")
    except SeedError as error:
        print(f"backoffice.seed: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
