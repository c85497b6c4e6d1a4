"""The attacks of issue 9 on the back office, replayed against the real service over HTTP on
loopback (``python -m backoffice``, its own SQLite database and log file): each fails, gives no
data and writes nothing."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "backoffice"))
from backoffice_harness import API_KEY, assert_error, running_service  # noqa: E402

from backoffice.models import ServiceRequest  # noqa: E402

NO_MATCH = {"error": {"code": "not_found", "message": "no request matches this code and these phone digits"}}
# Phones the attacks send in every place a phone can travel; none may reach the log.
PHONES = ["0903123456", "0912345678", "0987654321", "0909777888", "0591234501", "0591234502"]


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[dict]:
    directory = tmp_path_factory.mktemp("attacks")
    url = f"sqlite:///{directory / 'backoffice.db'}"
    log = directory / "service.log"
    with running_service(url, log) as base_url:
        yield {"base_url": base_url, "database_url": url, "log": log}


@pytest.fixture(scope="module")
def api(service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service["base_url"], headers={"X-API-Key": API_KEY}, timeout=20) as client:
        yield client


def request_count(service) -> int:
    engine = create_engine(service["database_url"])
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(ServiceRequest)).scalar_one()
    finally:
        engine.dispose()


def lookup(api, code: str, digits: str) -> httpx.Response:
    return api.post("/v1/requests/lookup", json={"code": code, "phone_last4": digits})


def complain(api, phone: str, content: str = "Góp ý") -> str:
    response = api.post("/v1/complaints", json={"phone": phone, "category": "khac", "content": content})
    assert response.status_code == 201, response.text
    return response.json()["code"]


# --- request codes cannot be walked ---------------------------------------------------------------


def test_walking_sequential_request_codes_finds_nothing(api):
    # the seeded codes were YC2026000002, 000003… before: every guess now answers the same 404
    for prefix in ("YC", "SC", "HD", "KN"):
        for number in range(2, 14):
            response = lookup(api, f"{prefix}2026{number:06d}", f"{number:04d}")
            assert response.status_code in (404, 429) and "history" not in response.text
            if response.status_code == 404:
                assert response.json() == NO_MATCH


def test_neighbours_of_my_own_code_are_not_anyone_elses(api):
    mine = [complain(api, "0591234501", f"Góp ý {n}") for n in range(5)]
    assert all(re.fullmatch(r"KN2026\d{6}", code) for code in mine)
    numbers = sorted(int(code[6:]) for code in mine)
    assert numbers != list(range(numbers[0], numbers[0] + 5)), mine
    victim = complain(api, "0591234502", "Khiếu nại của người khác")
    # knowing one's own code and digits says nothing about the next code
    found = [lookup(api, f"KN2026{int(code[6:]) + step:06d}", "4501").status_code
             for code in mine for step in (-2, -1, 1, 2)]
    assert set(found) <= {404, 429}
    assert lookup(api, victim, "4502").status_code == 200  # the victim's own digits do open it


def test_the_old_open_lookups_are_gone(api):
    for response in (api.get("/v1/requests/YC2026000001"), api.get("/v1/requests", params={"phone": "0909777888"})):
        assert_error(response, 404, "not_found")
        assert "khao_sat" not in response.text and "history" not in response.text


# --- request status needs the requester's phone digits ------------------------------------------------


def test_status_without_digits_gives_no_data(api):
    response = api.post("/v1/requests/lookup", json={"code": "YC2026000001"})
    error = assert_error(response, 422, "validation_error")
    assert error["fields"] == [{"field": "phone_last4", "code": "missing", "params": {}}]
    assert "Trang" not in response.text and "khao_sat" not in response.text


def test_wrong_digits_and_unknown_codes_get_one_answer(api):
    wrong = lookup(api, "KN2026000001", "0000")  # the demo complaint; the digits are 3456
    unknown = lookup(api, "KN2026999990", "3456")
    assert (wrong.status_code, wrong.json()) == (unknown.status_code, unknown.json()) == (404, NO_MATCH)
    assert dict(wrong.headers).keys() == dict(unknown.headers).keys()
    assert lookup(api, "KN2026000001", "3456").json()["kind"] == "complaint"  # the owner still gets it


def test_guessing_the_digits_is_stopped(api):
    code = complain(api, "0591234502", "Mã để dò")
    guesses = [lookup(api, code, f"{digits:04d}") for digits in range(5)]
    assert [g.status_code for g in guesses] == [404] * 5 and all(g.json() == NO_MATCH for g in guesses)
    for digits in (5, 4502):  # the next guess, even the right one, waits
        locked = lookup(api, code, f"{digits:04d}")
        error = assert_error(locked, 429, "too_many_attempts")
        assert int(locked.headers["Retry-After"]) == error["retry_after"] > 0
        assert "history" not in locked.text


def test_a_phone_lookup_sends_the_phone_in_the_body_only(api):
    found = api.post("/v1/requests/search", json={"phone": "0909777888"}).json()["requests"]
    assert [r["code"] for r in found] == ["YC2026000001"]
    assert_error(api.post("/v1/requests/search", content=b'{"phone": "0909777888"}',
                          headers={"content-type": "text/plain"}), 415)


# --- verification lockout says when to retry ------------------------------------------------------------


def test_the_verification_lockout_carries_retry_after(api):
    for _ in range(5):
        assert api.post("/v1/customers/PC01000456789/verify", json={"phone_last4": "0000"}).json() == {
            "verified": False}
    locked = api.post("/v1/customers/PC01000456789/verify", json={"phone_last4": "1222"})
    error = assert_error(locked, 429, "too_many_attempts")
    assert 0 < int(locked.headers["Retry-After"]) == error["retry_after"] <= 900


# --- HTTP hardening ------------------------------------------------------------------------------


def test_an_oversize_body_is_413_and_writes_nothing(api, service):
    before = request_count(service)
    big = {"phone": "0591234501", "category": "khac", "content": "x" * 70_000}
    assert_error(api.post("/v1/complaints", json=big), 413, "payload_too_large")

    def chunks():  # no Content-Length: the limit holds for a streamed body too
        for _ in range(70):
            yield b"x" * 1024

    streamed = api.post("/v1/complaints", content=chunks(), headers={"content-type": "application/json"})
    assert_error(streamed, 413, "payload_too_large")
    assert request_count(service) == before


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8100", "127.0.0.1.nip.io", "localhost.evil.example",
                                  "127.0.0.1:x", ""])
def test_a_foreign_host_is_400(api, service, host):
    before = request_count(service)
    for response in (api.get("/health", headers={"Host": host}),
                     api.get("/v1/customers/PE01000123456", headers={"Host": host}),
                     api.post("/v1/complaints", headers={"Host": host},
                              json={"phone": "0591234501", "category": "khac", "content": "rebinding"})):
        error = assert_error(response, 400, "bad_request")
        assert "Nguyễn" not in response.text and (not host or host not in error["message"])
    assert request_count(service) == before


def test_the_service_answers_by_its_own_names(api, service):
    port = service["base_url"].rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST"):
        assert api.get("/v1/customers/PE01000123456", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("content_type", ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_a_body_that_is_not_declared_json_is_415(api, service, content_type):
    # what a web page may send cross-site without a preflight: refused before reading it
    before = request_count(service)
    body = b'{"phone": "0591234501", "category": "khac", "content": "from a web page"}'
    headers = {"content-type": content_type} if content_type else {}
    for path in ("/v1/complaints", "/v1/customers/PE01000123456/verify", "/v1/requests/lookup"):
        request = api.build_request("POST", path, content=body, headers=headers)
        if content_type is None:
            request.headers.pop("content-type", None)
        assert_error(api.send(request), 415, "unsupported_media_type")
    assert request_count(service) == before


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/v1/customers/" + "9" * 500, None),
    ("GET", "/v1/customers/PE01000123456/bills/" + "9" * 500, None),
    ("GET", "/v1/customers/PE01000123456/bills?limit=" + "9" * 500, None),
    ("GET", "/v1/customers/PE01000123456/readings?limit=-" + "9" * 500, None),
    ("GET", "/v1/outages/planned?days=" + "9" * 500, None),
    ("GET", "/v1/requests/" + "9" * 500, None),
    ("POST", "/v1/requests/lookup", {"code": 10 ** 300, "phone_last4": 10 ** 300}),
    ("POST", "/v1/requests/lookup", {"code": "YC" + "9" * 300, "phone_last4": "1234"}),
    ("POST", "/v1/requests/search", {"phone": "0909777888", "limit": 10 ** 300}),
    ("POST", "/v1/connection-requests", {"name": "A", "phone": "0591234501", "address": "x", "province": "Hà Nội",
                                         "purpose": "sinh_hoat", "phases": 10 ** 300}),
])
def test_a_huge_number_is_a_4xx(api, method, path, body):
    response = api.request(method, path, json=body)
    assert response.status_code in (404, 422), (response.status_code, response.text[:300])
    assert "9" * 20 not in response.text


def test_no_error_body_echoes_the_input(api):
    marker = "<script>0977865209</script>"
    responses = [
        api.get(f"/v1/nothing/{marker}"),
        api.get(f"/v1/customers/{marker}"),
        api.get(f"/v1/customers/PE01000123456/bills/{marker}"),
        api.post("/v1/complaints", json={"phone": marker, "category": marker, "content": "x", marker: 1}),
        lookup(api, marker, marker),
    ]
    for response in responses:
        assert 400 <= response.status_code < 500
        assert "0977865209" not in response.text and "script" not in response.text, response.text
    # the phone is read from the digits in it (as customers type them): a search, nothing echoed
    assert api.post("/v1/requests/search", json={"phone": marker}).json() == {"requests": []}


# --- logs -----------------------------------------------------------------------------------------


def _digit_forms(phone: str) -> list:
    national = phone[1:]
    return [phone, national, f"{phone[:4]} {phone[4:7]} {phone[7:]}", f"84{national}"]


def test_phone_numbers_never_reach_the_log(api, service):
    # a phone in every place a request can carry one: the path, the query string (which
    # uvicorn's access log writes), percent-encoded or with spaces, and the body
    api.get("/v1/requests", params={"phone": PHONES[0]})
    api.get(f"/v1/requests/{PHONES[1]}")
    api.get("/v1/outages/planned", params={"area": f"gọi {PHONES[2][:4]} {PHONES[2][4:7]} {PHONES[2][7:]}"})
    api.get("/v1/outages/planned", params={"area": "+84" + PHONES[3][1:]})
    api.post("/v1/requests/search", json={"phone": PHONES[3]})
    complain(api, PHONES[4], f"Gọi lại {PHONES[5]} giúp tôi")
    api.get("/v1/customers/PE01000123456", headers={"Host": PHONES[0]})
    log = service["log"].read_text(errors="replace")
    assert "GET /v1/requests?phone=" in log, log[-2000:]  # the access log is there, masked
    assert "*******456" in log
    for phone in PHONES:
        for form in _digit_forms(phone):
            assert form not in log, (form, [line for line in log.splitlines() if phone[-3:] in line][:5])
