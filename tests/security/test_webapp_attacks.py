"""The attacks of issue 9 on the web app, replayed against the real service over HTTP on loopback
(``python -m webapp`` on a free port, its own SQLite database, the default limits): each fails
with a clear 4xx, gives no data, and writes nothing (the database's rows are counted around it).

Clients on other loopback addresses (127.0.0.2, …) stand for other machines: the login backoff
is per (username, client address).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Dict, Iterator

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "webapp"))
import xlsx_craft  # noqa: E402
from admin_support import LOG_TOKEN, PASSWORD, STAFF, STAFF_PASSWORD, start, upload  # noqa: E402

from isolated_stack import stop_service  # noqa: E402  (scripts/ is on the path through admin_support)

TABLES = ("auth_tokens", "users", "kb_entries", "kb_entry_versions", "kb_changes", "kb_unanswered")
MARKER = "zq-attack-marker-7x"  # put in every hostile input: no answer may repeat it


@pytest.fixture(scope="module")
def webapp(tmp_path_factory) -> Iterator[dict]:
    directory = tmp_path_factory.mktemp("webapp-attacks")
    process, url = start(directory)
    yield {"url": url, "db": directory / "webapp.db", "pid": process.pid}
    stop_service(process)


def client(webapp, address: str = "127.0.0.1", **kwargs) -> httpx.Client:
    """A client whose connections come from ``address`` (any of 127.0.0.0/8)."""
    return httpx.Client(base_url=webapp["url"], transport=httpx.HTTPTransport(local_address=address), timeout=30,
                        **kwargs)


@pytest.fixture(scope="module")
def admin(webapp) -> Dict[str, str]:
    with client(webapp, "127.0.0.9") as http:
        answer = http.post("/api/auth/login", json={"username": "admin", "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def rows(webapp) -> Dict[str, int]:
    with sqlite3.connect(f"file:{webapp['db']}?mode=ro", uri=True) as connection:
        return {table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}


def memory(webapp, field: str) -> int:
    """VmRSS or VmHWM (the peak) of the web app's process, in MB."""
    for line in Path(f"/proc/{webapp['pid']}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    raise AssertionError(f"no {field} in /proc/{webapp['pid']}/status")


def assert_refused(answer: httpx.Response, status: int, code: str) -> dict:
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code
    assert MARKER not in answer.text  # no error repeats the input
    return error


# --- login ----------------------------------------------------------------------------------------

def test_200_wrong_passwords_get_429_with_retry_after_and_never_lock_the_admin_out(webapp):
    before = rows(webapp)
    statuses = []
    with client(webapp) as attacker:
        for n in range(200):
            answer = attacker.post("/api/auth/login", json={"username": "admin", "password": f"guess-{n}"})
            statuses.append(answer.status_code)
            if answer.status_code == 429:
                wait = answer.headers["Retry-After"]
                assert wait.isdigit() and int(wait) >= 1
                assert answer.json()["error"] == {
                    "code": "too_many_attempts", "retry_after": int(wait),
                    "message": f"too many failed sign-ins: try again in {wait} seconds"}
        assert set(statuses) == {401, 429}
        assert statuses[:5] == [401] * 5 and statuses[5] == 429  # 5 free attempts, then the backoff
        assert statuses.count(401) <= 8  # the waits doubling: 1, 2, 4 s…
        # During the wait even the right password is not checked: no oracle, and no way around it.
        answer = attacker.post("/api/auth/login", json={"username": "admin", "password": PASSWORD})
        assert answer.status_code == 429
        retry_after = int(answer.headers["Retry-After"])
        assert retry_after <= 16
        for forwarded in ("10.0.0.1", "203.0.113.7"):  # a forged proxy header is not an address
            assert attacker.post("/api/auth/login", headers={"X-Forwarded-For": forwarded},
                                 json={"username": "admin", "password": PASSWORD}).status_code == 429
        assert attacker.post("/api/auth/login", json={"username": " ADMIN", "password": "x"}).status_code == 429
    assert rows(webapp) == before  # no token was issued

    with client(webapp, "127.0.0.2") as owner:  # the admin, elsewhere, is not locked out
        assert owner.post("/api/auth/login", json={"username": "admin", "password": PASSWORD}).status_code == 200
    time.sleep(retry_after)
    with client(webapp) as same_address:  # the wait over, the right password works and resets the backoff
        assert same_address.post("/api/auth/login",
                                 json={"username": "admin", "password": PASSWORD}).status_code == 200
        assert same_address.post("/api/auth/login",
                                 json={"username": "admin", "password": "wrong"}).status_code == 401


def test_unknown_and_known_usernames_answer_in_the_same_time(webapp):
    def timed(http, username):
        start = time.perf_counter()
        answer = http.post("/api/auth/login", json={"username": username, "password": "not-the-password"})
        assert answer.status_code == 401, answer.text
        assert answer.json()["error"] == {"code": "unauthorized", "message": "wrong username or password"}
        return time.perf_counter() - start

    known, unknown = [], []
    for n in range(6):  # 4 attempts per (username, address): within the free ones
        with client(webapp, f"127.0.1.{n + 1}") as http:
            timed(http, "khong-ai-ca")  # a warm connection
            for _ in range(4):
                known.append(timed(http, STAFF))
                unknown.append(timed(http, f"khong-co-{n}"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.67 < ratio < 1.5, (statistics.median(known), statistics.median(unknown))
    assert statistics.median(known) > 0.01  # a scrypt, both


# --- the session cookie ---------------------------------------------------------------------------

@pytest.mark.parametrize("content_type, body", [(None, None), ("application/x-www-form-urlencoded", b""),
                                                ("text/plain", b"")])
def test_a_cross_site_post_with_the_admins_session_cookie_changes_nothing(webapp, content_type, body):
    """A page of another program on 127.0.0.1 (same site: the cookie goes with its requests) posts what a
    browser sends without asking first: no body, or an empty form; the CSRF checks refuse it (403)."""
    own = {"Origin": webapp["url"], "Sec-Fetch-Site": "same-origin"}
    with client(webapp, "127.0.0.9") as http:
        signed_in = http.post("/api/auth/login", headers=own,
                              json={"username": "admin", "password": PASSWORD, "session": "cookie"})
    assert signed_in.status_code == 200, signed_in.text
    cookie = {"Cookie": signed_in.headers["set-cookie"].split(";")[0]}
    before = rows(webapp)
    forged = {**cookie, "Origin": "http://127.0.0.1:8081", "Sec-Fetch-Site": "same-site",
              **({"Content-Type": content_type} if content_type else {})}
    with client(webapp, "127.0.0.9") as http:
        for path in ("/api/kb/entries/giay-to-cap-dien/unpublish", "/api/kb/unanswered/1/dismiss",
                     "/api/kb/entries/giay-to-cap-dien/revert", "/api/auth/logout"):
            answer = http.post(path, headers=forged, content=body)
            assert answer.status_code == 403, (path, answer.text)
            assert answer.json()["error"]["code"] == "csrf_failed"
        assert http.get("/api/auth/me", headers=cookie).status_code == 200  # the admin is still signed in
    assert rows(webapp) == before


# --- uploads --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, maker, code", [
    ("trieu-o.xlsx", xlsx_craft.million_cells, "suspicious_archive"),
    ("ngau-nhien.xlsx", xlsx_craft.many_random_cells, "too_many_cells"),
    ("cot-xa.xlsx", xlsx_craft.far_cells, "too_many_cells"),
    ("thuc-the.xlsx", xlsx_craft.entity_expansion, "unreadable"),
    ("kich-thuoc-gia.xlsx", xlsx_craft.lying_sizes, "unreadable"),
])
def test_a_million_cell_xlsx_is_refused_quickly_without_memory_blow_up(webapp, admin, name, maker, code):
    content = maker()
    assert len(content) < 1_200_000
    before, peak = rows(webapp), memory(webapp, "VmHWM")
    rss = memory(webapp, "VmRSS")
    start = time.perf_counter()
    outcome = upload(webapp["url"], admin, name, content)
    elapsed = time.perf_counter() - start
    assert outcome.status_code in (400, 413), outcome.text
    assert outcome.json()["error"]["fields"][0]["code"] == code
    assert elapsed < 5, elapsed
    assert memory(webapp, "VmHWM") - max(peak, rss) < 150  # MB, at its peak
    assert rows(webapp) == before
    with client(webapp, "127.0.0.9") as http:  # and the search still answers at once
        start = time.perf_counter()
        assert http.get("/api/kb/search", params={"q": "kiểm định công tơ"}).status_code == 200
        assert time.perf_counter() - start < 1.5


def test_an_oversize_upload_gets_413_before_it_is_read(webapp, admin):
    before = rows(webapp)
    outcome = upload(webapp["url"], admin, "lon.csv", b"question,answer\n" + b"x" * (6 * 1024 * 1024))
    assert outcome.status_code == 413 and outcome.job is None
    assert outcome.json()["error"]["fields"][0]["code"] == "too_large"
    assert rows(webapp) == before


# --- the unanswered list --------------------------------------------------------------------------

def test_public_log_true_writes_nothing(webapp):
    before = rows(webapp)
    question = f"{MARKER} spam vao danh sach cau hoi"
    with client(webapp, "127.0.0.5") as http:
        for headers in ({}, {"X-KB-Log-Token": "guessed-token-1234567890"}, {"X-KB-Log-Token": LOG_TOKEN[:-1]},
                        {"Authorization": f"Bearer {LOG_TOKEN}"}):
            for _ in range(10):
                answer = http.get("/api/kb/search", params={"q": question, "log": "true", "token": LOG_TOKEN},
                                  headers=headers)
                assert answer.status_code == 200 and answer.json()["logged"] is False
    assert rows(webapp) == before


# --- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path, body", [
    ("POST", f"/api/kb/unanswered/{2**63}/dismiss", None),
    ("POST", f"/api/kb/unanswered/{10**100}/dismiss", None),
    ("POST", f"/api/kb/unanswered/{2**64}/entry", {"question": f"{MARKER}?", "answer": "Dạ."}),
    ("POST", "/api/kb/entries/giay-to-cap-dien/revert", {"version": 2**63}),
    ("GET", f"/api/kb/entries/giay-to-cap-dien/diff?version={10**30}", None),
    ("GET", f"/api/kb/entries/{MARKER.upper()}", None),
])
def test_a_huge_id_gets_a_4xx_and_writes_nothing(webapp, admin, method, path, body):
    before = rows(webapp)
    with client(webapp, "127.0.0.9") as http:
        answer = http.request(method, path, headers=admin, json=body)
    assert_refused(answer, 422, "validation_error")
    assert rows(webapp) == before


@pytest.mark.parametrize("host", [f"{MARKER}.example", f"{MARKER}.example:8000", "rebind.127.0.0.1.nip.io",
                                  "192.168.1.10:8000"])
def test_a_foreign_host_gets_400(webapp, host):
    before = rows(webapp)
    with client(webapp, "127.0.0.6") as http:
        for answer in (http.get("/api/kb/search", params={"q": "giá điện"}, headers={"Host": host}),
                       http.post("/api/auth/login", headers={"Host": host},
                                 json={"username": "admin", "password": PASSWORD}),
                       http.get("/admin/", headers={"Host": host})):
            error = assert_refused(answer, 400, "bad_request")
            assert error["fields"] == [{"field": "Host", "code": "not_allowed", "params": {}}]
            assert "results" not in answer.text and "token" not in answer.text
    assert rows(webapp) == before


@pytest.mark.parametrize("content_type", ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                                          None])
def test_text_plain_json_gets_415(webapp, admin, content_type):
    """What a page on another site can send from the operator's browser without asking first."""
    before = rows(webapp)
    headers = {"Content-Type": content_type} if content_type else {}
    with client(webapp, "127.0.0.7") as http:
        login = http.post("/api/auth/login", headers=headers,
                          content=f'{{"username": "admin", "password": "{PASSWORD}"}}'.encode())
        assert_refused(login, 415, "unsupported_media_type")
        entry = http.post("/api/kb/entries", headers={**admin, **headers},
                          content=f'{{"question": "{MARKER}?", "answer": "Dạ."}}'.encode())
        assert_refused(entry, 415, "unsupported_media_type")
    assert rows(webapp) == before


def test_an_oversize_body_gets_413(webapp, admin):
    with client(webapp, "127.0.0.8") as http:
        # At the boundary: the longest entry an admin may write, every character escaped in its JSON.
        longest = json.dumps({"id": "dai-nhat", "question": "ữ" * 2000, "answer": "ữ" * 20_000, "source": "ữ" * 2000})
        assert 140_000 < len(longest) < 256 * 1024
        created = http.post("/api/kb/entries", headers={**admin, "Content-Type": "application/json"}, content=longest)
        assert created.status_code == 201, created.text
        before = rows(webapp)
        big = {"question": f"{MARKER}?", "answer": "Dạ, " + "điện " * 60_000}  # over 256 KiB
        error = assert_refused(http.post("/api/kb/entries", headers=admin, json=big), 413, "payload_too_large")
        assert error["fields"] == [{"field": "body", "code": "too_large", "params": {"max_bytes": 262144}}]
        assert_refused(http.post("/api/auth/login", json={"username": "admin", "password": "x" * 300_000}),
                       413, "payload_too_large")
        chunks = iter([b'{"markdown": "', *([b"x" * 8192] * 40), b'"}'])  # streamed: no Content-Length
        streamed = http.post("/api/kb/preview", headers={**admin, "Content-Type": "application/json"}, content=chunks)
        assert_refused(streamed, 413, "payload_too_large")
    assert rows(webapp) == before


def test_no_error_repeats_the_input(webapp, admin):
    with client(webapp, "127.0.0.9") as http:
        assert_refused(http.get(f"/api/{MARKER}/<script>"), 404, "not_found")
        assert_refused(http.post("/api/kb/entries", headers=admin, json={MARKER: 1}), 422, "validation_error")
        assert_refused(http.get(f"/api/kb/entries/{MARKER}", headers=admin), 404, "not_found")
        assert_refused(http.get(f"/api/kb/entries/{MARKER}/history", headers=admin), 404, "not_found")
        assert_refused(http.post("/api/kb/entries/giay-to-cap-dien/revert", headers=admin, json={"version": 987654}),
                       404, "not_found")
        assert_refused(http.get("/api/kb/search", params={"q": MARKER * 200}), 422, "validation_error")
        assert_refused(http.post("/api/auth/login", json={"username": MARKER, "password": ""}), 422,
                       "validation_error")
