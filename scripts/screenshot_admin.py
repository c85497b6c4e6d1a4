"""Screenshots of the knowledge-base admin page for the docs: ``.venv/bin/python scripts/screenshot_admin.py``.

Starts the web app on a free port with a throw-away database seeded with the 102
entries of knowledge_base/seed/entries.yml, makes a little activity through the
API (an edit, a draft, questions the bot could not answer), then lets Debian's
Chromium (Playwright) take:

    docs/img/admin-kb.png           the entry list
    docs/img/admin-kb-history.png   an entry's history with the diff of the last edit
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from isolated_stack import ROOT, start_webapp, stop_service  # noqa: E402

sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
EDITED = "cap-dien-ha-ap-thoi-gian"
UNANSWERED = ["cho em hỏi lắp công tơ điện cho phòng trọ thì chủ nhà hay người thuê đứng tên",
              "điện lực có làm việc thứ 7 không", "có được treo biển quảng cáo lên cột điện không"]


def activity(url: str, headers: dict) -> None:
    entry = httpx.get(f"{url}/api/kb/entries/{EDITED}", headers=headers).json()
    answer = entry["answer"].replace(
        "Một số Tổng công ty Điện lực còn cam kết nhanh hơn",
        "Quý khách có thể nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia hoặc website CSKH.\n"
        "Một số Tổng công ty Điện lực còn cam kết nhanh hơn")
    httpx.put(f"{url}/api/kb/entries/{EDITED}", headers=headers, json={
        "answer": answer, "alternatives": [*entry["alternatives"], "nop ho so cap dien online bao lau co dien"],
        "version": entry["version"]}).raise_for_status()
    httpx.post(f"{url}/api/kb/entries", headers=headers, json={
        "question": "Điện lực có làm việc vào thứ Bảy không?",
        "alternatives": ["dien luc co lam viec thu 7 khong", "cuối tuần có nộp hồ sơ được không"],
        "answer": "Dạ, nhiều Phòng giao dịch của Điện lực làm việc cả sáng thứ Bảy; "
                  "Quý khách vui lòng xem giờ làm việc trên website CSKH của Điện lực khu vực ạ.",
        "category": "kenh-ho-tro", "tags": ["giờ làm việc"], "status": "draft"}).raise_for_status()



def log_unanswered(db: Path) -> None:
    """Questions the bot could not answer, logged as the search endpoint does (whatever the retriever finds)."""
    from sqlalchemy.orm import sessionmaker

    from knowledge_base import store
    from webkit.db import make_engine

    engine = make_engine(f"sqlite:///{db}")
    with sessionmaker(engine).begin() as session:
        for count, question in enumerate(UNANSWERED):
            for _ in range(len(UNANSWERED) - count):
                store.log_unanswered(session, question)
    engine.dispose()


def shoot(url: str, password: str, out_dir: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 860}, device_scale_factor=1, locale="vi-VN")
        page.goto(f"{url}/admin/")
        page.fill("#login-username", "admin")
        page.fill("#login-password", password)
        page.click("#login-submit")
        page.wait_for_selector("#entries-body tr")
        page.wait_for_function("document.querySelector('#stat-total').textContent !== '–'")
        page.screenshot(path=str(out_dir / "admin-kb.png"))

        page.goto(f"{url}/admin/#/entries/{EDITED}/history")
        page.wait_for_selector('#diff .diff-field[data-field="answer"] ins')
        page.screenshot(path=str(out_dir / "admin-kb-history.png"))
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory(prefix="kb-admin-shots-") as tmp:
        process, url = start_webapp(Path(tmp), ROOT / "knowledge_base" / "seed" / "entries.yml", password)
        try:
            headers = {"Authorization": "Bearer " + httpx.post(
                f"{url}/api/auth/login", json={"username": "admin", "password": password}).json()["token"]}
            activity(url, headers)
            log_unanswered(Path(tmp) / "webapp.db")
            shoot(url, password, args.out_dir)
        finally:
            stop_service(process)
    for name in ("admin-kb.png", "admin-kb-history.png"):
        print(args.out_dir / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
