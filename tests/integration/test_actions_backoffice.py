"""The actions against the real back-office sandbox on a loopback port (real HTTP, real SQLite)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any, Dict, Optional

import pytest
import requests
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.billing import ActionAnswerVerifiedRequest, ActionAskTariff, ActionCalculateBill, ActionPaymentMethods
from actions.followups import ActionFollowUp
from actions.services import (
    ActionCheckOutageSchedule,
    ActionCheckRequestStatus,
    ActionAskComplaintConfirmed,
    ActionSubmitComplaint,
    ActionSubmitNewConnection,
    ActionStartOutageReport,
    ActionSubmitOutageReport,
)
from actions import attempts, clock, identity
from actions.forms import check_identity
from actions.settings import settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from isolated_stack import StackFailed, free_port, start_service, start_webapp, stop_service  # noqa: E402

APP_PYTHON = ROOT / ".venv" / "bin" / "python"
API_KEY = "action-tests-key"
DEMO = "PE01000123456"
OVERDUE_DEMO = "PE05000234567"


@pytest.fixture(autouse=True)
def fresh_settings():
    """The actions read their settings once: the fixtures below change the environment."""
    settings.cache_clear()
    yield
    settings.cache_clear()


@pytest.fixture(scope="module")
def backoffice(tmp_path_factory):
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BACKOFFICE_HOST": "127.0.0.1",
        "BACKOFFICE_PORT": str(port),
        "BACKOFFICE_API_KEY": API_KEY,
        "BACKOFFICE_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'backoffice.db'}",
    }
    url = f"http://127.0.0.1:{port}"
    try:
        process = start_service([str(APP_PYTHON), "-m", "backoffice"], env, f"{url}/health",
                                tmp_path_factory.mktemp("log") / "backoffice.log")
    except StackFailed as error:
        pytest.fail(str(error))
    previous = {k: os.environ.get(k) for k in ("BACKOFFICE_URL", "BACKOFFICE_API_KEY", "BACKOFFICE_TIMEOUT")}
    os.environ.update({"BACKOFFICE_URL": url, "BACKOFFICE_API_KEY": API_KEY, "BACKOFFICE_TIMEOUT": "5"})
    yield url
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    stop_service(process)


def tracker(slots: Optional[Dict[str, Any]] = None, text: str = "", intent: str = "inform",
            sender: str = "test") -> Tracker:
    return Tracker(
        sender, {**(slots or {}), "requested_slot": None},
        {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []},
        [], False, None, {}, "action_listen",
    )


def run(action, slots=None, text="", intent="inform", sender="test"):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(slots, text, intent, sender), {}))
    return dispatcher.messages, events


def said(messages) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in messages)


def verified(code: str, sender: str = "test") -> Dict[str, Any]:
    """The slots of a conversation verified for ``code``, with the proof the verification issues."""
    proof = identity.issue(settings().verification_proof_key, sender, code, clock.now(), 30)
    return {"customer_code": code, "verified_customer_code": code, "verification_proof": proof}


def test_nothing_is_shown_without_verification(backoffice):
    messages, events = run(ActionAnswerVerifiedRequest(), {"customer_code": DEMO}, intent="check_bill")
    assert messages == [] and events == []
    forged = {"customer_code": DEMO, "verified_customer_code": DEMO, "verification_proof": "v1.9999999999.00"}
    messages, events = run(ActionAnswerVerifiedRequest(), forged, intent="check_bill")
    assert messages == [] and events == []
    for _ in range(3):
        attempts.limits()["conversation"].failed("test-locked")
    messages, _ = run(ActionAnswerVerifiedRequest(), {"customer_code": DEMO}, intent="check_bill", sender="test-locked")
    assert messages[0]["response"] == "utter_verification_locked" and messages[0]["minutes"] >= 1


def test_a_verified_code_does_not_cover_another_code(backoffice):
    slots = {**verified(DEMO), "customer_code": OVERDUE_DEMO}
    messages, _ = run(ActionAnswerVerifiedRequest(), slots, intent="check_bill")
    assert messages == []


def test_verification_with_the_right_and_wrong_digits(backoffice):
    dispatcher = CollectingDispatcher()
    ok = asyncio.run(check_identity(dispatcher, tracker({"customer_code": DEMO}), DEMO, "3456"))
    assert ok["verified_customer_code"] == DEMO and dispatcher.messages[0]["response"] == "utter_verified"
    assert identity.proven_code(settings().verification_proof_key, ok["verification_proof"], "test", DEMO, clock.now())
    wrong = asyncio.run(check_identity(CollectingDispatcher(), tracker({"customer_code": DEMO}, sender="test-wrong"),
                                       DEMO, "0000"))
    assert wrong["verification_failures"] == 1 and "verified_customer_code" not in wrong


def test_an_unknown_code_is_answered_like_wrong_digits(backoffice):
    """Nobody learns from the chat which customer codes exist."""
    unknown, wrong = CollectingDispatcher(), CollectingDispatcher()
    first = asyncio.run(check_identity(unknown, tracker({"customer_code": "PE09999999999"}, sender="enum-1"),
                                       "PE09999999999", "3456"))
    second = asyncio.run(check_identity(wrong, tracker({"customer_code": DEMO}, sender="enum-2"), DEMO, "0000"))
    assert first == second and unknown.messages == wrong.messages


def test_latest_bill_matches_the_tariff(backoffice):
    messages, _ = run(ActionAnswerVerifiedRequest(), verified(DEMO), "tiền điện tháng này", "check_bill")
    text = said(messages)
    bill = requests.get(f"{backoffice}/v1/customers/{DEMO}/bills", params={"limit": 1},
                        headers={"X-API-Key": API_KEY}, timeout=5).json()["bills"][0]
    from tariff import format_vnd
    assert format_vnd(bill["total"]) in text and "Chưa thanh toán" in text


def test_recent_bills_summary(backoffice):
    messages, _ = run(ActionAnswerVerifiedRequest(), {**verified(DEMO), "month": "3 tháng gần đây"}, intent="check_bill")
    assert said(messages).count("\n- tháng") == 3


def test_overdue_customer_is_told_what_happens_next(backoffice):
    messages, _ = run(ActionAnswerVerifiedRequest(), verified(OVERDUE_DEMO), intent="check_payment_status")
    text = said(messages)
    assert "còn nợ" in text and "quá hạn" in text and "tạm ngừng cấp điện" in text


def test_meter_readings(backoffice):
    messages, _ = run(ActionAnswerVerifiedRequest(), verified(DEMO), intent="check_meter_reading")
    assert "chỉ số cũ" in said(messages)


def test_calculate_bill_needs_no_back_office():
    messages, _ = run(ActionCalculateBill(), text="150 số thì bao nhiêu tiền")
    assert "346.356 đ" in said(messages)
    messages, _ = run(ActionCalculateBill(), text="-5 kwh")
    assert said(messages) in ("utter_invalid_kwh", "utter_ask_kwh")


def test_a_calculation_is_changed_one_value_at_a_time():
    """The last calculation's kWh, households and price stay until the customer changes them (pinned 2026-11-24)."""
    _, events = run(ActionCalculateBill(), text="xai 350 so thi het bao nhieu")
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots == {"topic": "calculator", "kwh": "350", "households": 1, "calc_group": "residential"}
    messages, events = run(ActionCalculateBill(), slots, text="nha co 2 ho dung chung 1 cong to thi sao")
    assert "821.232 đ" in said(messages)  # 350 kWh on a quota of 2 households
    slots = {**slots, "households": 2}
    messages, _ = run(ActionCalculateBill(), slots, text="vay tinh VAT chua?")
    assert "60.832 đ" in said(messages) and "760.400 đ" in said(messages)  # the VAT of that bill, and before it
    messages, _ = run(ActionAskTariff(), {**slots, "kwh": "500"}, text="neu la dien san xuat thi sao", intent="ask_tariff")
    assert "1.055.700 đ" in said(messages)
    messages, _ = run(ActionCalculateBill(), slots, text="neu xai cong to tra truoc thi 1000 so het bn")
    assert "3.141.720 đ" in said(messages)
    messages, _ = run(ActionCalculateBill(), slots, text="con neu thang 1 nam sau xai 350 so (1 ho) thi sao")
    assert "997.700 đ" in said(messages) and "10%" in said(messages)


def test_questions_about_the_bill_on_screen(backoffice):
    """After a verified bill, its due date, how it was paid, its VAT and the busiest month come from the back office."""
    from tariff import format_vnd
    latest, previous = requests.get(f"{backoffice}/v1/customers/{DEMO}/bills", params={"limit": 2},
                                    headers={"X-API-Key": API_KEY}, timeout=5).json()["bills"]
    shown = {**verified(DEMO), "topic": "bill", "period": latest["period"]}
    messages, _ = run(ActionFollowUp(), shown, text="han chot dong la ngay nao vay con", intent="faq")
    due = latest["due_date"][:10].split("-")
    assert f"{due[2]}/{due[1]}/{due[0]}" in said(messages) and "chưa thanh toán" in said(messages)
    messages, _ = run(ActionPaymentMethods(), {**shown, "period": previous["period"]}, text="tra qua cai gi vay",
                      intent="payment_methods")
    assert "đã được thanh toán" in said(messages)
    messages, _ = run(ActionFollowUp(), shown, text="vay da tinh thue VAT chua chau", intent="faq")
    assert format_vnd(latest["vat"]) in said(messages) and format_vnd(latest["subtotal"]) in said(messages)
    messages, _ = run(ActionFollowUp(), {**shown, "shown_count": 3}, text="thang nao xai nhieu nhat", intent="faq")
    assert "nhiều nhất" in said(messages) and "kWh" in said(messages)
    untouched, _ = run(ActionPaymentMethods(), {"topic": "bill", "period": "2026-11"}, text="tra qua cai gi vay")
    assert untouched[0]["response"] == "utter_payment_methods"  # not verified: nothing about the account


def test_questions_about_the_outages_just_listed(backoffice):
    _, events = run(ActionCheckOutageSchedule(), {"location": "Sơn Trà, Đà Nẵng"})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["shown_outages"] and slots["topic"] == "outage_schedule"
    messages, _ = run(ActionFollowUp(), slots, text="ly do gi vay", intent="complaint")
    assert "lý do" in said(messages).lower()
    messages, _ = run(ActionCheckOutageSchedule(), slots, text="may gio thi co dien lai", intent="check_outage_schedule")
    assert "dự kiến có điện trở lại lúc" in said(messages)


def test_a_report_of_power_out_now_is_not_answered_from_the_schedule_just_shown():
    shown = {"topic": "outage_schedule",
             "shown_outages": [{"what": "Phường X", "reason": "Thay máy biến áp", "end": "16:00 ngày 26/11/2026"}]}
    messages, events = run(ActionStartOutageReport(), shown, text="nha toi dang mat dien, bao gio co dien lai",
                           intent="report_outage")
    assert messages == [] and {"event": "slot", "name": "topic", "value": "outage_report", "timestamp": None} in events
    messages, events = run(ActionStartOutageReport(), shown, text="vay bao gio co dien lai?", intent="report_outage")
    assert "16:00 ngày 26/11/2026" in said(messages)  # about the outage just listed: no report


def test_outage_schedule_by_customer_and_by_area(backoffice):
    messages, _ = run(ActionCheckOutageSchedule(), verified("PD01000345678"))
    assert "Dịch Vọng" in said(messages)
    messages, _ = run(ActionCheckOutageSchedule(), {"customer_code": "PD01000345678"})  # not verified: no address
    assert "Thay máy biến áp" in said(messages) and "Dịch Vọng" not in said(messages)
    messages, _ = run(ActionCheckOutageSchedule(), {"location": "Sơn Trà, Đà Nẵng xyz không có"})
    assert said(messages).startswith("Dạ,")


def test_outage_report_during_a_planned_outage(backoffice):
    messages, _ = run(ActionSubmitOutageReport(), {"outage_place": "PB01000567890", "outage_description": "mất điện"})
    assert messages[0]["response"] == "utter_outage_is_planned"
    assert "ticket" not in messages[0]  # the planned outage explains it: no repair ticket


def test_outage_report_creates_a_ticket(backoffice):
    messages, _ = run(ActionSubmitOutageReport(), {"outage_place": "15 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội",
                                                   "outage_description": "mất điện cả nhà", "outage_hazard": False})
    assert "mã sự cố SC" in said(messages)


def test_new_connection_request_and_its_progress(backoffice):
    slots = {"person_name": "Hoàng Thị Mai", "phone": "0977123456", "connection_address": "45 Nguyễn Trãi, Thanh Xuân, Hà Nội",
             "connection_purpose": "sinh hoạt", "phases": "1", "connection_confirmed": True}
    messages, _ = run(ActionSubmitNewConnection(), slots)
    code = messages[0]["code"]
    assert code.startswith("YC")
    messages, _ = run(ActionCheckRequestStatus(), {"request_code": code})  # the code alone proves nothing
    assert messages[0]["response"] == "utter_ask_request_phone_last4"
    messages, _ = run(ActionCheckRequestStatus(), {"request_code": code}, text="3456")
    assert code in said(messages)
    messages, _ = run(ActionCheckRequestStatus(), {"phone": "0977123456"})
    assert code in said(messages)


def test_request_status_of_the_demo_request(backoffice):
    messages, _ = run(ActionCheckRequestStatus(), {"request_code": "yc2026000001"}, text="7888")
    assert "khảo sát" in said(messages).lower()
    wrong, _ = run(ActionCheckRequestStatus(), {"request_code": "yc2026000001"}, text="1234")
    unknown, _ = run(ActionCheckRequestStatus(), {"request_code": "YC2099999999"}, text="7888")
    assert wrong[0]["response"] == unknown[0]["response"] == "utter_unknown_request_code"


def test_a_corrected_request_code_is_tried_with_the_digits_just_given(backoffice):
    _, events = run(ActionCheckRequestStatus(), {"request_code": "YC2026099999"}, text="7888", sender="corrected")
    tried = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert tried["request_digits_tried"] == "7888" and tried["request_code"] == "YC2026099999"
    messages, events = run(ActionCheckRequestStatus(), {"request_digits_tried": "7888"},
                           text="à nhầm, yc2026000001", sender="corrected")
    assert "khảo sát" in said(messages).lower()
    assert {"event": "slot", "name": "request_digits_tried", "value": None, "timestamp": None} in events
    asked, _ = run(ActionCheckRequestStatus(), {}, text="yc2026000001", sender="corrected")  # nothing tried: ask
    assert asked[0]["response"] == "utter_ask_request_phone_last4"


def test_the_complaint_is_read_back_with_its_contact():
    messages, _ = run(ActionAskComplaintConfirmed(), {"complaint_content": "Gọi tổng đài 3 lần không ai nghe " * 20,
                                                      "phone": "0397246810"})
    text = said(messages)
    assert "số điện thoại 0397246810" in text and "…" in text and len(text) < 600
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/cancel"]


def test_when_a_request_just_filed_is_done():
    last = {"kind": "new_connection", "code": "YC2026123456", "days": 5, "by": "2026-12-01"}
    messages, _ = run(ActionFollowUp(), {"topic": "new_connection", "last_request": last},
                      text="bao lau thi co nguoi xuong khao sat", intent="faq")
    assert "5 ngày làm việc" in said(messages) and "01/12/2026" in said(messages) and "khảo sát" in said(messages)


def test_complaint_ticket(backoffice):
    messages, _ = run(ActionSubmitComplaint(), {**verified(DEMO), "complaint_content": "Tiền điện tháng này tăng gấp đôi vô lý"})
    assert messages[0]["response"] == "utter_complaint_created" and messages[0]["code"].startswith("KN")


def test_back_office_down_gives_a_polite_apology(monkeypatch):
    monkeypatch.setenv("BACKOFFICE_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    monkeypatch.setenv("BACKOFFICE_TIMEOUT", "1")
    settings.cache_clear()
    messages, events = run(ActionAnswerVerifiedRequest(), verified(DEMO), intent="check_bill")
    assert [m["response"] for m in messages] == ["utter_backoffice_down"] and events == []


FAQ_ADMIN_PASSWORD = "faq-action-test"
KB_LOG_TOKEN = "faq-action-test-log-token"
SEED_ENTRIES = ROOT / "knowledge_base" / "seed" / "entries.yml"


@pytest.fixture(scope="module")
def webapp(tmp_path_factory):
    """The web app (knowledge base with the seed entries) on a loopback port, its URL given to the actions."""
    tmp = tmp_path_factory.mktemp("webapp")
    try:
        process, url = start_webapp(tmp, SEED_ENTRIES, FAQ_ADMIN_PASSWORD, python=str(APP_PYTHON),
                                    extra_env={"KB_LOG_TOKEN": KB_LOG_TOKEN})
    except StackFailed as error:
        pytest.fail(str(error))
    previous = {k: os.environ.get(k) for k in ("WEBAPP_URL", "KB_LOG_TOKEN")}
    os.environ.update({"WEBAPP_URL": url, "KB_LOG_TOKEN": KB_LOG_TOKEN})
    yield url
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    stop_service(process)


def faq_tracker(text: str, intent: str = "faq", confidence: float = 0.9) -> Tracker:
    return Tracker("t", {}, {"text": text, "intent": {"name": intent, "confidence": confidence},
                             "intent_ranking": [{"name": intent, "confidence": confidence}]},
                   [], False, None, {}, "action_listen")


def test_unsure_nlu_still_answers_from_the_knowledge_base(webapp):
    """The fallback's first stage asks the knowledge base (a real web app on loopback) before suggesting."""
    from actions.fallback import ActionAskAffirmation

    dispatcher = CollectingDispatcher()
    unsure = faq_tracker("tổng đài chăm sóc khách hàng của điện lực hà nội số mấy", "nlu_fallback", 0.4)
    asyncio.run(ActionAskAffirmation().run(dispatcher, unsure, {}))
    assert "1900 1288" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[-1]["buttons"]


def test_a_policy_question_gets_the_answer_with_its_source(webapp):
    from actions.knowledge import ActionAnswerFaq

    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerFaq().run(dispatcher, faq_tracker("cat dien theo ke hoach thi phai bao truoc may ngay"), {}))
    assert "05 ngày" in dispatcher.messages[0]["text"] and "Nguồn:" in dispatcher.messages[0]["text"]


def test_a_question_no_entry_answers_offers_a_staff_member_and_is_logged_for_the_admins(webapp):
    from actions.knowledge import ActionAnswerFaq

    question = "tối nay đội tuyển bóng đá Việt Nam đá với đội nào vậy"
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerFaq().run(dispatcher, faq_tracker(question), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq_not_found"]
    token = requests.post(f"{webapp}/api/auth/login", json={"username": "admin", "password": FAQ_ADMIN_PASSWORD},
                          timeout=10).json()["token"]
    logged = requests.get(f"{webapp}/api/kb/unanswered", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    assert question in [row["text"] for row in logged]
