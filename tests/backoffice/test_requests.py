"""Connection requests, contract changes, complaints; follow-up by code (with the phone's last
4 digits) and by phone."""

from __future__ import annotations

import re

import pytest

from backoffice_harness import assert_error

NOW = "2026-11-24T10:00:00+07:00"
REQUEST_FIELDS = {"code", "kind", "status", "status_label_vi", "created_at", "updated_at", "customer_code", "history",
                  "expected_restoration_at"}


def lookup(api, code: str, phone_last4: str):
    return api.post("/v1/requests/lookup", json={"code": code, "phone_last4": phone_last4})


def search(api, phone: str, **more) -> list:
    response = api.post("/v1/requests/search", json={"phone": phone, **more})
    assert response.status_code == 200, response.text
    return response.json()["requests"]


def request_phones(db) -> dict:
    """Code -> the last 4 digits that prove a seeded request (its contact phone's)."""
    from sqlalchemy import select
    from backoffice.models import ServiceRequest

    return {code: phone[-4:] for code, phone in db.execute(select(ServiceRequest.code, ServiceRequest.phone))}


def connection(phone: str, **overrides):
    return {"name": "Hoàng Thị Mai", "phone": phone, "address": "45 Nguyễn Trãi", "ward": "Phường Thượng Đình",
            "district": "Quận Thanh Xuân", "province": "Hà Nội", "purpose": "sinh_hoat", "phases": 1, **overrides}


def test_demo_connection_request(api):
    request = lookup(api, "YC2026000001", "7888").json()
    assert set(request) == REQUEST_FIELDS
    assert (request["kind"], request["status"], request["status_label_vi"]) == (
        "connection_request", "khao_sat", "Đang khảo sát")
    assert [h["status"] for h in request["history"]] == ["tiep_nhan", "khao_sat"]
    assert request["history"][-1]["at"] == request["updated_at"] and request["history"][0]["at"] == request["created_at"]
    assert request["created_at"] < NOW
    assert lookup(api, "yc 2026 000001", "７８８８").json() == request
    [by_phone] = search(api, "0909777888")
    assert by_phone == request


def test_demo_complaint_is_found_by_the_customers_phone(api):
    complaint = lookup(api, "KN2026000001", "3456").json()
    assert complaint["kind"] == "complaint" and complaint["customer_code"] == "PE01000123456"
    codes = [r["code"] for r in search(api, "+84 903 123 456")]
    assert "KN2026000001" in codes


def test_seed_has_connection_requests_in_every_state(api, db):
    from sqlalchemy import select
    from backoffice.models import ConnectionRequest

    codes = db.scalars(select(ConnectionRequest.code)).all()
    assert len(codes) >= 40
    digits = request_phones(db)
    statuses = {lookup(api, code, digits[code]).json()["status"] for code in codes}
    assert statuses == {"tiep_nhan", "khao_sat", "ky_hop_dong", "lap_dat", "dong_dien", "huy"}


def test_request_histories_are_ordered_and_in_the_past(api, db):
    from sqlalchemy import select
    from backoffice.models import ServiceRequest

    digits = request_phones(db)
    for code in db.scalars(select(ServiceRequest.code).order_by(ServiceRequest.id).limit(60)):
        request = lookup(api, code, digits[code]).json()
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
    request = lookup(api, created["code"].lower(), new_phone[-4:]).json()
    assert request["status_label_vi"] == "Đã tiếp nhận" and len(request["history"]) == 1
    assert [r["code"] for r in search(api, new_phone)] == [created["code"]]


def test_three_phase_connections_take_seven_days(api, new_phone):
    created = api.post("/v1/connection-requests", json=connection(new_phone, phases=3, purpose="san_xuat")).json()
    assert created["expected_days"] == 7


def test_codes_are_random(api, new_phone):
    codes = [api.post("/v1/complaints", json={"phone": new_phone, "category": "khac", "content": f"Góp ý {n}"}
                      ).json()["code"] for n in range(12)]
    assert all(re.fullmatch(r"KN2026\d{6}", code) for code in codes) and len(set(codes)) == 12
    numbers = [int(code[6:]) for code in codes]
    steps = {b - a for a, b in zip(numbers, numbers[1:])}
    assert len(steps) > 6 and not steps <= {1, 2, 3}, codes  # not a sequence, not even a gapped one


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
    phone = db.scalar(select(Customer.phone).where(Customer.code == code))
    request = lookup(api, created["code"], phone[-4:]).json()
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
    codes = [r["code"] for r in search(api, "0903123456")]
    assert codes[0] == created["code"] and "KN2026000001" in codes  # newest first
    anonymous = api.post("/v1/complaints", json={"phone": new_phone, "category": "khac", "content": "Trụ điện nghiêng"})
    assert anonymous.status_code == 201
    assert lookup(api, anonymous.json()["code"], new_phone[-4:]).json()["customer_code"] is None


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
        assert_error(lookup(api, code, "1234"), 404, "not_found")
    assert search(api, "0599999999") == []


def test_an_unknown_code_and_wrong_digits_get_the_same_answer(api):
    unknown, wrong = lookup(api, "YC2026999998", "7888"), lookup(api, "YC2026000001", "7880")
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json()) == (
        404, {"error": {"code": "not_found", "message": "no request matches this code and these phone digits"}})


def test_the_customers_phone_proves_a_request_for_the_customer(api, new_phone):
    complaint = api.post("/v1/complaints", json={"customer_code": "PE01000123456", "phone": new_phone,
                                                 "category": "khac", "content": "Gọi số khác"}).json()["code"]
    assert lookup(api, complaint, new_phone[-4:]).status_code == 200  # the contact phone
    assert lookup(api, complaint, "3456").status_code == 200  # the contract's phone


def test_wrong_digits_lock_the_code_for_a_while(api, new_phone):
    code = api.post("/v1/complaints", json={"phone": new_phone, "category": "khac", "content": "Khóa"}).json()["code"]
    wrong = "0000" if not new_phone.endswith("0000") else "1111"
    for _ in range(5):
        assert_error(lookup(api, code, wrong), 404, "not_found")
    locked = lookup(api, code, new_phone[-4:])
    error = assert_error(locked, 429, "too_many_attempts")
    assert 890 <= error["retry_after"] <= 900 and locked.headers["Retry-After"] == str(error["retry_after"])
    for _ in range(5):  # a code that does not exist locks the same way: 429 tells nothing either
        assert_error(lookup(api, "KN2026999997", wrong), 404, "not_found")
    assert_error(lookup(api, "KN2026999997", wrong), 429, "too_many_attempts")
    other = api.post("/v1/complaints", json={"phone": new_phone, "category": "khac", "content": "Khác"}).json()["code"]
    assert lookup(api, other, new_phone[-4:]).status_code == 200  # per code


def test_requests_by_phone_are_newest_first_and_limited(api, new_phone):
    posted = [api.post("/v1/complaints", json={"phone": new_phone, "category": "khac", "content": f"Góp ý {number}"}
                       ).json()["code"] for number in range(3)]
    assert [r["code"] for r in search(api, new_phone)] == posted[::-1]  # same moment (pinned clock): last filed first
    assert [r["code"] for r in search(api, new_phone, limit=2)] == posted[:0:-1]
    assert_error(api.post("/v1/requests/search", json={"phone": new_phone, "limit": 0}), 422)


def test_the_old_lookups_are_gone(api):
    assert_error(api.get("/v1/requests/YC2026000001"), 404, "not_found")
    assert_error(api.get("/v1/requests", params={"phone": "0909777888"}), 404, "not_found")


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
