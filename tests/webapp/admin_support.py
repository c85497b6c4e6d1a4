"""What the web app tests share: a web app process on a free port with a small seed, users, sign-in."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from isolated_stack import StackFailed, start_webapp  # noqa: E402

PASSWORD = "test-admin-password"
LOG_TOKEN = "test-kb-log-token-0123456789"  # KB_LOG_TOKEN: what the bot sends to log a question
LOG_HEADERS = {"X-KB-Log-Token": LOG_TOKEN}
STAFF, STAFF_PASSWORD = "nhanvien", "test-staff-password"
SEED = {"entries": [
    {"id": "cap-dien-thoi-gian", "category": "cap-dien-moi", "tags": ["cấp điện"],
     "question": "Cấp điện mới hạ áp mất bao lâu?",
     "alternatives": ["đăng ký lắp công tơ mới bao lâu thì có điện", "bao lau thi duoc cap dien"],
     "answer": "Dạ, tối đa **5 ngày làm việc**.", "source": "EVN"},
    {"id": "giay-to-cap-dien", "category": "cap-dien-moi", "tags": [],
     "question": "Hồ sơ cấp điện mới cần giấy tờ gì?", "alternatives": ["lam ho so dang ky dien can gi"],
     "answer": "Dạ, CCCD và giấy tờ nhà.", "source": ""},
    {"id": "kiem-dinh-cong-to", "category": "cong-to-chi-so", "tags": ["công tơ", "kiểm định"],
     "question": "Kiểm định công tơ thế nào, ai trả phí?",
     "alternatives": ["nghi cong to chay nhanh muon kiem tra", "đồng hồ điện chạy sai thì làm sao"],
     "answer": "Dạ, Quý khách gửi yêu cầu kiểm định; nếu công tơ chạy đúng, Quý khách trả phí kiểm định.",
     "source": "Thông tư 16/2014/TT-BCT"},
    {"id": "hoa-don-dien-tu", "category": "hoa-don-thanh-toan", "tags": ["hóa đơn"],
     "question": "Làm sao để nhận hóa đơn điện tử?", "alternatives": ["xem hoa don dien tu o dau"],
     "answer": "Dạ, Quý khách tra cứu hóa đơn điện tử trên website hoặc ứng dụng CSKH của Điện lực.",
     "source": ""},
]}


def start(tmp: Path, seed: dict = SEED, extra_env: Optional[Dict[str, str]] = None) -> Tuple[object, str]:
    """A web app on a free port with its own SQLite database in ``tmp``, the bot's KB_LOG_TOKEN, a staff user."""
    seed_file = tmp / "entries.yml"
    seed_file.write_text(yaml.safe_dump(seed, allow_unicode=True), encoding="utf-8")
    try:
        process, url = start_webapp(tmp, seed_file, PASSWORD, {"KB_LOG_TOKEN": LOG_TOKEN, **(extra_env or {})})
    except StackFailed as error:
        pytest.fail(str(error))
    add_user(tmp / "webapp.db", STAFF, STAFF_PASSWORD, "staff")
    return process, url


def add_user(db: Path, username: str, password: str, role: str) -> None:
    from sqlalchemy.orm import sessionmaker

    from webkit.accounts import users
    from webkit.db import make_engine

    engine = make_engine(f"sqlite:///{db}")
    try:
        with sessionmaker(engine).begin() as session:
            users.ensure_user(session, username, password, role)
    finally:
        engine.dispose()


def login(url: str, username: str = "admin", password: str = PASSWORD) -> Dict[str, str]:
    answer = httpx.post(f"{url}/api/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@dataclass
class Outcome:
    """What an import came to, as one answer: the refusal of the upload, or its job's result or error."""
    status_code: int
    body: Dict[str, Any]
    job: Optional[Dict[str, Any]] = None

    def json(self) -> Dict[str, Any]:
        return self.body

    @property
    def text(self) -> str:
        return str(self.body)


def wait_import(url: str, headers: Dict[str, str], job: Dict[str, Any], timeout: float = 60) -> Dict[str, Any]:
    deadline = time.monotonic() + timeout
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"import {job['id']} still {job['status']}"
        time.sleep(0.05)
        answer = httpx.get(f"{url}/api/kb/imports/{job['id']}", headers=headers)
        assert answer.status_code == 200, answer.text
        job = answer.json()
    return job


def upload(url: str, headers: Dict[str, str], name: str, content: bytes, **params) -> Outcome:
    """POST /api/kb/import then, when it is accepted (202), its job polled until it has finished."""
    answer = httpx.post(f"{url}/api/kb/import", headers=headers, params=params, files={"file": (name, content)},
                        timeout=60)
    if answer.status_code != 202:
        return Outcome(answer.status_code, answer.json())
    assert answer.headers["location"] == f"/api/kb/imports/{answer.json()['id']}"
    job = wait_import(url, headers, answer.json())
    if job["status"] == "succeeded":
        return Outcome(200, job["result"], job)
    error = dict(job["error"])
    return Outcome(error.pop("status"), {"error": error}, job)
