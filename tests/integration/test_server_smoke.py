"""Starts the whole stack (scripts/stack.py, as `make run` does) on free loopback ports and talks to it over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "assistant.tar.gz"
TOKEN = "smoke-test-token"
STARTUP_TIMEOUT = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it)")
    rasa_port, action_port, backoffice_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTION_SERVER_PORT": str(action_port),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
        "RASA_AUTH_TOKEN": TOKEN,
        "BACKOFFICE_PORT": str(backoffice_port),
        "BACKOFFICE_URL": f"http://127.0.0.1:{backoffice_port}",
        "BACKOFFICE_API_KEY": "smoke-test-key",
        "BACKOFFICE_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'backoffice.db'}",
        "STACK_LOG_DIR": str(tmp_path_factory.mktemp("logs")),
    }
    output = tmp_path_factory.mktemp("stack") / "stack.out"
    process = subprocess.Popen(
        [sys.executable, "scripts/stack.py", "--timeout", str(STARTUP_TIMEOUT)],
        cwd=ROOT, env=env, stdout=output.open("wb"), stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT + 10
    while "the assistant is ready" not in output.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            logs = "".join(p.read_text(errors="replace")[-2000:] for p in Path(env["STACK_LOG_DIR"]).glob("*.log"))
            pytest.fail(f"stack did not start:\n{output.read_text(errors='replace')}\n{logs}")
        time.sleep(1)
    yield f"http://127.0.0.1:{rasa_port}"
    process.send_signal(signal.SIGINT)  # what Ctrl-C on `make run` sends
    try:
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    stopped = output.read_text(errors="replace")
    assert all(f"stopped {name}" in stopped for name in ("rasa", "actions", "backoffice"))
    for port in (rasa_port, action_port, backoffice_port):
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)


def say(base_url: str, sender: str, message: str):
    response = requests.post(
        f"{base_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def new_sender() -> str:
    return f"smoke-{uuid.uuid4().hex[:8]}"


def test_vietnamese_greeting_gets_a_vietnamese_reply(stack):
    replies = say(stack, new_sender(), "xin chào")
    text = " ".join(r.get("text", "") for r in replies)
    assert "Dạ" in text and ("Quý khách" in text or "anh/chị" in text)


def test_unaccented_teencode_question_starts_verification(stack):
    replies = say(stack, new_sender(), "tien dien thang nay nha e bn vay")
    assert "mã khách hàng" in replies[0]["text"]


def test_parse_api_needs_the_token_and_extracts_identifiers(stack):
    message = {"text": "mã của tôi pe 0100 0123456, sđt +84 903 123 456"}
    assert requests.post(f"{stack}/model/parse", json=message, timeout=30).status_code == 401
    parsed = requests.post(f"{stack}/model/parse", params={"token": TOKEN}, json=message, timeout=30).json()
    values = {e["entity"]: e["value"] for e in parsed["entities"]}
    assert values["customer_code"] == "PE01000123456"
    assert values["phone"] == "0903123456"


def test_two_stage_fallback_suggests_then_offers_a_staff_member(stack):
    sender = new_sender()
    first = say(stack, sender, "/nlu_fallback")
    assert first and first[0]["text"].startswith("Dạ, em chưa chắc")
    payloads = [b["payload"] for b in first[0]["buttons"]]
    assert "/out_of_scope" in payloads and len(payloads) >= 2

    second = say(stack, sender, "/nlu_fallback")
    assert "nhân viên" in second[0]["text"]
    assert "/request_human" in [b["payload"] for b in second[0]["buttons"]]


def test_a_suggestion_tap_continues_the_conversation(stack):
    sender = new_sender()
    say(stack, sender, "/nlu_fallback")
    replies = say(stack, sender, "/calculate_bill")
    assert "kWh" in replies[0]["text"]


@pytest.mark.parametrize("message", ["", "   ", "👍", "???", "x" * 5000, "Trung Quốc 中国 điện"])
def test_bad_input_gets_an_answer_not_an_error(stack, message):
    say(stack, new_sender(), message)


def texts_of(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_bill_after_verification_with_the_demo_customer(stack):
    sender = new_sender()
    assert "mã khách hàng" in texts_of(say(stack, sender, "cho em xem tiền điện tháng này"))
    assert "4 số cuối" in texts_of(say(stack, sender, "PE01000123456"))
    bill = texts_of(say(stack, sender, "3456"))
    assert "xác minh thành công" in bill
    assert "hóa đơn tiền điện tháng" in bill and "PE01000123456" in bill and "Tổng cộng" in bill
    assert "0903123456" not in bill and "Lê Lợi" not in bill  # never the full phone or address
    # The verified code is remembered: no second verification.
    assert "còn nợ" in texts_of(say(stack, sender, "tôi còn nợ bao nhiêu"))


def test_three_failed_verifications_stop_and_offer_staff(stack):
    sender = new_sender()
    say(stack, sender, "tra tiền điện mã PE01000123456")
    assert "còn 2 lần" in texts_of(say(stack, sender, "1111"))
    assert "còn 1 lần" in texts_of(say(stack, sender, "2222"))
    locked = say(stack, sender, "3333")
    assert "tạm dừng xác minh" in texts_of(locked)
    assert "tạm dừng xác minh" in texts_of(say(stack, sender, "xem tiền điện tháng 10"))


def test_bill_calculation_for_150_kwh(stack):
    assert "346.356 đ" in texts_of(say(stack, new_sender(), "dùng 150 kWh thì hết bao nhiêu tiền"))


def test_a_smoking_meter_gets_safety_advice_then_a_ticket(stack):
    sender = new_sender()
    first = texts_of(say(stack, sender, "công tơ nhà tôi đang bốc khói"))
    assert "KHÔNG lại gần" in first
    ticket = texts_of(say(stack, sender, "12 Nguyễn Huệ, phường Bến Nghé, quận 1"))
    assert "SC" in ticket
