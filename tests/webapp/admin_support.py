"""What the web app tests share: a web app process on a free port with a small seed, users, sign-in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, Tuple

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from isolated_stack import StackFailed, start_webapp  # noqa: E402

PASSWORD = "test-admin-password"
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


def start(tmp: Path, seed: dict = SEED) -> Tuple[object, str]:
    """A web app on a free port with its own SQLite database in ``tmp`` and a staff user."""
    seed_file = tmp / "entries.yml"
    seed_file.write_text(yaml.safe_dump(seed, allow_unicode=True), encoding="utf-8")
    try:
        process, url = start_webapp(tmp, seed_file, PASSWORD)
    except StackFailed as error:
        pytest.fail(str(error))
    add_user(tmp / "webapp.db", STAFF, STAFF_PASSWORD, "staff")
    return process, url


def add_user(db: Path, username: str, password: str, role: str) -> None:
    from sqlalchemy.orm import sessionmaker

    from webapp import auth
    from webkit.db import make_engine

    engine = make_engine(f"sqlite:///{db}")
    try:
        with sessionmaker(engine).begin() as session:
            auth.ensure_user(session, username, password, role)
    finally:
        engine.dispose()


def login(url: str, username: str = "admin", password: str = PASSWORD) -> Dict[str, str]:
    answer = httpx.post(f"{url}/api/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}
