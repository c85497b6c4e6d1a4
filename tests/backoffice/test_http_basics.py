"""Auth, health, OpenAPI, the error shape for every kind of client mistake."""

from __future__ import annotations

import pytest

from backoffice_harness import API_KEY, assert_error

V1_GETS = [
    "/v1/customers/PE01000123456",
    "/v1/customers/PE01000123456/bills",
    "/v1/customers/PE01000123456/bills/2026-10",
    "/v1/customers/PE01000123456/debt",
    "/v1/customers/PE01000123456/readings",
    "/v1/outages/planned",
    "/v1/tariffs/current",
    "/v1/does-not-exist",
]


def test_health_needs_no_key(anonymous):
    response = anonymous.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", V1_GETS)
def test_every_v1_path_needs_the_key(anonymous, path):
    assert_error(anonymous.get(path), 401, "unauthorized")
    assert_error(anonymous.get(path, headers={"X-API-Key": API_KEY + "x"}), 401, "unauthorized")
    assert_error(anonymous.get(path, headers={"X-API-Key": ""}), 401, "unauthorized")


def test_writes_need_the_key_even_with_a_bad_body(anonymous):
    assert_error(anonymous.post("/v1/complaints", content=b"{not json", headers={"content-type": "application/json"}),
                 401, "unauthorized")
    assert_error(anonymous.post("/v1/customers/PE01000123456/verify", json={"phone_last4": "3456"}), 401)
    assert_error(anonymous.post("/v1/requests/lookup", json={"code": "YC2026000001", "phone_last4": "7888"}), 401)
    assert_error(anonymous.post("/v1/requests/search", json={"phone": "0909777888"}), 401)


def test_openapi_documents_the_v1_paths_and_the_key(anonymous):
    spec = anonymous.get("/openapi.json").json()
    assert {"/v1/customers/{code}", "/v1/customers/{code}/verify", "/v1/customers/{code}/bills",
            "/v1/customers/{code}/bills/{period}", "/v1/customers/{code}/debt", "/v1/customers/{code}/readings",
            "/v1/outages/planned", "/v1/outage-reports", "/v1/connection-requests", "/v1/requests/lookup",
            "/v1/requests/search", "/v1/contract-changes", "/v1/complaints", "/v1/tariffs/current"} <= set(spec["paths"])
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("in") == "header" and s.get("name") == "X-API-Key" for s in schemes.values())
    error_schema = spec["paths"]["/v1/customers/{code}"]["get"]["responses"]["422"]["content"]["application/json"]
    assert error_schema["schema"]["$ref"].endswith("/ErrorOut")


def test_unknown_paths_and_methods_are_json_errors(api):
    assert_error(api.get("/v1/nothing-here"), 404, "not_found")
    assert_error(api.get("/nothing-here"), 404, "not_found")
    assert_error(api.delete("/v1/tariffs/current"), 405, "method_not_allowed")


def test_bodies_must_be_json_objects(api):
    post = lambda content, ctype="application/json": api.post(  # noqa: E731
        "/v1/complaints", content=content, headers={"content-type": ctype})
    assert "not valid JSON" in assert_error(post(b'{"category": "khac",'), 422, "validation_error")["message"]
    for ctype in ("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"):
        assert_error(post(b"category=khac", ctype), 415, "unsupported_media_type")
    assert_error(api.post("/v1/complaints", content=b'{"category": "khac"}'), 415)  # no content type
    assert "JSON object" in assert_error(post(b'"category=khac"'), 422)["message"]
    for content in (b"null", b"[]", b"42", b'"text"'):
        assert_error(post(content), 422, "validation_error")
    assert_error(post(b"[" * 30_000), 400)  # too deeply nested to parse
    assert_error(post(b"x" * 70_000), 413, "payload_too_large")


def test_huge_or_strange_inputs_never_give_a_server_error(api):
    long = "Đ" * 5_000
    requests = [
        ("GET", f"/v1/customers/{long}", None),
        ("GET", "/v1/customers/PE01000123456/bills?limit=" + "9" * 400, None),
        ("GET", "/v1/customers/PE01000123456/bills/" + "2026-" * 300, None),
        ("GET", "/v1/outages/planned?province=" + long[:2_000], None),
        ("GET", "/v1/outages/planned?at=" + "9" * 1_000, None),
        ("GET", "/v1/customers/" + "9" * 400, None),
        ("GET", "/v1/customers/" + "9" * 400 + "/bills/" + "9" * 400, None),
        ("POST", "/v1/requests/lookup", {"code": "YC" * 1_000, "phone_last4": "1234"}),
        ("POST", "/v1/requests/lookup", {"code": "YC" + "9" * 400, "phone_last4": "9" * 400}),
        ("POST", "/v1/requests/lookup", {"code": 10 ** 400, "phone_last4": 1234}),
        ("POST", "/v1/requests/search", {"phone": "0" * 2_000}),
        ("POST", "/v1/requests/search", {"phone": "0909777888", "limit": 10 ** 400}),
        ("POST", "/v1/customers/PE01000123456/verify", {"phone_last4": "3" * 10_000}),
        ("POST", "/v1/customers/PE01000123456/verify", {"phone_last4": None}),
        ("POST", "/v1/outage-reports", {"address": long, "description": "x", "hazard": False}),
        ("POST", "/v1/outage-reports", {"address": "x", "description": "x", "hazard": "yes"}),
        ("POST", "/v1/outage-reports", {"address": "x", "description": ["x"], "hazard": True}),
        ("POST", "/v1/connection-requests", {"name": "A\x00B", "phone": "0903123456", "address": "x",
                                             "province": "Hà Nội", "purpose": "sinh_hoat", "phases": 1}),
        ("POST", "/v1/connection-requests", {"name": "A", "phone": 903123456, "address": "x",
                                             "province": "Hà Nội", "purpose": "sinh_hoat", "phases": 1}),
        ("POST", "/v1/connection-requests", {"name": "A", "phone": "0903123456", "address": "x",
                                             "province": "Hà Nội", "purpose": "sinh_hoat", "phases": 10 ** 40}),
        ("POST", "/v1/contract-changes", {"customer_code": {"a": 1}, "change_type": "sang_ten", "details": "x"}),
        ("POST", "/v1/complaints", {"phone": "0903123456", "category": "khac", "content": long}),
    ]
    for method, path, body in requests:
        response = api.request(method, path, json=body)
        assert 400 <= response.status_code < 500, (method, path[:80], response.status_code, response.text[:300])
        assert set(response.json()) == {"error"}
    # Odd but harmless text is simply not recognised as a place.
    assert api.get("/v1/outages/planned", params={"area": "\x00\x01 " + long[:200]}).json() == {"outages": []}


@pytest.mark.parametrize("path, field", [
    ("/v1/customers/PE01000123456/bills?limit=0", "limit"),
    ("/v1/customers/PE01000123456/bills?limit=14", "limit"),
    ("/v1/customers/PE01000123456/bills?limit=abc", "limit"),
    ("/v1/customers/PE01000123456/readings?limit=-1", "limit"),
    ("/v1/customers/XX01000123456", "code"),
    ("/v1/customers/PE0100012345", "code"),
    ("/v1/customers/PE01000123456/bills/2026-13", "period"),
    ("/v1/customers/PE01000123456/bills/10-2026", "period"),
    ("/v1/outages/planned?days=0", "days"),
    ("/v1/outages/planned?days=32", "days"),
    ("/v1/outages/planned?at=tomorrow", "at"),
    ("/v1/outages/planned?at=2026-02-30T10:00", "at"),
    ("/v1/outages/planned?at=9999-12-31T23:59:59", "at"),
    ("/v1/outages/planned?customer_code=P", "customer_code"),
])
def test_malformed_input_is_a_422_naming_the_field(api, path, field):
    message = assert_error(api.get(path), 422, "validation_error")["message"]
    assert message.startswith(f"{field}:"), message


@pytest.mark.parametrize("path, body, field", [
    ("/v1/requests/lookup", {"code": "AB2026000001", "phone_last4": "1234"}, "code"),
    ("/v1/requests/lookup", {"code": "YC20260001", "phone_last4": "1234"}, "code"),
    ("/v1/requests/lookup", {"code": "YC2026000001", "phone_last4": "123"}, "phone_last4"),
    ("/v1/requests/lookup", {"code": "YC2026000001"}, "phone_last4"),
    ("/v1/requests/lookup", {"phone_last4": "7888"}, "code"),
    ("/v1/requests/search", {"phone": "12345"}, "phone"),
    ("/v1/requests/search", {}, "phone"),
    ("/v1/requests/search", {"phone": "0909777888", "limit": 0}, "limit"),
])
def test_malformed_bodies_are_a_422_naming_the_field(api, path, body, field):
    message = assert_error(api.post(path, json=body), 422, "validation_error")["message"]
    assert message.startswith(f"{field}:"), message


def test_no_error_echoes_the_input(api):
    marker = "0977865209"
    responses = [
        api.get(f"/v1/nothing/{marker}"),
        api.delete(f"/v1/customers/PE01000123456?{marker}"),
        api.get(f"/v1/customers/PE{marker[:-1]}99"),
        api.get(f"/v1/customers/PE01000123456/bills/{marker}"),
        api.post("/v1/complaints", json={"phone": marker, "category": "khac", "content": "x", f"k{marker}!": 1}),
        api.post("/v1/complaints", json={"phone": marker, "category": marker, "content": "x"}),
        api.post("/v1/requests/lookup", json={"code": f"YC{marker}", "phone_last4": marker[-4:]}),
        api.post("/v1/requests/search", json={"phone": marker + "9"}),
    ]
    for response in responses:
        assert 400 <= response.status_code < 500, response.text
        assert marker not in response.text and marker[-4:] not in response.text, response.text
