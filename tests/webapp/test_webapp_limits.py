"""The web app's limits without a server: login backoff, settings, request guards, import limits."""

from __future__ import annotations

import csv
import io
import threading
import time

import pytest
from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict
from starlette.testclient import TestClient

import xlsx_craft
from knowledge_base import spreadsheet
from knowledge_base.limits import Limits
from webapp.import_jobs import FAILED, SUCCEEDED, ImportJobs
from webapp.settings import LoginLimits, Settings, SettingsError
from webkit.accounts import hashing
from webkit.accounts.throttle import MemoryLoginThrottle, key
from webkit.errors import ApiError
from webkit.errors import install as install_errors
from webkit.guards import BodyLimit, HostGuard, JsonOnly, host_name


# --- login backoff -----------------------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def throttle(clock):
    return MemoryLoginThrottle(LoginLimits(free_attempts=3, backoff_seconds=2, backoff_max_seconds=60,
                                           forget_seconds=600), clock)


def test_free_attempts_then_a_doubling_wait_up_to_the_maximum(throttle, clock):
    k = key("admin", "127.0.0.1")
    for _ in range(2):
        throttle.failed(k)
        assert throttle.retry_after(k) == 0
    waits = []
    for _ in range(8):
        throttle.failed(k)
        waits.append(throttle.retry_after(k))
        clock.now += waits[-1]  # waits, then fails again
        assert throttle.retry_after(k) == 0
    assert waits == [2, 4, 8, 16, 32, 60, 60, 60]


def test_success_resets_and_other_addresses_are_not_slowed(throttle, clock):
    k = key("admin", "127.0.0.1")
    for _ in range(5):
        throttle.failed(k)
    assert throttle.retry_after(k) == 8
    assert throttle.retry_after(key("admin", "127.0.0.2")) == 0  # not an account lock
    assert throttle.retry_after(key(" ADMIN ", "127.0.0.1")) == 8  # the username as it is compared
    clock.now += 8
    throttle.succeeded(k)
    throttle.failed(k)
    assert throttle.retry_after(k) == 0  # a success forgot the failures


def test_failures_are_forgotten_after_a_quiet_while(throttle, clock):
    k = key("admin", "127.0.0.1")
    for _ in range(4):
        throttle.failed(k)
    clock.now += 601
    throttle.failed(k)
    assert throttle.retry_after(k) == 0


def test_the_number_of_keys_is_bounded(clock):
    throttle = MemoryLoginThrottle(LoginLimits(free_attempts=1), clock, max_keys=10)
    for n in range(50):
        throttle.failed(key(f"user{n}", "127.0.0.1"))
    assert len(throttle._failures) == 10


def test_unknown_users_cost_a_scrypt_like_known_ones():
    stored = hashing.hash_password("right password")
    hashing.dummy_hash()

    def cost(stored_hash: str) -> float:
        start = time.perf_counter()
        for _ in range(5):
            hashing.check_password("wrong password", stored_hash)
        return time.perf_counter() - start

    known, unknown = cost(stored), cost(hashing.dummy_hash())
    assert 0.5 < unknown / known < 2
    assert not hashing.check_password("anything", hashing.dummy_hash())


# --- import jobs -------------------------------------------------------------------------------

def finished(jobs, job, timeout=10):
    deadline = time.monotonic() + timeout
    while jobs.get(job.id).status not in (SUCCEEDED, FAILED):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return jobs.get(job.id)


def test_jobs_run_one_at_a_time_and_report_their_result_or_error():
    jobs = ImportJobs(max_pending=2)
    try:
        gate = threading.Event()
        first = jobs.submit(lambda: gate.wait(10) and "first", dry_run=False, author="admin")
        second = jobs.submit(lambda: 1 / 0, dry_run=True, author="admin")
        with pytest.raises(ApiError) as busy:  # two waiting already
            jobs.submit(lambda: None, dry_run=False, author="admin")
        assert (busy.value.status, busy.value.retry_after, busy.value.headers) == (503, 30, {"Retry-After": "30"})
        assert jobs.get(second.id).status == "queued"  # behind the first
        gate.set()
        done = finished(jobs, first)
        assert (done.status, done.result) == (SUCCEEDED, "first") and done.finished_at >= done.started_at
        failed = finished(jobs, second)
        assert failed.error == {"status": 500, "code": "internal_error",
                                "message": "the import failed: try again later"}

        def refused():
            raise spreadsheet.bad_file("the file is empty", code="empty")

        error = finished(jobs, jobs.submit(refused, dry_run=False, author="admin")).error
        assert error == {"status": 400, "code": "bad_request", "message": "the file is empty",
                         "fields": [{"field": "file", "code": "empty", "params": {}}]}
        assert jobs.get("no-such-job") is None
    finally:
        jobs.stop()


# --- settings ----------------------------------------------------------------------------------

def env(**values):
    return {"WEBAPP_ADMIN_PASSWORD": "long-enough-password", **values}


def test_default_limits():
    settings = Settings.from_env(env())
    assert settings.allowed_hosts == ("127.0.0.1", "localhost", "::1")
    assert settings.max_body_bytes == 256 * 1024
    assert settings.login == LoginLimits(5, 1.0, 900.0, 3600.0)
    assert settings.imports == Limits()
    assert settings.upload_max_bytes == 5 * 1024 * 1024 + 64 * 1024
    assert settings.kb_log_token == ""


def test_limits_from_the_environment():
    settings = Settings.from_env(env(WEBAPP_HOST="10.0.0.5", WEBAPP_ALLOWED_HOSTS="kb.example.vn, Admin.Example.VN",
                                     WEBAPP_MAX_BODY_BYTES="1000", WEBAPP_LOGIN_FREE_ATTEMPTS="3",
                                     WEBAPP_LOGIN_BACKOFF_SECONDS="0.5", KB_IMPORT_MAX_ROWS="10",
                                     KB_IMPORT_MAX_CELLS="99", KB_LOG_TOKEN="x" * 16))
    assert settings.allowed_hosts == ("127.0.0.1", "localhost", "::1", "10.0.0.5", "kb.example.vn",
                                      "admin.example.vn")
    assert (settings.max_body_bytes, settings.login.free_attempts, settings.login.backoff_seconds) == (1000, 3, 0.5)
    assert (settings.imports.max_rows, settings.imports.max_cells) == (10, 99)
    assert Settings.from_env(env(WEBAPP_HOST="0.0.0.0")).allowed_hosts == ("127.0.0.1", "localhost", "::1")


@pytest.mark.parametrize("values", [{"KB_LOG_TOKEN": "short"}, {"WEBAPP_MAX_BODY_BYTES": "lots"},
                                    {"KB_IMPORT_MAX_ROWS": "0"}, {"WEBAPP_LOGIN_BACKOFF_SECONDS": "-1"}])
def test_bad_limits_are_refused_at_start(values):
    with pytest.raises(SettingsError):
        Settings.from_env(env(**values))


# --- request guards ----------------------------------------------------------------------------

class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = ""


@pytest.fixture(scope="module")
def client():
    app = FastAPI()
    install_errors(app)

    @app.post("/json")
    def json_endpoint(body: Body) -> dict:
        return {"length": len(body.text)}

    @app.post("/bare")
    def bare() -> dict:
        return {"ok": True}

    @app.post("/upload")
    async def upload(request: Request) -> dict:
        return {"length": len(await request.body())}

    app.add_middleware(JsonOnly, form_paths=["/upload"])
    app.add_middleware(BodyLimit, max_bytes=1000, limits={"/upload": 5000})
    app.add_middleware(HostGuard, allowed=["127.0.0.1", "localhost", "::1"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


@pytest.mark.parametrize("given, name", [("127.0.0.1:8000", "127.0.0.1"), ("LocalHost", "localhost"),
                                         ("[::1]:8000", "::1"), ("localhost.:80", "localhost"),
                                         ("evil.example:x", ""), ("[::1", "")])
def test_host_name(given, name):
    assert host_name(given) == name


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io", "0.0.0.0", ""])
def test_a_foreign_host_gets_400_without_repeating_it(client, host):
    answer = client.post("/json", json={"text": "x"}, headers={"Host": host})
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == [{"field": "Host", "code": "not_allowed", "params": {}}]
    assert not host or host not in answer.text


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost"])
def test_local_hosts_pass(client, host):
    assert client.post("/json", json={"text": "x"}, headers={"Host": host}).status_code == 200


def test_bodies_over_the_limit_get_413_declared_or_streamed(client):
    assert client.post("/json", json={"text": "x" * 900}).status_code == 200
    declared = client.post("/json", json={"text": "x" * 1000})
    assert declared.status_code == 413
    assert declared.json()["error"]["fields"] == [{"field": "body", "code": "too_large", "params": {"max_bytes": 1000}}]
    chunks = (b'{"text": "' + b"x" * 600, b"x" * 600 + b'"}')
    streamed = client.post("/json", content=iter(chunks), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "payload_too_large"
    form = "multipart/form-data; boundary=x"
    assert client.post("/upload", content=b"x" * 4000, headers={"Content-Type": form}).status_code == 200
    too_big = client.post("/upload", content=b"x" * 6000, headers={"Content-Type": form})
    assert too_big.status_code == 413 and too_big.json()["error"]["fields"][0]["params"] == {"max_bytes": 5000}


@pytest.mark.parametrize("content_type", ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_json_endpoints_refuse_other_content_types(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    answer = client.post("/json", content=b'{"text": "x"}', headers=headers)
    assert answer.status_code == 415, answer.text
    assert answer.json()["error"]["code"] == "unsupported_media_type"
    assert answer.json()["error"]["fields"][0] == {"field": "Content-Type", "code": "unsupported",
                                                   "params": {"expected": "application/json"}}


def test_json_types_and_bodiless_posts_pass(client):
    for content_type in ("application/json", "application/json; charset=utf-8", "application/merge-patch+json"):
        assert client.post("/json", content=b'{"text": "x"}', headers={"Content-Type": content_type}).status_code == 200
    assert client.post("/bare").status_code == 200
    assert client.post("/upload", content=b"{}", headers={"Content-Type": "application/json"}).status_code == 415


def test_errors_do_not_repeat_the_input(client):
    answer = client.get("/nothing/<script>alert(1)</script>")
    assert answer.status_code == 404 and "script" not in answer.text
    answer = client.post("/json", json={"<img src=x onerror=alert(1)>": 1})
    assert answer.status_code == 422 and "img" not in answer.text
    answer = client.put("/json", json={"text": "x"})
    assert answer.status_code == 405 and "PUT" not in answer.text


# --- import limits -----------------------------------------------------------------------------

def refused(name, content, limits=Limits()):
    with pytest.raises(ApiError) as raised:
        spreadsheet.read(name, content, limits)
    return raised.value


def field(error):
    return error.fields[0]["code"], error.fields[0]["params"]


def test_a_crafted_workbook_reads():
    assert spreadsheet.read("a.xlsx", xlsx_craft.small()).rows == [
        (2, {"question": "Câu hỏi thủ công?", "answer": "Dạ, câu trả lời."})]


@pytest.mark.parametrize("maker, status, code", [
    (xlsx_craft.million_cells, 413, "suspicious_archive"),  # refused from the zip's directory alone
    (xlsx_craft.many_random_cells, 413, "too_many_cells"),  # counted while streaming its XML
    (xlsx_craft.far_cells, 413, "too_many_cells"),  # rows padded to their last column count
    (xlsx_craft.entity_expansion, 400, "unreadable"),  # no DTD
    (xlsx_craft.lying_sizes, 400, "unreadable"),  # never unzipped past its declared size
])
def test_hostile_workbooks_are_refused_quickly(maker, status, code):
    content = maker()
    start = time.perf_counter()
    error = refused("x.xlsx", content)
    assert time.perf_counter() - start < 3
    assert (error.status, field(error)[0]) == (status, code)


def test_declared_sizes_and_parts_are_checked_before_parsing():
    content = xlsx_craft.small()
    error = refused("a.xlsx", content, Limits(max_uncompressed_bytes=1000))
    assert (error.status, field(error)) == (413, ("too_large_uncompressed", {"max_uncompressed_bytes": 1000}))
    error = refused("a.xlsx", content, Limits(max_parts=3))
    assert field(error) == ("suspicious_archive", {"max_parts": 3})
    error = refused("a.xlsx", content, Limits(max_bytes=100))
    assert (error.status, field(error)) == (413, ("too_large", {"max_bytes": 100}))


def csv_file(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_row_and_cell_limits_of_csv_and_xlsx():
    limits = Limits(max_rows=3, max_cells=20)
    header = ["question", "answer"]
    assert len(spreadsheet.read("a.csv", csv_file([header] + [["Q?", "A."]] * 3), limits).rows) == 3
    error = refused("a.csv", csv_file([header] + [["Q?", "A."]] * 4), limits)
    assert (error.status, field(error)) == (413, ("too_many_rows", {"max_rows": 3}))
    error = refused("a.csv", csv_file([header, ["Q?", "A."] + [""] * 30]), limits)
    assert field(error) == ("too_many_cells", {"max_cells": 20})
    assert field(refused("a.csv", b"question,answer\n" + b"," * 200_000 + b"\n")) == \
        ("too_many_cells", {"max_cells": 100_000})
    many_rows = xlsx_craft.workbook(xlsx_craft.rows([[xlsx_craft.inline("A", n, "q")] for n in range(1, 6)]))
    assert field(refused("a.xlsx", many_rows, limits)) == ("too_many_rows", {"max_rows": 3})


def test_every_file_error_has_a_code():
    cases = [("a.csv", b""), ("a.csv", b"id,x\n1,2\n"), ("a.csv", b"question,answer\n"),
             ("a.csv", b"question,question,answer\nq,q,a\n"), ("a.csv", "câu".encode("cp1258")),
             ("a.png", b"\x89PNG\x00\x00"), ("a.xlsx", b"PK\x03\x04 broken")]
    codes = [field(refused(name, content))[0] for name, content in cases]
    assert codes == ["empty", "missing_columns", "no_data_rows", "duplicate_columns", "not_utf8",
                     "unsupported_format", "unreadable"]
