"""The form validators' decisions on one turn (actions/forms.py), without Rasa or the back office."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import clock, identity
from actions.settings import settings
from actions.forms import (
    CANCELLED, GAVE_UP, MAX_REASKS, OUTCOME, REASKS, ValidateChangeContractForm, ValidateComplaintForm,
    ValidateNewConnectionForm,
)

FORM = "new_connection_form"


def tracker(text, intent="inform", confidence=0.9, slots=None, activating=False, entities=()):
    events = [{"event": "user", "text": text}]
    if activating:
        events.append({"event": "active_loop", "name": FORM})
    return Tracker(
        sender_id="test", slots={"requested_slot": None, **(slots or {})},
        latest_message={"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": list(entities)},
        events=events, paused=False, followup_action=None, active_loop={"name": FORM}, latest_action_name="action_listen",
    )


def run(form, tr):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(form.run(dispatcher, tr, {}))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return slots, dispatcher.messages, events


def test_the_first_message_fills_what_it_gives():
    slots, _, _ = run(ValidateNewConnectionForm(), tracker(
        "tôi muốn đăng ký cấp điện mới 3 pha cho xưởng sản xuất, sđt 0903 111 222", intent="new_connection",
        activating=True))
    assert slots["phone"] == "0903111222" and slots["phases"] == "3" and slots["connection_purpose"] == "sản xuất"
    assert slots["requested_slot"] == "person_name"


@pytest.mark.parametrize("text, intent", [("thôi để tôi hỏi ý kiến vợ đã, hủy nhé", "cancel"),
                                          ("thoi de mai tinh", "cancel"), ("bye em", "goodbye")])
def test_a_cancel_or_a_goodbye_ends_the_form(text, intent):
    slots, _, _ = run(ValidateNewConnectionForm(), tracker(text, intent=intent, slots={"requested_slot": "person_name"}))
    assert slots[OUTCOME] == CANCELLED and slots["requested_slot"] is None
    assert "person_name" not in slots


def test_an_answer_with_thoi_is_an_answer_not_a_cancel():
    slots, _, _ = run(ValidateNewConnectionForm(), tracker("1 pha thoi", intent="cancel", confidence=0.7,
                                                           slots={"requested_slot": "phases"}))
    assert slots["phases"] == "1" and OUTCOME not in slots


def test_a_verification_of_this_turn_is_not_asked_again():
    form = ValidateChangeContractForm()
    proof = identity.issue(settings().verification_proof_key, "test", "PB01000567890", clock.now(), 30)
    merged = {"customer_code": "PB01000567890", "verified_customer_code": "PB01000567890",
              "verification_proof": proof, "phone_last4": None}
    assert form.next_slot(tracker("5666", slots={"requested_slot": "phone_last4"}), merged) == "change_type"


def test_a_name_is_taken_and_the_next_field_asked():
    slots, messages, _ = run(ValidateNewConnectionForm(), tracker(
        "nguyen van an", slots={"requested_slot": "person_name", "phone": "0903111222"}))
    assert slots["person_name"] == "Nguyen Van An" and slots["requested_slot"] == "connection_address"
    assert messages == []


def test_a_correction_of_another_field_is_applied():
    slots, _, _ = run(ValidateNewConnectionForm(), tracker(
        "khoan, số đt sai, đúng là 0912 345 678",
        slots={"requested_slot": "connection_address", "person_name": "Nguyen Van An", "phone": "0903111222"}))
    assert slots["phone"] == "0912345678" and slots["requested_slot"] == "connection_address"


def test_a_sentence_is_not_a_name_and_is_refused_with_the_reason_only():
    slots, messages, _ = run(ValidateNewConnectionForm(), tracker("tôi không biết nữa", slots={"requested_slot": "person_name"}))
    assert slots.get("person_name") is None and slots[REASKS] == 1
    assert [m["response"] for m in messages] == ["utter_invalid_person_name"]


def test_after_too_many_refusals_a_person_is_offered():
    slots, messages, _ = run(ValidateNewConnectionForm(), tracker(
        "abc", slots={"requested_slot": "person_name", REASKS: MAX_REASKS - 1}))
    assert slots[OUTCOME] == GAVE_UP and slots["requested_slot"] is None
    assert messages[0]["response"] == "utter_form_gave_up"


def test_another_request_rejects_the_form():
    _, _, events = run(ValidateNewConnectionForm(), tracker(
        "cho tôi xem tiền điện tháng này", intent="check_bill", slots={"requested_slot": "person_name"}))
    assert events[0]["event"] == "action_execution_rejected"


def test_the_summary_is_confirmed_and_a_named_field_asked_again():
    filled = {"person_name": "Nguyen Van An", "phone": "0903111222", "connection_address": "12 Lê Lợi, quận 1",
              "connection_purpose": "sinh hoạt", "phases": "1", "requested_slot": "connection_confirmed"}
    slots, _, _ = run(ValidateNewConnectionForm(), tracker("ok gửi đi", intent="affirm", slots=filled))
    assert slots["connection_confirmed"] is True and slots["requested_slot"] is None
    slots, _, _ = run(ValidateNewConnectionForm(), tracker("sửa số điện thoại", intent="deny", slots=filled))
    assert slots["phone"] is None and slots["requested_slot"] == "phone"
    slots, _, _ = run(ValidateNewConnectionForm(), tracker("đúng rồi, 1 pha", intent="affirm", slots=filled))
    assert slots["connection_confirmed"] is True  # repeating a value is not a correction


def test_a_long_complaint_that_starts_the_form_is_its_content():
    text = "Tháng này tiền điện nhà tôi tăng gấp đôi dù đi vắng nửa tháng, nhân viên ghi chỉ số không tới 😡"
    tr = tracker(text, intent="complaint", activating=True)
    tr.events[-1]["name"] = "complaint_form"
    slots, _, _ = run(ValidateComplaintForm(), tr)
    assert slots["complaint_content"] == text and slots["requested_slot"] == "phone"  # who to answer to
    tr = tracker(text + " sđt 0903 555 777", intent="complaint", activating=True)
    tr.events[-1]["name"] = "complaint_form"
    slots, _, _ = run(ValidateComplaintForm(), tr)
    assert slots["phone"] == "0903555777" and slots["requested_slot"] == "complaint_confirmed"  # read back first


def test_the_complaint_summary_takes_an_addition_then_a_yes():
    filled = {"complaint_content": "Gọi tổng đài 3 lần không ai nghe máy", "phone": "0397246810",
              "requested_slot": "complaint_confirmed"}
    slots, _, _ = run(ValidateComplaintForm(), tracker("them y nha: minh goi luc 8h sang nay", slots=filled))
    assert slots["complaint_content"].endswith("them y nha: minh goi luc 8h sang nay")
    assert slots["requested_slot"] == "complaint_confirmed"  # the summary again, with the addition
    slots, _, _ = run(ValidateComplaintForm(), tracker("ok gui", intent="affirm", slots=filled))
    assert slots["complaint_confirmed"] is True and slots["requested_slot"] is None


def test_a_complaint_after_the_bill_comparison_carries_the_words_about_the_bill():
    first = "tien dien thang 8 nha toi cao bat thuong, toi muon khieu nai"
    tr = tracker("van thay vo ly, gui khieu nai giup toi", intent="complaint", activating=True,
                 slots={"offer": "complaint", "topic": "bill", "verified_customer_code": "PD01000345678"})
    tr.events[:0] = [{"event": "user", "text": first}]
    tr.events[-1]["name"] = "complaint_form"
    slots, _, _ = run(ValidateComplaintForm(), tr)
    assert slots["complaint_content"] == first + " van thay vo ly, gui khieu nai giup toi"


@pytest.mark.parametrize("minutes_ago, fresh_needed", [(1, False), (10, True)])
def test_a_termination_needs_a_verification_of_the_last_minutes(minutes_ago, fresh_needed):
    import datetime as dt

    issued = clock.now() - dt.timedelta(minutes=minutes_ago)
    proof = identity.issue(settings().verification_proof_key, "test", "PB01000567890", issued, 30)
    merged = {"verified_customer_code": "PB01000567890", "verification_proof": proof, "change_type": "cham_dut",
              "verified_at": clock.now().isoformat()}  # the slot says "now": only the proof's time counts
    assert ValidateChangeContractForm().needs_fresh_verification(merged) is fresh_needed


def test_a_customer_code_where_the_phone_is_asked_is_the_contact():
    filled = {"complaint_content": "Hóa đơn tháng 11 cao bất thường, đề nghị kiểm tra công tơ", "requested_slot": "phone"}
    slots, messages, _ = run(ValidateComplaintForm(), tracker("PE01000123456", slots=filled))
    assert slots["customer_code"] == "PE01000123456" and slots["requested_slot"] == "complaint_confirmed"
    assert messages == []  # no "that is not a phone number"


def test_a_first_message_that_tells_the_change_is_its_details():
    from actions.forms import ValidateChangeContractForm

    text = ("Tôi đã bán căn nhà 15 Nguyễn Đức Cảnh rồi, giờ muốn sang tên hợp đồng điện cho người mua là anh "
            "Đỗ Quang Vinh thì làm thế nào? mã khách hàng PE05000234567")
    tr = tracker(text, intent="change_contract", activating=True)
    tr.events[-1]["name"] = "change_contract_form"
    slots, _, _ = run(ValidateChangeContractForm(), tr)
    assert slots["change_type"] == "sang tên chủ hợp đồng" and "Đỗ Quang Vinh" in slots["change_details"]
    assert "PE05000234567" not in slots["change_details"]
