"""The key endpoints against PostgreSQL (a fresh database on 127.0.0.1:5432, dropped afterwards)."""

from __future__ import annotations

import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator, Optional

import httpx
import pytest

from backoffice_harness import API_KEY, assert_error, dump_database, quiet_customers, running_service
from tariff import residential_bill

PG_HOST, PG_PORT = "127.0.0.1", 5432


def _admin_connection():
    """A connection to the maintenance database, as the first user that works (None if unreachable)."""
    psycopg = pytest.importorskip("psycopg")
    for user in ("postgres", "root"):
        try:
            return psycopg.connect(host=PG_HOST, port=PG_PORT, dbname="test", user=user, autocommit=True,
                                   connect_timeout=3), user
        except psycopg.OperationalError:
            continue
    return None, None


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    admin, user = _admin_connection()
    if admin is None:
        pytest.skip(f"PostgreSQL is not reachable on {PG_HOST}:{PG_PORT} (database test, user postgres or root)")
    name = f"backoffice_test_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def pg(pg_url, tmp_path_factory) -> Iterator[httpx.Client]:
    log = tmp_path_factory.mktemp("pg") / "service.log"
    with running_service(pg_url, log, BACKOFFICE_ALLOW_RESET="true") as base_url:
        with httpx.Client(base_url=base_url, headers={"X-API-Key": API_KEY}, timeout=15) as client:
            yield client


def test_same_seed_as_sqlite(pg, api):
    for path in ("/v1/customers/PE01000123456", "/v1/customers/PE05000234567/bills?limit=13",
                 "/v1/customers/PD01000345678/readings?limit=13", "/v1/outages/planned?days=14",
                 "/v1/tariffs/current"):
        assert pg.get(path).json() == api.get(path).json(), path
    for path, body in (("/v1/requests/lookup", {"code": "YC2026000001", "phone_last4": "7888"}),
                       ("/v1/requests/search", {"phone": "0909777888"})):
        assert pg.post(path, json=body).json() == api.post(path, json=body).json(), path


def test_customers_bills_and_debt(pg):
    customer = pg.get("/v1/customers/pe 0500 0234567").json()
    assert customer["quota_households"] == 2
    for bill in pg.get("/v1/customers/PE05000234567/bills", params={"limit": 13}).json()["bills"]:
        expected = residential_bill(bill["kwh"], dt.date.fromisoformat(bill["reading_date"]), households=2)
        assert bill["total"] == expected.total and bill["vat"] == expected.vat
    debt = pg.get("/v1/customers/PE05000234567/debt").json()
    assert len(debt["unpaid_bills"]) == 2 and len(debt["overdue_bills"]) == 1
    assert pg.post("/v1/customers/PE05000234567/verify", json={"phone_last4": "5678"}).json() == {"verified": True}
    assert_error(pg.get("/v1/customers/PE09999999999"), 404, "not_found")
    assert_error(pg.get("/v1/customers/PE05000234567/bills/2026-00"), 422, "validation_error")


def test_outages_and_reports(pg):
    listed = pg.get("/v1/outages/planned", params={"customer_code": "PB01000567890"}).json()["outages"]
    assert any(o["in_progress"] for o in listed)
    planned = pg.post("/v1/outage-reports", json={"customer_code": "PB01000567890", "description": "Mất điện",
                                                   "hazard": False})
    assert planned.status_code == 200 and planned.json()["code"] is None
    ticket = pg.post("/v1/outage-reports", json={"customer_code": "PB01000567890", "description": "Mất điện",
                                                  "hazard": True})
    assert ticket.status_code == 201 and ticket.json()["planned_outage"]["ward"] == "Phường Tân An"
    duplicate = pg.post("/v1/outage-reports", json={"customer_code": "PE05000234567", "description": "Mất điện",
                                                     "hazard": False}).json()
    assert (duplicate["code"], duplicate["duplicate"]) == ("SC2026000001", True)


def test_simultaneous_reports_of_one_outage_make_one_ticket(pg, pg_url):
    [quiet] = quiet_customers(pg_url, 1)
    where = f"{quiet['ward']}, {quiet['district']}, {quiet['province']}"

    def report(number: int) -> httpx.Response:
        return pg.post("/v1/outage-reports", json={"address": f"{number} hẻm nhỏ, {where}", "description": "Mất điện",
                                                    "hazard": number == 5, "phone": f"05980001{number:02d}"})

    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(pool.map(report, range(12)))
    assert sorted(r.status_code for r in responses) == [200] * 11 + [201], [r.text for r in responses]
    assert len({r.json()["code"] for r in responses}) == 1
    final = max((r.json()["incident"] for r in responses), key=lambda i: i["reports"])
    assert final["reports"] == 12 and final["urgent"] is True


def test_requests_lifecycle_and_conflicts(pg):
    body = {"name": "Đỗ Minh Khoa", "phone": "0591234567", "address": "8 Võ Văn Kiệt, Sơn Trà, Đà Nẵng",
            "province": "", "purpose": "kinh_doanh", "phases": 3}
    created = pg.post("/v1/connection-requests", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["expected_days"] == 7
    assert_error(pg.post("/v1/connection-requests", json=body), 409, "conflict")
    request = pg.post("/v1/requests/lookup", json={"code": created.json()["code"], "phone_last4": "4567"}).json()
    assert request["status"] == "tiep_nhan" and request["kind"] == "connection_request"
    change = pg.post("/v1/contract-changes", json={"customer_code": "PD01000345678", "change_type": "dinh_muc",
                                                   "details": "Đăng ký định mức cho 8 người"})
    assert change.status_code == 201
    codes = [r["code"] for r in pg.post("/v1/requests/search", json={"phone": "0987654321"}).json()["requests"]]
    assert change.json()["code"] in codes


def test_bad_text_is_refused_before_the_database(pg):
    body = {"phone": "0591234567", "category": "khac", "content": "nul\x00byte"}
    assert_error(pg.post("/v1/complaints", json=body), 422, "validation_error")
    assert_error(pg.post("/v1/complaints", json={**body, "content": "x" * 5000}), 422)


def test_concurrent_writes_get_distinct_codes(pg):
    def complain(number: int) -> Optional[str]:
        response = pg.post("/v1/complaints", json={"phone": "0591234568", "category": "khac",
                                                   "content": f"Góp ý {number}"})
        return response.json().get("code") if response.status_code == 201 else response.text

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(complain, range(24)))
    assert all(c and c.startswith("KN2026") for c in codes), codes
    assert len(set(codes)) == 24


def test_reset_reseeds_in_one_transaction(pg, pg_url):
    pg.post("/v1/complaints", json={"phone": "0591234569", "category": "khac", "content": "Trước khi đặt lại"})
    assert pg.post("/v1/sandbox/reset").status_code == 204
    first = dump_database(pg_url)
    code = pg.post("/v1/complaints", json={"phone": "0591234569", "category": "khac", "content": "Sau"}).json()["code"]
    assert pg.post("/v1/sandbox/reset").status_code == 204
    assert dump_database(pg_url) == first  # the complaint filed in between is gone
    assert_error(pg.post("/v1/requests/lookup", json={"code": code, "phone_last4": "4569"}), 404, "not_found")
