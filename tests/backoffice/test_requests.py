"""Connection requests, contract changes, complaints; follow-up by code and by phone."""

from __future__ import annotations

import re

import pytest

from backoffice_harness import assert_error

NOW = "2026-11-24T10:00:00+07:00"
REQUEST_FIELDS = {"code", "kind", "status", "status_label_vi", "created_at", "updated_at", "customer_code", "history"}


def connection(phone: str, **overrides):
    return {"name": "Hoàng Thị Mai", "phone": phone, "address": "45 Nguyễn Trãi", "ward": "Phường Thượng Đình",
            "district": "Quận Thanh Xuân", "province": "Hà Nội", "purpose": "sinh_hoat", "phases": 1, **overrides}


def test_demo_connection_request(api):
    request = api.get("/v1/requests/YC2026000001").json()
    assert set(request) == REQUEST_FIELDS
    assert (request["kind"], request["status"], request["status_label_vi"]) == (
        "connection_request", "khao_sat", "Đang khảo sát")
    assert [h["status"] for h in request["history"]] == ["tiep_nhan", "khao_sat"]
    assert request["history"][-1]["at"] == request["updated_at"] and request["history"][0]["at"] == request["created_at"]
    assert request["created_at"] < NOW
    assert api.get("/v1/requests/yc 2026 000001").json() == request
    [by_phone] = [r for r in api.get("/v1/requests", params={"phone": "0909777888"}).json()["requests"]]
    assert by_phone["code"] == "YC2026000001"


def test_demo_complaint_is_found_by_the_customers_phone(api):
    complaint = api.get("/v1/requests/KN2026000001").json()
    assert complaint["kind"] == "complaint" and complaint["customer_code"] == "PE01000123456"
    codes = [r["code"] for r in api.get("/v1/requests", params={"phone": "+84 903 123 456"}).json()["requests"]]
    assert "KN2026000001" in codes


def test_seed_has_connection_requests_in_every_state(api, db):
    from sqlalchemy import select
    from backoffice.models import ConnectionRequest

    codes = db.scalars(select(ConnectionRequest.code)).all()
    assert len(codes) >= 40
    statuses = {api.get(f"/v1/requests/{code}").json()["status"] for code in codes}
    assert statuses == {"tiep_nhan", "khao_sat", "ky_hop_dong", "lap_dat", "dong_dien", "huy"}


def test_request_histories_are_ordered_and_in_the_past(api, db):
    from sqlalchemy import select
    from backoffice.models import ServiceRequest

    for code in db.scalars(select(ServiceRequest.code).order_by(ServiceRequest.id).limit(60)):
        request = api.get(f"/v1/requests/{code}").json()
        moments = [h["at"] for h in request["history"]]
        assert moments == sorted(moments) and moments[-1] <= NOW
        assert request["history"][-1]["status"] == request["status"]
        assert re.fullmatch(r"(YC|SC|HD|KN)\d{10}", code)


def test_connection_request_lifecycle(api, new_phone):
    response = api.post("/v1/connection-requests", json=connection(new_phone))
    assert response.status_code == 201, response.text
    created = response.json()
    assert re.fullmatch(r"YC2026\d{6}", created["code"])
    assert (created["status"], created["created_at"], created["expected_days"]) == ("tiep_nhan", NOW, 5)
    assert created["expected_by"] == "2026-12-01"  # five working days after Tuesday 24/11
    request = api.get(f"/v1/requests/{created['code'].lower()}").json()
    assert request["status_label_vi"] == "Đã tiếp nhận" and len(request["history"]) == 1
    assert [r["code"] for r in api.get("/v1/requests", params={"phone": new_phone}).json()["requests"]] == [created["code"]]


def test_three_phase_connections_take_seven_days(api, new_phone):
    created = api.post("/v1/connection-requests", json=connection(new_phone, phases=3, purpose="san_xuat")).json()
    assert created["expected_days"] == 7


def test_codes_are_sequential(api, new_phone):
    first = api.post("/v1/connection-requests", json=connection(new_phone, address="1 Khuất Duy Tiến")).json()["code"]
    second = api.post("/v1/connection-requests", json=connection(new_phone, address="2 Khuất Duy Tiến")).json()["code"]
    assert int(second[6:]) == int(first[6:]) + 1


def test_the_same_open_connection_request_is_a_conflict(api, new_phone):
    first = api.post("/v1/connection-requests", json=connection(new_phone)).json()
    again = api.post("/v1/connection-requests", json=connection(new_phone, address="45 nguyen trai"))
    assert first["code"] in assert_error(again, 409, "conflict")["message"]


def test_province_may_come_from_the_address(api, new_phone):
    body = connection(new_phone, address="45 Nguyễn Trãi, Thanh Xuân, Hà Nội", province="", ward=None, district=None)
    assert api.post("/v1/connection-requests", json=body).status_code == 201
    body = connection(new_phone, address="99 Đường Không Tên", province="", ward=None, district=None)
    assert "province" in assert_error(api.post("/v1/connection-requests", json=body), 422)["message"]


@pytest.mark.parametrize("override, field", [
    ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"phone": "0203123456"}, "phone"),
    ({"phone": "090312345"}, "phone"),
    ({"purpose": "hoc_tap"}, "purpose"),
    ({"phases": 2}, "phases"),
    ({"phases": "3"}, "phases"),
    ({"phases": True}, "phases"),
    ({"address": ""}, "address"),
    ({"unknown": "x"}, "unknown"),
])
def test_connection_request_validation(api, new_phone, override, field):
    response = api.post("/v1/connection-requests", json={**connection(new_phone), **override})
    assert assert_error(response, 422, "validation_error")["message"].startswith(f"{field}:")


def test_contract_change(api, db):
    from sqlalchemy import select
    from backoffice.models import Customer

    code = db.scalars(select(Customer.code).where(Customer.code.like("PC%")).order_by(Customer.id)).all()[3]
    body = {"customer_code": code.lower(), "change_type": "gia_han", "details": "Gia hạn hợp đồng thêm 5 năm"}
    response = api.post("/v1/contract-changes", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert re.fullmatch(r"HD2026\d{6}", created["code"]) and created["expected_days"] == 3
    request = api.get(f"/v1/requests/{created['code']}").json()
    assert (request["kind"], request["customer_code"]) == ("contract_change", code)
    assert created["code"] in assert_error(api.post("/v1/contract-changes", json=body), 409, "conflict")["message"]
    other = api.post("/v1/contract-changes", json={**body, "change_type": "doi_thong_tin"})
    assert other.status_code == 201


@pytest.mark.parametrize("body, status, field", [
    ({"customer_code": "PE09999999999", "change_type": "sang_ten", "details": "x"}, 404, None),
    ({"customer_code": "PE01000123456", "change_type": "ban_nha", "details": "x"}, 422, "change_type"),
    ({"customer_code": "PE01000123456", "change_type": "sang_ten", "details": " "}, 422, "details"),
    ({"change_type": "sang_ten", "details": "x"}, 422, "customer_code"),
])
def test_contract_change_errors(api, body, status, field):
    error = assert_error(api.post("/v1/contract-changes", json=body), status)
    assert field is None or error["message"].startswith(f"{field}:")


def test_complaint_by_customer_and_by_phone(api, new_phone):
    response = api.post("/v1/complaints", json={"customer_code": "PE01000123456", "category": "hoa_don",
                                                "content": "Tiền điện tháng này tăng gấp đôi"})
    assert response.status_code == 201, response.text
    created = response.json()
    assert re.fullmatch(r"KN2026\d{6}", created["code"]) and created["status"] == "tiep_nhan"
    codes = [r["code"] for r in api.get("/v1/requests", params={"phone": "0903123456"}).json()["requests"]]
    assert codes[0] == created["code"] and "KN2026000001" in codes  # newest first
    anonymous = api.post("/v1/complaints", json={"phone": new_phone, "category": "khac", "content": "Trụ điện nghiêng"})
    assert anonymous.status_code == 201
    assert api.get(f"/v1/requests/{anonymous.json()['code']}").json()["customer_code"] is None


@pytest.mark.parametrize("body, field", [
    ({"category": "khac", "content": "x"}, "customer_code or phone"),
    ({"phone": "0903123456", "category": "other", "content": "x"}, "category"),
    ({"phone": "0903123456", "category": "khac", "content": ""}, "content"),
    ({"phone": "0903123456", "category": "khac", "content": "x" * 4001}, "content"),
])
def test_complaint_validation(api, body, field):
    assert field in assert_error(api.post("/v1/complaints", json=body), 422)["message"]


def test_unknown_requests(api):
    for code in ("YC2099999999", "SC2026999999", "HD2026999999", "KN2026999999"):
        assert_error(api.get(f"/v1/requests/{code}"), 404, "not_found")
    assert api.get("/v1/requests", params={"phone": "0599999999"}).json() == {"requests": []}


def test_requests_by_phone_are_newest_first_and_limited(api, new_phone):
    for number in range(3):
        api.post("/v1/complaints", json={"phone": new_phone, "category": "khac", "content": f"Góp ý {number}"})
    found = api.get("/v1/requests", params={"phone": new_phone}).json()["requests"]
    assert [r["code"] for r in found] == sorted((r["code"] for r in found), reverse=True)
    assert len(api.get("/v1/requests", params={"phone": new_phone, "limit": 2}).json()["requests"]) == 2
    assert_error(api.get("/v1/requests", params={"phone": new_phone, "limit": 0}), 422)


def test_concurrent_requests_get_distinct_codes(base_url, new_phone):
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from backoffice_harness import API_KEY

    def complain(number: int) -> httpx.Response:
        body = {"phone": new_phone, "category": "khac", "content": f"Góp ý số {number}"}
        return httpx.post(f"{base_url}/v1/complaints", json=body, headers={"X-API-Key": API_KEY}, timeout=30)

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(complain, range(16)))
    assert [r.status_code for r in responses] == [201] * 16, [r.text for r in responses if r.status_code != 201]
    assert len({r.json()["code"] for r in responses}) == 16
