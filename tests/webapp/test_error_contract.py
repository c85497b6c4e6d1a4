"""The error contract (webkit.errors, docs/errors.md) as the web app answers it over real HTTP: a stable
``code``, ``fields`` with each field's ``field``/``code``/``params`` where the error is about the request's
parts, ``details`` with the same per row of an import; and pages that choose their words by those codes."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from admin_support import login, start, upload

from isolated_stack import ROOT, stop_service  # noqa: E402  (scripts/ is on the path through admin_support)

ERROR_KEYS = {"code", "message", "fields", "details", "retry_after"}


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    process, base = start(tmp_path_factory.mktemp("errors"))
    yield base
    stop_service(process)


@pytest.fixture(scope="module")
def admin(url):
    return login(url)


def error_of(answer: httpx.Response, status: int, code: str) -> dict:
    """The error object, checked against the contract."""
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert set(error) <= ERROR_KEYS and error["code"] == code and isinstance(error["message"], str)
    for entry in error.get("fields", []):
        assert set(entry) == {"field", "code", "params"} and isinstance(entry["params"], dict), entry
    if status == 422:
        assert error["fields"], "every 422 says which field"
    return error


@pytest.mark.parametrize("body, fields", [
    ({"question": "", "answer": "Dạ."}, [{"field": "question", "code": "blank", "params": {}}]),
    ({"question": "Câu hỏi?"}, [{"field": "answer", "code": "missing", "params": {}}]),
    ({"question": "Câu hỏi?", "answer": "Dạ.", "id": "Mã Sai"}, [{"field": "id", "code": "invalid_id", "params": {}}]),
    ({"question": "Câu hỏi?", "answer": "Dạ.", "status": "archived"},
     [{"field": "status", "code": "not_allowed", "params": {"allowed": ["draft", "published"]}}]),
    ({"question": "Câu hỏi?", "answer": "x" * 20_001},
     [{"field": "answer", "code": "too_long", "params": {"max_length": 20000}}]),
    ({"question": "Câu hỏi?", "answer": "Dạ.", "tags": "không phải danh sách"},
     [{"field": "tags", "code": "invalid", "params": {}}]),
    ({"question": "Câu hỏi?", "answer": "Dạ.", "bogus": 1}, [{"field": "bogus", "code": "invalid", "params": {}}]),
])
def test_a_422_names_each_field_with_a_code_and_its_params(url, admin, body, fields):
    error = error_of(httpx.post(f"{url}/api/kb/entries", headers=admin, json=body), 422, "validation_error")
    assert error["fields"] == fields


def test_conflicts_say_which_field_and_why(url, admin):
    taken = httpx.post(f"{url}/api/kb/entries", headers=admin,
                       json={"id": "kiem-dinh-cong-to", "question": "Q?", "answer": "A."})
    assert error_of(taken, 409, "conflict")["fields"] == [{"field": "id", "code": "taken", "params": {}}]
    current = httpx.get(f"{url}/api/kb/entries/giay-to-cap-dien", headers=admin).json()["version"]
    stale = httpx.put(f"{url}/api/kb/entries/giay-to-cap-dien", headers=admin,
                      json={"answer": "Dạ, cũ.", "version": current + 5})
    assert error_of(stale, 409, "conflict")["fields"] == [
        {"field": "version", "code": "stale", "params": {"current": current}}]


def test_an_import_reports_each_row_with_field_code_and_params(url, admin):
    content = ("id,question,answer,status\n"
               "Mã Sai,Câu hỏi?,Dạ.,\n"
               "muc-a,Câu hỏi a?,,an\n"
               "muc-a,Câu hỏi a lần hai?,Dạ.,\n").encode("utf-8-sig")
    answer = upload(url, admin, "loi.csv", content)
    error = answer.json()["error"]
    assert answer.status_code == 422 and error["code"] == "validation_error"
    assert [{k: d[k] for k in ("row", "field", "code", "params")} for d in error["details"]] == [
        {"row": 2, "field": "id", "code": "invalid_id", "params": {}},
        {"row": 3, "field": "answer", "code": "blank", "params": {}},
        {"row": 3, "field": "status", "code": "not_allowed", "params": {"allowed": ["draft", "published"]}},
        {"row": 4, "field": "id", "code": "duplicate", "params": {"row": 3}},
    ]


def test_the_upload_refusals_name_the_part(url, admin):
    missing = httpx.post(f"{url}/api/kb/import", headers=admin, files={"other": ("a.csv", b"x")})
    assert error_of(missing, 400, "bad_request")["fields"] == [{"field": "file", "code": "missing", "params": {}}]
    not_json = httpx.post(f"{url}/api/kb/entries", headers={**admin, "Content-Type": "text/plain"}, content=b"{}")
    assert error_of(not_json, 415, "unsupported_media_type")["fields"] == [
        {"field": "Content-Type", "code": "unsupported", "params": {"expected": "application/json"}}]
    bad_json = httpx.post(f"{url}/api/kb/entries", headers={**admin, "Content-Type": "application/json"},
                          content=b"{not json")
    assert error_of(bad_json, 422, "validation_error")["fields"] == [{"field": "body", "code": "invalid", "params": {}}]


def test_every_other_error_has_a_stable_code(url, admin):
    error_of(httpx.get(f"{url}/api/kb/entries"), 401, "unauthorized")
    error_of(httpx.get(f"{url}/api/kb/entries/khong-co", headers=admin), 404, "not_found")
    error_of(httpx.get(f"{url}/api/khong-co"), 404, "not_found")
    error_of(httpx.put(f"{url}/api/kb/summary", headers=admin, json={}), 405, "method_not_allowed")
    path = error_of(httpx.get(f"{url}/api/kb/entries/KHONG-HOP-LE/history", headers=admin), 422, "validation_error")
    assert path["fields"] == [{"field": "entry_id", "code": "invalid", "params": {}}]
    huge = error_of(httpx.post(f"{url}/api/kb/unanswered/{2**40}/dismiss", headers=admin), 422, "validation_error")
    assert huge["fields"] == [{"field": "question_id", "code": "invalid", "params": {"max": 2**31 - 1}}]


# --- pages choose their words by code ----------------------------------------------------------

PAGE_SCRIPTS = sorted([*(ROOT / "webapp" / "admin").rglob("*.js"), *(ROOT / "webkit" / "static").rglob("*.js")])
ENGLISH_OF_THE_SERVER = re.compile(r"already exists|must not be empty|is required|is longer than|lower-case letters|"
                                   r"must be one of|Field required|not UTF-8|multipart|cannot be read|larger than")


@pytest.mark.parametrize("script", PAGE_SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_pages_never_read_the_servers_english_message(script: Path):
    text = script.read_text(encoding="utf-8")
    assert not ENGLISH_OF_THE_SERVER.search(text), script
    assert not re.search(r"\.message\s*(\.|\))", text.replace("super(message)", "")), \
        f"{script}: reads an error's message (choose the words by code)"
