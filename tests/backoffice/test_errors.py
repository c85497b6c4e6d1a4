"""Errors the assistant can explain (real HTTP): 422 fields, 429 Retry-After; legitimate long text accepted."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import create_engine, select

from backoffice.models import Complaint
from backoffice_harness import assert_error, quiet_customers

ANGRY = ("TÔI ĐÃ GỌI TỔNG ĐÀI 5 LẦN MÀ KHÔNG AI NGHE MÁY!!! 😡😡😡\n"
         "Nhà tôi mất điện từ sáng, tủ lạnh hỏng hết đồ ăn 🤬, con nhỏ thì khóc 😭😭.\r\n\r\n"
         "\tGọi lại cho tôi số 0903 123 456 hoặc +84 912 345 678 NGAY!!! 🙏🏻 ❤️ 👨‍👩‍👧‍👦 🇻🇳\n")
PROSE = ("Tôi viết phản ánh này vì quá bức xúc với việc cắt điện liên tục ở khu phố tôi trong suốt tuần qua. "
         "Nhân viên điện lực hẹn đến kiểm tra nhưng không thấy ai đến, gọi tổng đài thì không ai nghe máy. ")


def fields(response) -> list:
    return assert_error(response, 422, "validation_error")["fields"]


def complain(api, **body):
    return api.post("/v1/complaints", json={"phone": "0591000001", "category": "khac", "content": "Góp ý", **body})


def stored_content(sqlite_service, code: str) -> str:
    engine = create_engine(sqlite_service[1])
    try:
        with engine.connect() as connection:
            return connection.execute(select(Complaint.content).where(Complaint.code == code)).scalar_one()
    finally:
        engine.dispose()


@pytest.mark.parametrize("body, expected", [
    ({"phone": "12345"}, [{"field": "phone", "code": "invalid_phone", "params": {}}]),
    ({"phone": "0" * 40}, [{"field": "phone", "code": "invalid_phone", "params": {}}]),
    ({"content": None}, [{"field": "content", "code": "invalid", "params": {}}]),
    ({"content": "   \n "}, [{"field": "content", "code": "blank", "params": {}}]),
    ({"content": "x" * 4001}, [{"field": "content", "code": "too_long", "params": {"max_length": 4000}}]),
    ({"content": "a\x00b"}, [{"field": "content", "code": "invalid", "params": {"character": "U+0000"}}]),
    ({"category": "other", "phone": "1"}, [{"field": "phone", "code": "invalid_phone", "params": {}},
                                           {"field": "category", "code": "invalid", "params": {}}]),
    ({"phone": None}, [{"field": "customer_code", "code": "missing", "params": {"alternatives": ["phone"]}}]),
])
def test_validation_errors_say_what_is_wrong_with_each_field(api, body, expected):
    response = complain(api, **body)
    assert fields(response) == expected
    assert response.json()["error"]["message"].startswith(f"{expected[0]['field']}:") or expected[0]["code"] == "missing"


def test_the_message_is_unchanged_for_logs(api):
    error = assert_error(complain(api, phone=None), 422)
    assert error["message"] == "body: customer_code or phone is required"
    assert assert_error(complain(api, content=None, category=None), 422)["message"].count(";") == 1


def test_missing_fields_and_the_other_inputs(api, new_phone):
    response = api.post("/v1/connection-requests", json={"phone": new_phone, "address": "1 Đường Không Tên",
                                                          "purpose": "sinh_hoat", "phases": 2})
    assert fields(response) == [{"field": "name", "code": "missing", "params": {}},
                                {"field": "phases", "code": "invalid", "params": {}}]
    no_province = api.post("/v1/connection-requests", json={"name": "Lê Văn Tám", "phone": new_phone,
                                                             "address": "99 Đường Không Tên", "purpose": "sinh_hoat",
                                                             "phases": 1})
    assert fields(no_province) == [{"field": "province", "code": "missing", "params": {}}]
    assert fields(api.get("/v1/customers/PE01000123456/bills", params={"limit": 0})) == [
        {"field": "limit", "code": "invalid", "params": {"min": 1}}]
    assert fields(api.post("/v1/requests/search", json={"phone": "12345"})) == [
        {"field": "phone", "code": "invalid_phone", "params": {}}]
    assert fields(api.get("/v1/customers/XX01")) == [{"field": "code", "code": "invalid", "params": {}}]
    assert fields(api.post("/v1/complaints", content=b"{bad", headers={"content-type": "application/json"})) == [
        {"field": "body", "code": "invalid", "params": {}}]
    assert fields(api.post("/v1/outage-reports", json={"description": "Mất điện", "hazard": False})) == [
        {"field": "customer_code", "code": "missing", "params": {"alternatives": ["address"]}}]


def test_a_locked_identity_check_says_when_to_retry(api, db):
    from backoffice.models import Customer

    code = db.scalars(select(Customer.code).where(Customer.code.like("PC%")).order_by(Customer.id)).all()[7]
    phone = db.scalar(select(Customer.phone).where(Customer.code == code))
    wrong = "0000" if not phone.endswith("0000") else "1111"
    for _ in range(5):
        assert api.post(f"/v1/customers/{code}/verify", json={"phone_last4": wrong}).json() == {"verified": False}
    locked = api.post(f"/v1/customers/{code}/verify", json={"phone_last4": phone[-4:]})
    error = assert_error(locked, 429, "too_many_attempts")
    assert 890 <= error["retry_after"] <= 900 and int(locked.headers["Retry-After"]) == error["retry_after"]
    assert str(error["retry_after"]) in error["message"]


def test_a_long_angry_complaint_is_accepted_as_written(api, sqlite_service):
    content = (ANGRY * 40)[:3000]
    response = complain(api, customer_code="PE01000123456", phone=None, content=content)
    assert response.status_code == 201, response.text
    assert stored_content(sqlite_service, response.json()["code"]) == content.strip()  # emoji, line breaks, tabs


def test_accents_typed_decomposed_are_counted_once_composed(api, sqlite_service):
    composed = (PROSE * 40)[:3500]
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) > 4000  # what a combining-accent keyboard sends
    response = complain(api, content=decomposed)
    assert response.status_code == 201, response.text
    assert stored_content(sqlite_service, response.json()["code"]) == composed.strip()


def test_word_line_breaks_are_line_breaks(api, sqlite_service):
    response = complain(api, content="Dòng một\x0bDòng hai\x0cTrang sau\u2028Hết")
    assert response.status_code == 201, response.text
    assert stored_content(sqlite_service, response.json()["code"]) == "Dòng một\nDòng hai\nTrang sau\nHết"


def test_what_is_not_text_is_still_refused(api):
    for bad, character in (("a\x1bb", "U+001B"), ("a\x7fb", "U+007F"), ("bell\x07", "U+0007")):
        assert fields(complain(api, content=bad)) == [{"field": "content", "code": "invalid",
                                                      "params": {"character": character}}]
    lone_surrogate = b'{"phone": "0591000001", "category": "khac", "content": "x\\ud83d"}'
    response = api.post("/v1/complaints", content=lone_surrogate, headers={"content-type": "application/json"})
    assert fields(response) == [{"field": "content", "code": "invalid", "params": {}}]


def test_outage_descriptions_are_text_too(api, sqlite_service):
    [quiet] = quiet_customers(sqlite_service[1], 1)
    response = api.post("/v1/outage-reports", json={"customer_code": quiet["code"], "hazard": False,
                                                     "description": "MẤT ĐIỆN!!! 😡\r\n\tGọi 0903123456"})
    assert response.status_code == 201, response.text
    assert fields(api.post("/v1/outage-reports", json={"customer_code": quiet["code"], "hazard": False,
                                                        "description": "x" * 2001})) == [
        {"field": "description", "code": "too_long", "params": {"max_length": 2000}}]
