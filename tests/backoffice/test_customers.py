"""Customers, verification, bills, debt and readings; bill amounts against the tariff package."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from sqlalchemy import select

from backoffice.models import Customer
from backoffice_harness import assert_error
from tariff import business_bill, residential_bill

TODAY = dt.date(2026, 11, 24)
DEMOS = {
    "PE01000123456": ("Nguyễn Văn An", "0903123456", "12 Lê Lợi", "Phường Bến Nghé", "Quận 1", "TP. Hồ Chí Minh",
                      "sinh_hoat", 4, 1),
    "PE05000234567": ("Trần Thị Bích Ngọc", "0912345678", None, "Phường Tân Phong", "Quận 7", "TP. Hồ Chí Minh",
                      "sinh_hoat", 6, 2),
    "PD01000345678": ("Lê Minh Tuấn", "0987654321", None, "Phường Dịch Vọng", "Quận Cầu Giấy", "Hà Nội",
                      "sinh_hoat", None, None),
    "PC01000456789": ("Phạm Thị Hoa", "0935111222", None, "Phường Thạch Thang", "Quận Hải Châu", "Đà Nẵng",
                      "kinh_doanh", None, None),
    "PB01000567890": ("Võ Văn Hùng", "0939555666", None, "Phường Tân An", "Quận Ninh Kiều", "Cần Thơ",
                      "sinh_hoat", None, None),
}


@pytest.mark.parametrize("code", DEMOS)
def test_demo_customers(api, code):
    name, phone, address, ward, district, province, purpose, members, quota = DEMOS[code]
    customer = api.get(f"/v1/customers/{code}").json()
    assert set(customer) == {"code", "name", "phone", "email", "address", "ward", "district", "province", "purpose",
                             "household_members", "quota_households", "phases", "meter_serial"}
    assert (customer["code"], customer["name"], customer["phone"], customer["ward"], customer["district"],
            customer["province"], customer["purpose"]) == (code, name, phone, ward, district, province, purpose)
    assert address is None or customer["address"] == address
    assert members is None or (customer["household_members"], customer["quota_households"]) == (members, quota)
    assert customer["phases"] in (1, 3) and customer["meter_serial"]


@pytest.mark.parametrize("typed", ["pe01000123456", " PE 0100 0123456 ", "pe-0100-0123456"])
def test_codes_are_read_as_customers_type_them(api, typed):
    response = api.get(f"/v1/customers/{typed}")
    assert response.status_code == 200 and response.json()["code"] == "PE01000123456"


def test_unknown_customer_is_404(api):
    error = assert_error(api.get("/v1/customers/PE09999999999"), 404, "not_found")
    assert "PE09999999999" not in error["message"]  # no error echoes the input
    for path in ("bills", "bills/2026-10", "debt", "readings"):
        assert_error(api.get(f"/v1/customers/PE09999999999/{path}"), 404, "not_found")
    assert_error(api.post("/v1/customers/PE09999999999/verify", json={"phone_last4": "1234"}), 404)


def test_verify_never_returns_the_phone(api):
    right = api.post("/v1/customers/PE01000123456/verify", json={"phone_last4": "3456"})
    assert right.status_code == 200 and right.json() == {"verified": True}
    assert "0903123456" not in right.text
    assert api.post("/v1/customers/PE01000123456/verify", json={"phone_last4": "0000"}).json() == {"verified": False}
    # digits typed on a full-width keyboard are digits (they gave a 500 before)
    assert api.post("/v1/customers/PE01000123456/verify", json={"phone_last4": "３４５６"}).json() == {"verified": True}
    for bad in ({"phone_last4": "345"}, {"phone_last4": 3456}, {"phone_last4": "34a6"}, {}, {"phone": "3456"}):
        message = assert_error(api.post("/v1/customers/PE01000123456/verify", json=bad), 422)["message"]
        assert "phone_last4" in message or "phone" in message


def test_repeated_wrong_answers_lock_verification(api, db):
    code = db.scalars(select(Customer.code).where(Customer.code.like("PD%")).order_by(Customer.id)).all()[5]
    phone = db.scalar(select(Customer.phone).where(Customer.code == code))
    wrong = "0000" if not phone.endswith("0000") else "1111"
    for _ in range(5):
        assert api.post(f"/v1/customers/{code}/verify", json={"phone_last4": wrong}).json() == {"verified": False}
    assert_error(api.post(f"/v1/customers/{code}/verify", json={"phone_last4": phone[-4:]}), 429, "too_many_attempts")


def _recompute(customer: dict, bill: dict):
    day = dt.date.fromisoformat(bill["reading_date"])
    if customer["purpose"] == "sinh_hoat":
        return residential_bill(bill["kwh"], day, households=customer["quota_households"])
    return business_bill(bill["kwh"], day, {"kinh_doanh": "business", "san_xuat": "production"}[customer["purpose"]])


def _sample_codes(db):
    codes = db.scalars(select(Customer.code).order_by(Customer.id)).all()
    purposes = dict(db.execute(select(Customer.code, Customer.purpose)).all())
    quotas = dict(db.execute(select(Customer.code, Customer.quota_households)).all())
    sample = list(DEMOS) + codes[::15]
    sample += [c for c in codes if purposes[c] == "san_xuat"][:3] + [c for c in codes if quotas[c] > 1][:3]
    return list(dict.fromkeys(sample))


def test_every_bill_is_the_tariff_packages_computation(api, db):
    for code in _sample_codes(db):
        customer = api.get(f"/v1/customers/{code}").json()
        bills = api.get(f"/v1/customers/{code}/bills", params={"limit": 13}).json()["bills"]
        assert len(bills) == 13
        for bill in bills:
            expected = _recompute(customer, bill)
            assert (bill["subtotal"], bill["vat"], bill["total"]) == (expected.subtotal, expected.vat, expected.total)
            assert bill["vat_rate"] == str(expected.vat_rate)
            assert bill["lines"] == [{"tier": l.tier, "kwh": int(l.kwh), "price": l.price, "amount": l.amount}
                                     for l in expected.lines]


def test_bills_are_newest_first_with_the_documented_fields(api):
    bills = api.get("/v1/customers/PE01000123456/bills").json()["bills"]
    assert len(bills) == 3
    assert set(bills[0]) >= {"period", "reading_date", "kwh", "subtotal", "vat_rate", "vat", "total", "due_date",
                             "status", "paid_at", "payment_channel", "lines"}
    periods = [b["period"] for b in bills]
    assert periods == sorted(periods, reverse=True)
    for bill in bills:
        issued = dt.date.fromisoformat(bill["issued_at"])
        assert dt.date.fromisoformat(bill["due_date"]) == issued + dt.timedelta(days=10)
        assert dt.date.fromisoformat(bill["reading_date"]) < TODAY
    assert len(api.get("/v1/customers/PE01000123456/bills", params={"limit": 13}).json()["bills"]) == 13


def test_demo_an_latest_bill_unpaid_not_overdue_earlier_paid(api):
    latest, *earlier = api.get("/v1/customers/PE01000123456/bills", params={"limit": 13}).json()["bills"]
    assert latest["status"] == "unpaid" and latest["paid_at"] is None and latest["payment_channel"] is None
    assert dt.date.fromisoformat(latest["due_date"]) >= TODAY
    assert all(b["status"] == "paid" and b["paid_at"] and b["payment_channel"] for b in earlier)
    debt = api.get("/v1/customers/PE01000123456/debt").json()
    assert debt["outstanding_total"] == latest["total"] and debt["overdue_bills"] == []
    assert [b["period"] for b in debt["unpaid_bills"]] == [latest["period"]]
    assert debt["oldest_due_date"] == latest["due_date"]


def test_demo_ngoc_two_unpaid_the_older_overdue(api):
    latest, older, *rest = api.get("/v1/customers/PE05000234567/bills", params={"limit": 13}).json()["bills"]
    assert (latest["status"], older["status"]) == ("unpaid", "overdue")
    assert all(b["status"] == "paid" for b in rest)
    debt = api.get("/v1/customers/PE05000234567/debt").json()
    assert debt["outstanding_total"] == latest["total"] + older["total"]
    assert [b["period"] for b in debt["unpaid_bills"]] == [latest["period"], older["period"]]
    assert [b["period"] for b in debt["overdue_bills"]] == [older["period"]]
    assert debt["oldest_due_date"] == older["due_date"]


@pytest.mark.parametrize("code", ["PD01000345678", "PC01000456789", "PB01000567890"])
def test_demos_with_everything_paid(api, code):
    bills = api.get(f"/v1/customers/{code}/bills", params={"limit": 13}).json()["bills"]
    assert all(b["status"] == "paid" for b in bills)
    assert api.get(f"/v1/customers/{code}/debt").json() == {
        "outstanding_total": 0, "unpaid_bills": [], "overdue_bills": [], "oldest_due_date": None}


def test_business_customer_bills_at_the_business_price(api):
    bill = api.get("/v1/customers/PC01000456789/bills", params={"limit": 1}).json()["bills"][0]
    assert [line["tier"] for line in bill["lines"]] == [0] and bill["lines"][0]["price"] == 3152


def test_one_bill_by_period(api):
    latest = api.get("/v1/customers/PE01000123456/bills", params={"limit": 1}).json()["bills"][0]
    assert api.get(f"/v1/customers/pe01000123456/bills/{latest['period']}").json() == latest
    assert_error(api.get("/v1/customers/PE01000123456/bills/2019-01"), 404, "not_found")


def test_readings_chain_and_match_the_bills(api):
    readings = api.get("/v1/customers/PE01000123456/readings").json()["readings"]
    assert len(readings) == 6
    for newer, older in zip(readings, readings[1:]):
        assert newer["old_index"] == older["new_index"] and newer["period"] > older["period"]
    assert all(r["new_index"] - r["old_index"] == r["kwh"] for r in readings)
    bills = api.get("/v1/customers/PE01000123456/bills", params={"limit": 6}).json()["bills"]
    assert [(b["period"], b["kwh"]) for b in bills] == [(r["period"], r["kwh"]) for r in readings]
    assert len(api.get("/v1/customers/PE01000123456/readings", params={"limit": 13}).json()["readings"]) == 13


def test_quota_households_follow_the_members(db):
    for members, quota in db.execute(select(Customer.household_members, Customer.quota_households)):
        assert quota == 1 or quota == math.ceil(members / 4)


def test_tariff_in_force(api):
    tariff = api.get("/v1/tariffs/current").json()
    assert tariff["decision"] == "Quyết định 1279/QĐ-BCT" and tariff["effective_from"] == "2025-05-10"
    assert tariff["vat_rate"] == "0.08" and tariff["prepaid_card"] == 2909
    assert tariff["vat_period"] == {"rate": "0.08", "start": "2025-07-01", "end": "2026-12-31"}
    tiers = tariff["tiers"]
    assert [t["price"] for t in tiers] == [1984, 2050, 2380, 2998, 3350, 3460]
    assert (tiers[0]["from_kwh"], tiers[0]["to_kwh"], tiers[1]["from_kwh"]) == (0, 50, 51)
    assert tiers[-1]["to_kwh"] is None
