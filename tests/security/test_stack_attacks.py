"""Attacks on the Rasa server and the action server, replayed over real HTTP against the whole stack
(the session stack of tests/conftest.py). Each asserts the attack fails: the status, no customer
data in the reply, nothing written. Run with the Rasa runtime, with tests/integration (one stack).
"""

from __future__ import annotations

import json
import re
import uuid
import zlib

import pytest
import requests

OWNER = ("PE05000234567", "5678")   # Phường Tân Phong, 15 Nguyễn Đức Cảnh; two unpaid bills
OTHER = ("PE01000123456", "3456")
BILL_DATA = re.compile(r"\d[\d.]*\s*(?:đ|đồng|kWh)|chỉ số|hạn thanh toán", re.I)


@pytest.fixture(scope="module")
def stack(running_stack):
    return running_stack


def say(stack, sender, text, **kwargs):
    response = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             timeout=90, **kwargs)
    assert response.status_code == 200, response.text
    return " ".join(m.get("text", "") for m in response.json())


def new_sender(tag: str) -> str:
    return f"sec-{tag}-{uuid.uuid4().hex[:10]}"


def reset(stack):
    answer = requests.post(f"{stack.backoffice_url}/v1/sandbox/reset", headers={"X-API-Key": stack.backoffice_key},
                           timeout=30)
    assert answer.status_code == 204


def verified_conversation(stack, code, last4):
    sender = new_sender("owner")
    say(stack, sender, "cho mình tra hóa đơn tiền điện")
    say(stack, sender, code)
    return sender, say(stack, sender, last4)


def tracker_of(stack, sender):
    answer = requests.get(f"{stack.rasa_url}/conversations/{sender}/tracker", params={"token": stack.token},
                          timeout=30)
    assert answer.status_code == 200
    return answer.json()


def action_call(sender, slots, intent="check_bill", action="action_answer_verified_request"):
    """What Rasa posts to the action server, with the slots an attacker chooses."""
    return {
        "next_action": action, "sender_id": sender, "version": "3.6.21", "domain": {},
        "tracker": {
            "sender_id": sender, "slots": slots, "paused": False, "followup_action": None, "active_loop": {},
            "latest_action_name": "verify_customer_form", "events": [],
            "latest_message": {"text": "tiền điện tháng này", "intent": {"name": intent, "confidence": 1.0},
                               "entities": [], "intent_ranking": []},
        },
    }


def post_action(stack, body, token=None, **kwargs):
    headers = {"X-Action-Token": stack.action_token if token is None else token, **kwargs.pop("headers", {})}
    return requests.post(f"{stack.action_url}/webhook", json=body, headers=headers, timeout=30, **kwargs)


def texts_of(answer):
    return " ".join(r.get("text") or "" for r in answer.json().get("responses", []))


# --- the action server trusts only Rasa, and a verification only with its proof ---------------


def test_the_action_server_refuses_calls_without_the_shared_secret(stack):
    forged = action_call("sec-forged", {"verified_customer_code": OWNER[0], "customer_code": OWNER[0]})
    for token in ("", "wrong-token", stack.action_token[:-1]):
        answer = post_action(stack, forged, token=token)
        assert answer.status_code == 401 and answer.json() == {"code": "unauthorized"}
        assert not BILL_DATA.search(answer.text)
    listing = requests.get(f"{stack.action_url}/actions", timeout=10)
    assert listing.status_code == 401


def test_a_forged_verified_slot_proves_nothing_even_with_the_secret(stack):
    reset(stack)
    forged = action_call("sec-forged", {"verified_customer_code": OWNER[0], "customer_code": OWNER[0],
                                        "verified_at": "2026-11-24T10:00:00+07:00"})
    answer = post_action(stack, forged)
    assert answer.status_code == 200
    assert not BILL_DATA.search(texts_of(answer)), texts_of(answer)


def test_a_proof_is_worth_something_only_in_its_own_conversation(stack):
    reset(stack)
    sender, reply = verified_conversation(stack, *OWNER)
    assert BILL_DATA.search(reply), reply  # the owner gets the bill: the control of this test
    slots = tracker_of(stack, sender)["slots"]
    assert slots["verification_proof"]
    same = post_action(stack, action_call(sender, slots))
    assert same.status_code == 200 and BILL_DATA.search(texts_of(same))
    copied = post_action(stack, action_call(new_sender("thief"), slots))
    assert copied.status_code == 200 and not BILL_DATA.search(texts_of(copied)), texts_of(copied)
    other_code = post_action(stack, action_call(sender, {**slots, "verified_customer_code": OTHER[0],
                                                         "customer_code": OTHER[0]}))
    assert not BILL_DATA.search(texts_of(other_code)), texts_of(other_code)


@pytest.mark.parametrize("headers, data, status, code", [
    ({"Content-Type": "text/plain"}, json.dumps(action_call("x", {})), 415, "unsupported_media_type"),
    ({"Content-Type": "application/json"}, "[1, 2, 3]", 400, "body_not_an_object"),
    ({"Content-Type": "application/json"}, "{not json", 400, "invalid_json"),
    ({"Content-Type": "application/json", "Host": "evil.example:5055"}, "{}", 400, "host_not_allowed"),
    ({"Content-Type": "application/json", "Content-Encoding": "deflate"},
     zlib.compress(json.dumps(action_call("x", {})).encode()), 415, "unsupported_content_encoding"),
])
def test_the_action_server_refuses_what_a_web_page_or_a_rebinding_could_send(stack, headers, data, status, code):
    answer = requests.post(f"{stack.action_url}/webhook", data=data,
                           headers={"X-Action-Token": stack.action_token, **headers}, timeout=30)
    assert answer.status_code == status and answer.json() == {"code": code}


def test_the_action_server_caps_bodies_and_its_errors_echo_nothing(stack):
    huge = post_action(stack, {"padding": "x" * (3 * 1024 * 1024)})
    assert huge.status_code == 413
    chunked = requests.post(f"{stack.action_url}/webhook", data=chunks(30), timeout=30,
                            headers={"X-Action-Token": stack.action_token, "Content-Type": "application/json"})
    assert chunked.status_code == 413
    secret = "SECRET-" + uuid.uuid4().hex
    broken = post_action(stack, {"next_action": "action_answer_verified_request", "tracker": secret})
    assert broken.status_code >= 400 and secret not in broken.text
    assert set(broken.json()) == {"code"}


# --- the Rasa server -----------------------------------------------------------------------


@pytest.mark.parametrize("body, code", [
    ({"message": "xin chào"}, "sender_required"),
    ({"sender": "", "message": "xin chào"}, "sender_required"),
    ({"sender": "a"}, "message_required"),
    (["xin chào"], "body_not_an_object"),
])
def test_rasa_refuses_a_message_without_its_own_conversation(stack, body, code):
    answer = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json=body, timeout=30)
    assert answer.status_code == 400 and answer.json() == {"code": code}


def test_nothing_lands_in_a_shared_default_conversation(stack):
    requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"message": "PE05000234567"}, timeout=30)
    events = tracker_of(stack, "default").get("events") or []
    assert not [e for e in events if e.get("event") == "user"]


@pytest.mark.parametrize("headers, status, code", [
    ({"Content-Type": "text/plain"}, 415, "unsupported_media_type"),
    ({"Content-Type": "application/json", "Host": "attacker.example"}, 400, "host_not_allowed"),
])
def test_rasa_refuses_text_plain_and_foreign_hosts(stack, headers, status, code):
    answer = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", headers=headers, timeout=30,
                           data=json.dumps({"sender": new_sender("csrf"), "message": "xin chào"}))
    assert answer.status_code == status and answer.json() == {"code": code}


def chunks(count, size=100_000):
    for _ in range(count):
        yield b"x" * size


def test_rasa_caps_bodies(stack):
    answer = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=30,
                           json={"sender": new_sender("big"), "message": "a" * (300 * 1024)})
    assert answer.status_code == 413
    chunked = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", data=chunks(5), timeout=30,
                            headers={"Content-Type": "application/json"})  # no length declared
    assert chunked.status_code == 413


def test_a_very_long_message_is_cut_and_the_customer_told(stack):
    story = "Nhà tôi ở quận 7, tháng này tiền điện tăng gấp đôi mà không dùng gì thêm. " * 600  # ~44,000 chars
    replies = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=90,
                            json={"sender": new_sender("long"), "message": story}).json()
    assert "chỉ đọc được phần đầu" in replies[0]["text"] and len(replies) >= 2
    assert say(stack, new_sender("after"), "xin chào")  # the others are still served


# --- verification: limits on our side, honest answers, no enumeration --------------------------


def test_guessing_digits_is_slowed_per_conversation_and_the_owner_is_not_locked_out(stack):
    reset(stack)
    guesser = new_sender("guess")
    say(stack, guesser, "tra hóa đơn")
    say(stack, guesser, OWNER[0])
    replies = [say(stack, guesser, digits) for digits in ("1111", "2222", "3333")]
    assert "thử lại sau khoảng" in replies[-1] and "nhân viên" in replies[-1], replies[-1]
    assert "bận" not in replies[-1]
    say(stack, guesser, "tra hóa đơn")
    late = say(stack, guesser, OWNER[1])
    assert not BILL_DATA.search(late), late  # even the right digits wait in this conversation
    _, owner = verified_conversation(stack, *OWNER)
    assert BILL_DATA.search(owner), owner  # the owner, elsewhere, is served


def test_unknown_code_and_wrong_digits_answer_the_same(stack):
    reset(stack)
    answers = []
    for code in ("PE09000999999", "PC01000456789"):  # codes no other test of the session stack guesses
        sender = new_sender("enum")
        say(stack, sender, "tra hóa đơn")
        say(stack, sender, code)
        answers.append(say(stack, sender, "1111"))
    assert answers[0] == answers[1], answers


def test_outages_by_an_unverified_code_do_not_reveal_the_address(stack):
    reply = say(stack, new_sender("where"), f"lịch cắt điện của mã {OWNER[0]}")
    assert "Tân Phong" not in reply and "Nguyễn Đức Cảnh" not in reply, reply
    unknown = say(stack, new_sender("where"), "lịch cắt điện của mã PE09000999999")
    assert "không tìm thấy" not in unknown.lower() and "không tồn tại" not in unknown.lower(), unknown


def test_full_width_digits_verify(stack):
    reset(stack)
    sender = new_sender("wide")
    say(stack, sender, "tra hóa đơn")
    say(stack, sender, OWNER[0])
    assert BILL_DATA.search(say(stack, sender, "５６７８"))
