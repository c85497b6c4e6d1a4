"""The admin page (/admin) driven in Debian's Chromium by Playwright, against a real web app process.

The tests run in order on one signed-in page, like an admin's working session.
Without /usr/bin/chromium they are skipped, except under CI (``CI`` set), where
they fail: `make test` installs it (`make browser`).
"""

from __future__ import annotations

import csv
import http.server
import io
import os
import re
import threading
import time
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

import xlsx_craft
from admin_support import LOG_HEADERS, PASSWORD, STAFF, STAFF_PASSWORD, login, start

from isolated_stack import stop_service  # noqa: E402  (scripts/ is on the path through admin_support)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is missing (`make browser` installs it)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

expect.set_options(timeout=8000)
NEW_QUESTION = "Quên mật khẩu ứng dụng CSKH thì làm sao?"
NEW_ID = "quen-mat-khau-ung-dung-cskh-thi-lam-sao"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("kb-admin-page")


@pytest.fixture(scope="module")
def server(browser, workdir):
    process, url = start(workdir)
    yield url
    stop_service(process)


def access_log(workdir, server):
    """What uvicorn logged of the requests the web app answered (its log file, see isolated_stack.start_webapp)."""
    return (workdir / f"webapp-{server.rsplit(':', 1)[1]}.log").read_text(errors="replace")


@pytest.fixture(scope="module")
def other_site():
    """A page served by another program on 127.0.0.1: another origin, but the same "site" as the admin page
    (SameSite ignores the port), so the browser sends the session cookie with its requests."""
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = "<!doctype html><title>Trang khác</title><p>Trang của một chương trình khác</p>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def admin(server):
    return login(server)


@pytest.fixture(scope="module")
def page_errors():
    return []


@pytest.fixture(scope="module")
def page(browser, server, page_errors):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="vi-VN")
    tab = context.new_page()
    tab.on("pageerror", lambda error: page_errors.append(str(error)))
    tab.goto(f"{server}/admin/")
    yield tab
    context.close()


def row(page, entry_id):
    return page.locator(f'#entries-body tr[data-id="{entry_id}"]')


def confirm(page, button_text):
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#confirm-ok")).to_have_text(button_text)
    dialog.locator("#confirm-ok").click()
    expect(dialog).to_be_hidden()


def sign_in(page, username="admin", password=PASSWORD):
    page.fill("#login-username", username)
    page.fill("#login-password", password)
    page.click("#login-submit")


SESSION_COOKIE = "__Host-cskh_session"


def session_cookie(page):
    """The page's session cookie as the browser keeps it (None when signed out)."""
    return next((c for c in page.context.cookies() if c["name"] == SESSION_COOKIE), None)


def with_cookie(cookie):
    return {"Cookie": f"{SESSION_COOKIE}={cookie['value']}"}


def search_ids(server, q):
    return [r["id"] for r in httpx.get(f"{server}/api/kb/search", params={"q": q, "k": 3}).json()["results"]]


def test_sign_in_wrong_password_staff_then_admin(page):
    expect(page.locator("#login-view")).to_be_visible()
    expect(page.locator("#login-view h1")).to_have_text("Đăng nhập quản trị")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_have_text("Vui lòng nhập tên đăng nhập và mật khẩu.")
    sign_in(page, "admin", "sai-mat-khau")
    expect(page.locator("#login-error")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    for _ in range(8):  # 5 free failures, then the backoff; another username: admin is not slowed
        sign_in(page, "khong-co-ai", "sai-mat-khau")
        expect(page.locator("#login-submit")).to_be_enabled()
        if "quá nhiều lần" in page.locator("#login-error").inner_text():
            break
    expect(page.locator("#login-error")).to_have_text(
        re.compile(r"^Đăng nhập sai quá nhiều lần từ máy này\. Vui lòng thử lại sau \d giây\.$"))
    sign_in(page, STAFF, STAFF_PASSWORD)
    expect(page.locator("#login-error")).to_contain_text(f"Tài khoản “{STAFF}” không có quyền quản trị")
    assert session_cookie(page) is None  # the staff session was ended at once, its cookie cleared
    sign_in(page)
    expect(page.locator("#app-view")).to_be_visible()
    expect(page.locator("#user-name")).to_have_text("admin")
    expect(page.locator("#stat-total")).to_have_text("4")
    expect(page.locator("#entries-body tr")).to_have_count(4)
    expect(row(page, "kiem-dinh-cong-to")).to_contain_text("Công tơ và chỉ số")
    expect(row(page, "kiem-dinh-cong-to")).to_contain_text("v1")
    cookie = session_cookie(page)  # the session: a cookie the page's script cannot read
    assert cookie and (cookie["httpOnly"], cookie["secure"], cookie["sameSite"], cookie["path"]) == \
        (True, True, "Strict", "/")
    assert cookie["expires"] == -1  # it ends with the browser (the server ends it after 12 hours)
    assert SESSION_COOKIE not in page.evaluate("document.cookie")
    assert page.evaluate("sessionStorage.length + localStorage.length") == 0  # no token kept by the script


def test_search_filter_and_sort_the_list(page):
    page.fill("#filter-q", "kiem dinh")  # without diacritics
    expect(page.locator("#entries-body tr")).to_have_count(1)
    expect(page.locator("#entries-body")).to_contain_text("Kiểm định công tơ thế nào, ai trả phí?")
    page.fill("#filter-q", "")
    page.select_option("#filter-category", "cap-dien-moi")
    expect(page.locator("#entries-body tr")).to_have_count(2)
    expect(page.locator("#entries-count")).to_have_text("Hiển thị 1–2 trong 2 mục")
    page.select_option("#filter-status", "draft")
    expect(page.locator("#entries-body")).to_contain_text("Không có mục nào khớp")
    page.click("#filter-reset")
    expect(page.locator("#entries-body tr")).to_have_count(4)
    updated = page.locator('th:has(button[data-sort="updated_at"])')
    expect(updated).to_have_attribute("aria-sort", "descending")
    page.click('button[data-sort="updated_at"]')
    expect(updated).to_have_attribute("aria-sort", "ascending")
    page.click('button[data-sort="question"]')
    expect(page.locator("#entries-body tr").first).to_have_attribute("data-id", "cap-dien-thoi-gian")


def test_create_with_preview_publish_and_try(page, server):
    page.click("#new-entry")
    expect(page.locator("#editor-title")).to_have_text("Thêm mục mới")
    form = page.locator("#entry-form")
    form.locator('[name="question"]').fill(NEW_QUESTION)
    form.locator('[name="alternatives"]').fill("quen mat khau app cskh\nlấy lại mật khẩu ứng dụng điện lực")
    form.locator('[name="answer"]').fill(
        "Dạ, Quý khách chọn **Quên mật khẩu** trên [trang CSKH](https://cskh.evn.com.vn) ạ.\n\n"
        "- Nhập số điện thoại\n- Nhập mã OTP\n\n"
        "<script>window.hacked = 1</script><img src=x onerror=\"window.hacked=2\">")
    form.locator('[name="category"]').fill("tai-khoan-thong-bao")
    form.locator('[name="tags"]').fill("tài khoản, mật khẩu")
    form.locator('[name="source"]').fill("Hướng dẫn sử dụng ứng dụng CSKH")
    preview = page.locator("#preview")
    expect(preview.locator("strong")).to_have_text("Quên mật khẩu")
    link = preview.locator("a")
    expect(link).to_have_attribute("href", "https://cskh.evn.com.vn")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile("noopener"))
    expect(preview.locator("li")).to_have_count(2)
    expect(preview.locator("script, img")).to_have_count(0)
    expect(page.locator("#preview-source")).to_have_text("Nguồn: Hướng dẫn sử dụng ứng dụng CSKH")
    expect(page.locator("#category-label")).to_have_text("Chủ đề: Tài khoản và thông báo")
    assert page.evaluate("window.hacked") is None

    page.click("#entry-save")
    expect(page.locator(".toast").last).to_contain_text(f"Đã lưu “{NEW_QUESTION}” (phiên bản 1)")
    expect(row(page, NEW_ID)).to_contain_text("Bản nháp")
    expect(page.locator("#stat-draft")).to_have_text("1")
    assert NEW_ID not in search_ids(server, "quen mat khau app cskh")

    row(page, NEW_ID).get_by_role("button", name="Xuất bản", exact=True).click()
    confirm(page, "Xuất bản")
    expect(row(page, NEW_ID)).to_contain_text("Đã xuất bản")
    published_at = time.monotonic()
    while NEW_ID not in search_ids(server, "quen mat khau app cskh"):
        assert time.monotonic() - published_at < 1.0, "the published entry is not searchable within 1 s"
        time.sleep(0.05)

    page.click('.tabs a[data-tab="try"]')
    page.fill("#try-q", "quen mat khau app cskh")
    page.click("#try-submit")
    first = page.locator("#try-body tr").first
    expect(first).to_contain_text(NEW_QUESTION)
    expect(first.locator(".score-value")).to_have_text(re.compile(r"^[01],\d\d$"))
    verdict = page.locator("#try-verdict")
    if httpx.get(f"{server}/api/kb/search", params={"q": "quen mat khau app cskh"}).json()["answered"]:
        expect(verdict).to_contain_text(f"Bot sẽ trả lời bằng mục “{NEW_QUESTION}”")
        expect(verdict).to_contain_text(re.compile(r"độ tin cậy \d,\d\d ≥ ngưỡng \d,\d\d"))
        expect(verdict.locator(".markdown strong")).to_have_text("Quên mật khẩu")
    else:  # the retriever's confidence is its own business: the verdict must agree with the bot's
        expect(verdict).to_contain_text(re.compile(r"Bot sẽ không trả lời: độ tin cậy \d,\d\d thấp hơn ngưỡng"))
    page.fill("#try-q", "qzxv wkpl mmrrtt")
    page.click("#try-submit")
    expect(verdict).to_contain_text("Bot sẽ không trả lời")


def test_edit_history_diff_and_revert(page, server, admin):
    page.goto(f"{server}/admin/#/entries/{NEW_ID}/edit")
    answer = page.locator('#entry-form [name="answer"]')
    expect(answer).to_have_value(re.compile("Quên mật khẩu"))
    expect(page.locator("#editor-meta")).to_contain_text("phiên bản 2")
    answer.fill(answer.input_value().replace("chọn **Quên mật khẩu**", "bấm **Lấy lại mật khẩu**"))
    expect(page.locator("#entry-dirty")).to_be_visible()
    page.click("#entry-save")
    expect(page.locator(".toast").last).to_contain_text("(phiên bản 3)")

    row(page, NEW_ID).get_by_role("link", name="Lịch sử").click()
    expect(page.locator("#versions li")).to_have_count(3)
    expect(page.locator("#versions .version.selected")).to_contain_text("Phiên bản 3")
    expect(page.locator("#diff-title")).to_have_text("Phiên bản 3 so với phiên bản 2")
    changed = page.locator('#diff .diff-field[data-field="answer"]')
    expect(changed).to_be_visible()
    assert "Quên" in "".join(changed.locator("del").all_inner_texts())
    assert "Lấy lại" in "".join(changed.locator("ins").all_inner_texts())
    expect(changed.locator(".diff-text")).to_contain_text("Dạ, Quý khách")  # the unchanged words are shown too
    expect(page.locator('#diff .diff-field[data-field="question"]')).to_have_count(0)  # unchanged: hidden
    expect(page.locator("#revert")).to_be_disabled()

    page.click('#versions button[data-version="2"]')
    expect(page.locator("#diff-title")).to_have_text("Phiên bản 2 so với phiên bản 1")
    expect(page.locator('#diff .diff-field[data-field="status"]')).to_contain_text("Bản nháp → Đã xuất bản")
    page.click("#revert")
    confirm(page, "Khôi phục")
    expect(page.locator("#versions li")).to_have_count(4)
    expect(page.locator("#versions .version.selected")).to_contain_text("Khôi phục")
    restored = httpx.get(f"{server}/api/kb/entries/{NEW_ID}", headers=admin).json()
    assert "chọn **Quên mật khẩu**" in restored["answer"] and restored["status"] == "published"
    assert restored["version"] == 4


def test_conflict_and_validation_messages(page, server, admin):
    page.goto(f"{server}/admin/#/entries/giay-to-cap-dien/edit")
    answer = page.locator('#entry-form [name="answer"]')
    expect(answer).to_have_value("Dạ, CCCD và giấy tờ nhà.")
    current = httpx.get(f"{server}/api/kb/entries/giay-to-cap-dien", headers=admin).json()
    httpx.put(f"{server}/api/kb/entries/giay-to-cap-dien", headers=admin,
              json={"answer": "Dạ, bản của người khác.", "version": current["version"]}).raise_for_status()
    answer.fill("Dạ, bản của tôi.")
    page.click("#entry-save")
    expect(page.locator("#editor-error")).to_contain_text("Mục này vừa được người khác sửa, vui lòng tải lại")
    page.get_by_role("button", name="Tải lại nội dung mới nhất").click()
    expect(answer).to_have_value("Dạ, bản của người khác.")

    page.goto(f"{server}/admin/#/entries/new")
    expect(page.locator("#editor-title")).to_have_text("Thêm mục mới")
    page.fill('#entry-form [name="answer"]', "Dạ, có ạ.")
    page.click("#entry-save")
    expect(page.locator('[data-field="question"] .field-error')).to_have_text("Câu hỏi không được để trống.")
    page.fill('#entry-form [name="question"]', "Có được đổi ngày ghi chỉ số không?")
    page.fill('#entry-form [name="id"]', "Mã Sai")
    page.click("#entry-save")  # the server's 422, shown next to the field
    expect(page.locator('[data-field="id"] .field-error')).to_contain_text("chỉ gồm chữ thường không dấu")
    page.fill('#entry-form [name="id"]', "kiem-dinh-cong-to")
    page.click("#entry-save")
    expect(page.locator("#editor-error")).to_contain_text("Mã mục này đã tồn tại")
    page.click("#entry-cancel")
    confirm(page, "Bỏ thay đổi")
    expect(page.locator("#view-entries")).to_be_visible()


def test_unpublish_and_delete_with_confirmation(page, server):
    row(page, NEW_ID).get_by_role("button", name="Gỡ xuất bản").click()
    confirm(page, "Gỡ xuất bản")
    expect(row(page, NEW_ID)).to_contain_text("Bản nháp")
    assert NEW_ID not in search_ids(server, "quen mat khau app cskh")

    row(page, "hoa-don-dien-tu").get_by_role("button", name="Xóa").click()
    page.click("#confirm-cancel")  # changed their mind
    expect(row(page, "hoa-don-dien-tu")).to_have_count(1)
    row(page, "hoa-don-dien-tu").get_by_role("button", name="Xóa").click()
    confirm(page, "Xóa mục")
    expect(row(page, "hoa-don-dien-tu")).to_have_count(0)
    expect(page.locator("#stat-total")).to_have_text("4")  # 4 seeds + 1 created - 1 deleted


def test_create_from_unanswered_question_and_dismiss(page, server, admin):
    for text in ("co duoc doi ngay thanh toan tien dien khong", "hom nay troi dep qua zzq"):
        found = httpx.get(f"{server}/api/kb/search", params={"q": text, "log": "true"}, headers=LOG_HEADERS).json()
        assert not found["answered"] and found["logged"]  # the bot's call: logged
    page.click('.tabs a[data-tab="unanswered"]')
    rows = page.locator("#unanswered-body tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#nav-unanswered")).to_have_text("2")
    rows.filter(has_text="doi ngay thanh toan").get_by_role("link", name="Tạo mục từ câu hỏi này").click()
    expect(page.locator("#editor-title")).to_have_text("Tạo mục từ câu hỏi chưa trả lời")
    expect(page.locator("#editor-origin")).to_contain_text("“co duoc doi ngay thanh toan tien dien khong”")
    expect(page.locator('#entry-form [name="question"]')).to_have_value("co duoc doi ngay thanh toan tien dien khong")
    page.fill('#entry-form [name="question"]', "Có được đổi ngày thanh toán tiền điện không?")
    page.fill('#entry-form [name="alternatives"]', "co duoc doi ngay thanh toan tien dien khong")
    page.fill('#entry-form [name="answer"]', "Dạ, Quý khách liên hệ Điện lực để thỏa thuận lại ngày thanh toán ạ.")
    page.click('#entry-form .segmented label:has-text("Đã xuất bản")')
    expect(page.locator('#entry-form [name="status"][value="published"]')).to_be_checked()
    page.click("#entry-save")
    expect(page.locator("#view-unanswered")).to_be_visible()
    expect(rows).to_have_count(1)
    left = httpx.get(f"{server}/api/kb/unanswered", headers=admin).json()
    assert [q["text"] for q in left] == ["hom nay troi dep qua zzq"]
    assert search_ids(server, "co duoc doi ngay thanh toan tien dien khong")[0] == \
        "co-duoc-doi-ngay-thanh-toan-tien-dien-khong"

    rows.first.get_by_role("button", name="Bỏ qua").click()
    confirm(page, "Bỏ qua")
    expect(page.locator("#unanswered-body")).to_contain_text("Hiện không có câu hỏi nào chưa được trả lời.")
    expect(page.locator("#nav-unanswered")).to_be_hidden()


def test_export_and_import_files(page, server, admin, tmp_path):
    page.click('.tabs a[data-tab="transfer"]')
    with page.expect_download() as csv_download:
        page.click("#export-csv")
    content = Path(csv_download.value.path()).read_bytes()
    assert csv_download.value.suggested_filename.endswith(".csv") and content.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[:4] == ["id", "question", "alternatives", "answer"]

    with page.expect_download() as xlsx_download:
        page.click("#export-xlsx")
    path = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(path)
    book = load_workbook(path)
    sheet = book.active
    for cells in sheet.iter_rows(min_row=2):
        if cells[0].value == "kiem-dinh-cong-to":
            cells[3].value = "Dạ, phí kiểm định công tơ do Quý khách trả nếu công tơ chạy đúng ạ."
    book.save(path)
    before = len(httpx.get(f"{server}/api/kb/entries/kiem-dinh-cong-to/history", headers=admin).json())

    page.set_input_files("#import-file", str(path))
    expect(page.locator("#import-file-name")).to_contain_text(path.name)
    page.click("#import-check")
    expect(page.locator("#import-result")).to_contain_text("Tệp hợp lệ")
    expect(page.locator("#import-result")).to_contain_text("0 mục mới, 1 mục cập nhật")
    page.click("#import-submit")
    confirm(page, "Nhập dữ liệu")
    expect(page.locator("#import-result")).to_contain_text("Đã nhập xong")
    expect(page.locator("#import-result")).to_contain_text("1 mục cập nhật")
    history = httpx.get(f"{server}/api/kb/entries/kiem-dinh-cong-to/history", headers=admin).json()
    assert len(history) == before + 1 and history[0]["snapshot"]["answer"].startswith("Dạ, phí kiểm định công tơ")

    bad = tmp_path / "loi.csv"
    bad.write_text("id,question,answer\nmuc-moi,Câu hỏi mới?,\n", encoding="utf-8-sig")
    page.set_input_files("#import-file", str(bad))
    page.click("#import-submit")
    confirm(page, "Nhập dữ liệu")
    result = page.locator("#import-result")
    expect(result).to_contain_text("chưa có dữ liệu nào được nhập")
    expect(result.locator("tbody tr")).to_have_count(1)
    expect(result.locator("tbody tr")).to_contain_text("2")
    expect(result.locator("tbody tr")).to_contain_text("Câu trả lời (answer)")
    expect(result.locator("tbody tr")).to_contain_text("không được để trống")

    page.set_input_files("#import-file", {"name": "anh.png", "mimeType": "image/png", "buffer": b"\x89PNG\x00\x00"})
    page.click("#import-check")
    expect(result).to_contain_text("Chỉ nhận tệp .csv hoặc .xlsx")

    page.set_input_files("#import-file", {"name": "trieu-o.xlsx", "mimeType": "application/octet-stream",
                                          "buffer": xlsx_craft.million_cells()})
    page.click("#import-check")
    expect(result).to_contain_text("Tệp Excel có cấu trúc bất thường nên không được nhận.")
    page.set_input_files("#import-file", {"name": "cot-xa.xlsx", "mimeType": "application/octet-stream",
                                          "buffer": xlsx_craft.far_cells()})
    page.click("#import-check")  # refused by its job, polled
    expect(result).to_contain_text("Tệp có quá 100.000 ô dữ liệu.")


def test_a_reload_keeps_the_session(page, server):
    page.reload()
    expect(page.locator("#view-transfer")).to_be_visible()  # where it was
    expect(page.locator("#user-name")).to_have_text("admin")
    page.click('.tabs a[data-tab="entries"]')
    row(page, "kiem-dinh-cong-to").get_by_role("button", name="Gỡ xuất bản").click()  # a write: the CSRF token
    confirm(page, "Gỡ xuất bản")                                                       # came back with /me
    expect(row(page, "kiem-dinh-cong-to")).to_contain_text("Bản nháp")
    row(page, "kiem-dinh-cong-to").get_by_role("button", name="Xuất bản", exact=True).click()
    confirm(page, "Xuất bản")
    expect(row(page, "kiem-dinh-cong-to")).to_contain_text("Đã xuất bản")


def test_another_site_cannot_act_with_the_session_cookie(page, server, admin, workdir, other_site):
    """Cross-site requests forged from a page on another port of 127.0.0.1, the admin signed in: the cookie
    goes with them (same site), and every state change is refused by the CSRF checks (403), not by a 401."""
    before = httpx.get(f"{server}/api/kb/entries/kiem-dinh-cong-to", headers=admin).json()
    evil = page.context.new_page()
    evil.goto(f"{other_site}/")
    sent = evil.evaluate("""async (base) => {
        const tries = [
          ["POST", "/api/kb/entries/kiem-dinh-cong-to/unpublish", {}],
          ["POST", "/api/auth/logout", {}],
          ["POST", "/api/kb/entries/kiem-dinh-cong-to/unpublish", {headers: {"X-CSRF-Token": "doan-bua"}}],
        ];
        const out = [];
        for (const [method, path, extra] of tries) {
          try {
            const answer = await fetch(base + path, {method, mode: "no-cors", credentials: "include", ...extra});
            out.push(answer.type);
          } catch (error) { out.push("refused: " + error); }
        }
        return out;
    }""", server)
    assert sent[:2] == ["opaque", "opaque"]  # sent (the answers are not readable by the other site)
    evil.set_content(f'<form method="post" action="{server}/api/kb/entries/kiem-dinh-cong-to/unpublish"></form>')
    with evil.expect_navigation():
        evil.evaluate("document.forms[0].submit()")
    assert '"csrf_failed"' in evil.content()
    evil.close()

    log = access_log(workdir, server)
    assert log.count('"POST /api/kb/entries/kiem-dinh-cong-to/unpublish HTTP/1.1" 403') >= 2
    assert '"POST /api/auth/logout HTTP/1.1" 403' in log
    assert httpx.get(f"{server}/api/kb/entries/kiem-dinh-cong-to", headers=admin).json() == before  # unchanged
    assert httpx.get(f"{server}/api/auth/me", headers=with_cookie(session_cookie(page))).status_code == 200
    page.click('.tabs a[data-tab="entries"]')  # still signed in
    expect(page.locator("#app-view")).to_be_visible()
    expect(row(page, "kiem-dinh-cong-to")).to_contain_text("Đã xuất bản")


def test_sign_out_and_an_expired_session_return_to_sign_in(page, server):
    cookie = session_cookie(page)
    page.click("#logout")
    expect(page.locator("#login-view")).to_be_visible()
    expect(page.locator("#login-info")).to_have_text("Bạn đã đăng xuất.")
    assert session_cookie(page) is None
    assert httpx.get(f"{server}/api/auth/me", headers=with_cookie(cookie)).status_code == 401

    # Signed in, the page lists the entries, its last call: once it is answered no call is under way
    # (one would get the 401 before the click below, and the tab would be gone).
    with page.expect_response(lambda answer: "/api/kb/entries?" in answer.url):
        sign_in(page)
    expect(page.locator("#app-view")).to_be_visible()
    cookie = session_cookie(page)
    csrf = httpx.get(f"{server}/api/auth/me", headers=with_cookie(cookie)).json()["csrf_token"]
    ended = httpx.post(f"{server}/api/auth/logout", headers={**with_cookie(cookie), "X-CSRF-Token": csrf})
    assert ended.status_code == 204  # the session ends elsewhere
    page.click('.tabs a[data-tab="unanswered"]')  # the next call gets a 401
    expect(page.locator("#login-view")).to_be_visible()
    expect(page.locator("#login-info")).to_have_text("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.")


def test_the_shared_library_chooses_its_words_by_code(page):
    """/kit/js/errors.js, the texts the web-chat widget and the staff console will use too."""
    texts = page.evaluate("""async () => {
        const { ApiError } = await import("/kit/js/api.js");
        const { describe, fieldText } = await import("/kit/js/errors.js");
        const { signInErrorText } = await import("/kit/js/auth.js");
        const error = (status, code, fields = [], retryAfter = 0) => new ApiError(status, code, "ignored English",
                                                                                  null, fields, retryAfter);
        return {
          network: describe(new Error("offline")),
          csrf: describe(error(403, "csrf_failed")),
          disabled: signInErrorText(error(403, "account_disabled")),
          backoff: signInErrorText(error(429, "too_many_attempts", [], 125)),
          field: describe(error(422, "validation_error", [{field: "content", code: "too_long", params: {max_length: 4000}},
                                                          {field: "phone", code: "invalid_phone", params: {}}]),
                          {fieldLabels: {content: "Nội dung", phone: "Số điện thoại"}}),
          unknownCode: describe(error(418, "something_new")),
          choice: fieldText({field: "status", code: "not_allowed", params: {allowed: ["draft", "published"]}},
                            {valueLabels: {draft: "Bản nháp"}}),
        };
    }""")
    assert texts == {
        "network": "Không kết nối được máy chủ. Vui lòng kiểm tra kết nối mạng và thử lại.",
        "csrf": "Phiên làm việc của trang không còn hợp lệ. Vui lòng tải lại trang rồi thử lại.",
        "disabled": "Tài khoản của bạn đã bị khóa. Vui lòng liên hệ quản trị viên hệ thống nếu bạn cần được mở lại.",
        "backoff": "Đăng nhập sai quá nhiều lần từ máy này. Vui lòng thử lại sau 3 phút.",
        "field": "Dữ liệu chưa hợp lệ. Nội dung: dài quá 4.000 ký tự; "
                 "Số điện thoại: phải là số điện thoại di động Việt Nam gồm 10 chữ số.",
        "unknownCode": "Máy chủ đang gặp sự cố. Vui lòng thử lại sau ít phút.",
        "choice": "phải là “draft” (bản nháp) hoặc “published”",
    }


def test_no_javascript_errors(page_errors):
    assert page_errors == []
