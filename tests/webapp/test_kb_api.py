"""The knowledge-base API of the web app over real HTTP, two replicas on one database."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from isolated_stack import StackFailed, start_webapp, stop_service  # noqa: E402

from admin_support import LOG_HEADERS, LOG_TOKEN, PASSWORD, SEED  # noqa: E402  (the web app tests' small seed)

def start(tmp: Path, seed: Path) -> tuple:
    """One replica of the web app on a free port; every replica started in ``tmp`` shares its database."""
    try:
        return start_webapp(tmp, seed, PASSWORD, {"KB_LOG_TOKEN": LOG_TOKEN})
    except StackFailed as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("webapp")
    seed = tmp / "entries.yml"
    seed.write_text(yaml.safe_dump(SEED, allow_unicode=True), encoding="utf-8")
    first = start(tmp, seed)
    second = start(tmp, seed)
    yield first[1], second[1]
    for process, _ in (first, second):
        stop_service(process)


@pytest.fixture(scope="module")
def admin(replicas):
    answer = httpx.post(f"{replicas[0]}/api/auth/login", json={"username": "admin", "password": PASSWORD})
    assert answer.status_code == 200
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def search(url: str, q: str) -> dict:
    answer = httpx.get(f"{url}/api/kb/search", params={"q": q, "k": 3})
    assert answer.status_code == 200
    return answer.json()


def wait_for(check, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_search_answers_from_the_seed(replicas):
    result = search(replicas[0], "bao lâu thì có điện sau khi đăng ký")
    assert result["results"][0]["id"] == "cap-dien-thoi-gian"
    assert set(result["results"][0]) == {"id", "question", "answer", "source", "score"}


def test_login_and_roles(replicas):
    assert httpx.post(f"{replicas[0]}/api/auth/login", json={"username": "admin", "password": "wrong"}).status_code == 401
    assert httpx.get(f"{replicas[0]}/api/kb/entries").status_code == 401
    assert httpx.get(f"{replicas[0]}/api/kb/entries", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_bad_input_is_a_clear_4xx(replicas, admin):
    url = replicas[0]
    assert httpx.get(f"{url}/api/kb/search").status_code == 422
    assert httpx.get(f"{url}/api/kb/search", params={"q": "x", "k": 0}).status_code == 422
    answer = httpx.post(f"{url}/api/kb/entries", json={"question": "", "answer": "x"}, headers=admin)
    assert answer.status_code == 422 and "question" in answer.json()["error"]["message"]
    assert httpx.post(f"{url}/api/kb/entries", json={"question": "q", "answer": "a", "bogus": 1},
                      headers=admin).status_code == 422
    assert httpx.get(f"{url}/api/kb/entries/khong-co", headers=admin).status_code == 404
    assert httpx.get(f"{url}/api/kb/search", params={"q": "👍" * 100}).status_code == 200


def test_edits_are_live_here_and_on_the_other_replica(replicas, admin):
    here, there = replicas
    question = "Nhận thông báo tiền điện qua Zalo như thế nào?"
    created = httpx.post(f"{here}/api/kb/entries", headers=admin, json={
        "id": "zalo-thong-bao", "question": question, "alternatives": ["dang ky nhan thong bao tien dien qua zalo"],
        "answer": "Dạ, Quý khách quan tâm Zalo OA của Điện lực và liên kết mã khách hàng.", "category": "tai-khoan-thong-bao"})
    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert all(r["id"] != "zalo-thong-bao" for r in search(here, "thông báo tiền điện qua zalo")["results"])

    assert httpx.post(f"{here}/api/kb/entries/zalo-thong-bao/publish", headers=admin).status_code == 200
    assert search(here, "thông báo tiền điện qua zalo")["results"][0]["id"] == "zalo-thong-bao"
    assert wait_for(lambda: search(there, "thông báo tiền điện qua zalo")["results"][0]["id"] == "zalo-thong-bao")

    edited = httpx.put(f"{here}/api/kb/entries/zalo-thong-bao", headers=admin,
                       json={"answer": "Dạ, câu trả lời mới.", "version": 2})
    assert edited.status_code == 200 and edited.json()["version"] == 3
    stale = httpx.put(f"{here}/api/kb/entries/zalo-thong-bao", headers=admin, json={"answer": "x", "version": 2})
    assert stale.status_code == 409
    assert wait_for(lambda: search(there, "thông báo tiền điện qua zalo")["results"][0]["answer"] == "Dạ, câu trả lời mới.")

    assert httpx.post(f"{here}/api/kb/entries/zalo-thong-bao/unpublish", headers=admin).status_code == 200
    assert all(r["id"] != "zalo-thong-bao" for r in search(here, "thông báo tiền điện qua zalo")["results"])


def test_history_and_revert(replicas, admin):
    url = replicas[0]
    httpx.put(f"{url}/api/kb/entries/giay-to-cap-dien", headers=admin, json={"answer": "Dạ, sai."})
    history = httpx.get(f"{url}/api/kb/entries/giay-to-cap-dien/history", headers=admin).json()
    assert [h["action"] for h in history][:2] == ["update", "create"]
    reverted = httpx.post(f"{url}/api/kb/entries/giay-to-cap-dien/revert", headers=admin, json={"version": 1})
    assert reverted.status_code == 200 and reverted.json()["answer"] == "Dạ, CCCD và giấy tờ nhà."
    assert httpx.post(f"{url}/api/kb/entries/giay-to-cap-dien/revert", headers=admin,
                      json={"version": 99}).status_code == 404


def test_delete_removes_from_search_and_keeps_history(replicas, admin):
    url = replicas[0]
    httpx.post(f"{url}/api/kb/entries", headers=admin, json={
        "id": "tam-thoi", "question": "Mục tạm thời về điện mặt trời áp mái?", "answer": "Dạ, tạm.", "status": "published"})
    assert search(url, "điện mặt trời áp mái")["results"][0]["id"] == "tam-thoi"
    assert httpx.delete(f"{url}/api/kb/entries/tam-thoi", headers=admin).status_code == 200
    assert all(r["id"] != "tam-thoi" for r in search(url, "điện mặt trời áp mái")["results"])
    assert httpx.get(f"{url}/api/kb/entries/tam-thoi", headers=admin).status_code == 404
    assert httpx.get(f"{url}/api/kb/entries/tam-thoi/history", headers=admin).json()[0]["action"] == "delete"


def test_unanswered_questions_are_logged_for_admins(replicas, admin):
    url = replicas[0]
    for _ in range(2):
        httpx.get(f"{url}/api/kb/search", params={"q": "xyz qwerty zzz", "log": "true"}, headers=LOG_HEADERS)
    logged = httpx.get(f"{url}/api/kb/unanswered", headers=admin).json()
    row = next((r for r in logged if r["text"] == "xyz qwerty zzz"), None)
    assert row is not None and row["count"] == 2
