"""POST /v1/sandbox/reset: only when BACKOFFICE_ALLOW_RESET=true; the same rows as a fresh start."""

from __future__ import annotations

import time
from typing import Iterator, Tuple

import httpx
import pytest

from backoffice_harness import API_KEY, TODAY, assert_error, dump_database, running_service

assert TODAY == "2026-11-24"  # the service's clock: ASSISTANT_TODAY


@pytest.fixture(scope="module")
def resettable(tmp_path_factory) -> Iterator[Tuple[httpx.Client, str]]:
    directory = tmp_path_factory.mktemp("reset")
    url = f"sqlite:///{directory / 'backoffice.db'}"
    with running_service(url, directory / "service.log", BACKOFFICE_ALLOW_RESET="true") as base_url:
        with httpx.Client(base_url=base_url, headers={"X-API-Key": API_KEY}, timeout=60) as client:
            yield client, url


def test_reset_is_absent_unless_allowed(api, anonymous):
    error = assert_error(api.post("/v1/sandbox/reset"), 404, "not_found")
    assert "no such endpoint" in error["message"]
    assert not any(path.startswith("/v1/sandbox") for path in anonymous.get("/openapi.json").json()["paths"])


def test_reset_needs_the_key(resettable):
    client, _url = resettable
    assert_error(httpx.post(f"{client.base_url}/v1/sandbox/reset"), 401, "unauthorized")


def test_reset_restores_a_fresh_start(resettable):
    client, url = resettable
    fresh = dump_database(url)
    complaint = {"phone": "0591111111", "category": "khac", "content": "Góp ý trước khi đặt lại"}
    first = client.post("/v1/complaints", json=complaint).json()["code"]
    for _ in range(5):
        client.post("/v1/customers/PD01000345678/verify", json={"phone_last4": "0000"})
    assert_error(client.post("/v1/customers/PD01000345678/verify", json={"phone_last4": "4321"}), 429)
    demo_request = {"code": "YC2026000001", "phone_last4": "7888"}
    for _ in range(5):
        client.post("/v1/requests/lookup", json={**demo_request, "phone_last4": "0000"})
    assert_error(client.post("/v1/requests/lookup", json=demo_request), 429)
    assert dump_database(url) != fresh

    started = time.perf_counter()
    response = client.post("/v1/sandbox/reset")
    elapsed = time.perf_counter() - started
    assert response.status_code == 204 and response.content == b""
    assert elapsed < 10, f"reset took {elapsed:.1f} s"

    assert dump_database(url) == fresh
    assert_error(client.post("/v1/requests/lookup", json={"code": first, "phone_last4": "1111"}), 404, "not_found")
    again = client.post("/v1/complaints", json=complaint).json()["code"]
    assert again != first and again[:6] == first[:6]  # a new random code (odds of a repeat: one in a million)
    assert client.post("/v1/customers/PD01000345678/verify", json={"phone_last4": "4321"}).json() == {"verified": True}
    assert client.post("/v1/requests/lookup", json=demo_request).status_code == 200  # lookup attempts forgotten
