"""Outages (schedule, reports), new connections, request progress, contract changes, complaints."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions import attempts, texts
from actions.context import LAST_REQUEST, answer_in_context, filed
from actions.answers import (
    SHOWN_OUTAGES, TOPIC, answer_calculation, answer_outage_schedule, answer_request_status, calculation_asked,
    shown_outage,
)
from actions.backoffice import BackOfficeClient, Rejected
from actions.base import BackOfficeAction
from actions.forms import ANSWERED, OUTCOME, close_unfinished, verified_code
from actions.slots import CHANGE_TYPES, change_type_of, codes_in, is_question, parse_kwh, parse_phone, parse_purpose, province_of
from actions.texts import asks_why_bill_rose
from actions.turn import Turn
from bot.text.codes import REQUEST_CODE, canonical_customer_code, canonical_phone
from bot.text.vietnamese import fold_diacritics, has_diacritics
from vocabulary import COMPLAINT_BILL, COMPLAINT_OTHER

# Words in an outage report that mean danger: safety advice comes first. With
# diacritics the words are exact ("cháy" is fire, "chạy" is not); a message typed
# without any diacritic is matched on the folded words, erring on the side of safety.
HAZARD_ACCENTED = re.compile(r"\b(cháy|khói|nổ|tia lửa|tóe lửa|bốc lửa|phát lửa|chập|đứt|dây rơi|rơi dây|giật|rò điện)\b")
HAZARD_FOLDED = re.compile(r"\b(chay|khoi|no|tia lua|toe lua|boc lua|phat lua|chap|dut|day roi|roi day|giat|ro dien)\b")


def is_hazard(text: Optional[str]) -> bool:
    normalized = unicodedata.normalize("NFC", (text or "").lower())
    if has_diacritics(normalized):
        return bool(HAZARD_ACCENTED.search(normalized))
    return bool(HAZARD_FOLDED.search(normalized))


_FUTURE = re.compile(r"\b(lich|ke hoach|ngay mai|mai|tuan sau|tuan toi|sap|du kien|schedule|tomorrow)\b")
_NOW = re.compile(r"\b(dang|tu sang|tu chieu|tu toi|tu trua|hien|bay gio|gio nay|nay|roi|luc nay|now|since)\b")


def asks_about_schedule(text: str) -> bool:
    """"Mai khu tôi có cúp điện không?" is about planned cuts; "mất điện từ sáng" is a report."""
    folded = fold_diacritics(text).lower()
    return bool(_FUTURE.search(folded)) and not _NOW.search(folded)


# A complaint that asks for action is filed, even when it is about a high bill.
_FILES_A_COMPLAINT = re.compile(r"\b(khieu nai|phan anh|yeu cau|kiem tra lai|boi thuong|giai quyet|to cao)\b")


def asks_why_bill_rose_only(text: str) -> bool:
    """"Sao hóa đơn tháng này cao vậy?": a question about a rise, answered with the readings, not a complaint to file."""
    folded = fold_diacritics(text).lower()
    return asks_why_bill_rose(text) and is_question(text) and not _FILES_A_COMPLAINT.search(folded)


def _latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "").strip()


# What the back office's field names are called for the customer.
FIELD_LABELS = {
    "name": "họ tên", "phone": "số điện thoại", "address": "địa chỉ", "province": "tỉnh/thành phố",
    "purpose": "mục đích sử dụng", "phases": "số pha", "content": "nội dung phản ánh", "details": "nội dung thay đổi",
    "description": "mô tả", "customer_code": "mã khách hàng", "change_type": "loại thay đổi",
}


def explain_rejection(dispatcher, error: Rejected) -> None:
    """Says which field the back office refused and why, instead of a blanket "invalid"."""
    codes = error.field_codes()
    if not codes:
        dispatcher.utter_message(response="utter_rejected")
        return
    parts = []
    for name, code in codes.items():
        label = FIELD_LABELS.get(name, name)
        reason = {"too_long": "quá dài", "missing": "còn thiếu", "blank": "đang để trống"}.get(code, "chưa hợp lệ")
        parts.append(f"{label} {reason}")
    dispatcher.utter_message(response="utter_rejected_fields", fields=", ".join(parts))


def signature(**values: Any) -> str:
    """A fingerprint of what was sent, so the same request confirmed twice is sent once."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def already_sent(tracker: Tracker, fingerprint: str) -> Optional[str]:
    sent = tracker.get_slot("submitted") or {}
    return sent.get(fingerprint) if isinstance(sent, dict) else None


def remember_sent(tracker: Tracker, fingerprint: str, code: str) -> SlotSet:
    sent = dict(tracker.get_slot("submitted") or {})
    sent[fingerprint] = code
    return SlotSet("submitted", sent)


@dataclass
class Sent:
    """The outcome of a write: what the back office created (None: nothing new), and the event remembering it."""

    created: Optional[Dict[str, Any]]
    refused: bool = False
    remember: List[EventType] = field(default_factory=list)


async def send_once(dispatcher, tracker: Tracker, create: Callable[..., Awaitable[Dict[str, Any]]], **request: Any) -> Sent:
    """Sends a write unless this conversation already sent the same one; a refusal is explained to the customer."""
    fingerprint = signature(**request)
    code = already_sent(tracker, fingerprint)
    if code:
        dispatcher.utter_message(response="utter_already_sent", code=code)
        return Sent(None)
    try:
        created = await create(**request)
    except Rejected as error:
        explain_rejection(dispatcher, error)
        return Sent(None, refused=True)
    remember = [remember_sent(tracker, fingerprint, created["code"])] if created.get("code") else []
    return Sent(created, remember=remember)


# --- planned outages ---------------------------------------------------------


class ActionCheckOutageSchedule(BackOfficeAction):
    def name(self) -> Text:
        return "action_check_outage_schedule"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        turn = Turn.of(tracker)
        answered = await answer_in_context(dispatcher, tracker, turn, client)  # "vậy bao giờ có điện lại?"
        if answered is not None:
            return answered
        first: List[EventType] = []
        if _PRICE_WORDS.search(turn.folded) and parse_kwh(turn.text):
            # "giá 100 số bao nhiêu và tuần này Sơn Trà có lịch cúp điện không": both answered
            calc = calculation_asked(turn, tracker)
            first = answer_calculation(dispatcher, calc.kwh, calc.households, calc.day, calc.group) if calc else []
        events = await answer_outage_schedule(dispatcher, tracker, turn, client)
        return [e for e in first if e.get("name") != TOPIC] + events


_PRICE_WORDS = re.compile(r"\b(gia|tien|bao nhieu|het bn|bn tien|tinh tien)\b")


# --- outage reports ----------------------------------------------------------


class ActionStartOutageReport(Action):
    """Keeps what the customer described; danger gets the safety advice first."""

    def name(self) -> Text:
        return "action_start_outage_report"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        text = _latest_text(tracker)
        hazard = is_hazard(text)
        # "khoảng mấy giờ thì có người tới sửa?" after the ticket: no second report; but "nhà tôi đang mất điện,
        # bao giờ có lại?" after a schedule of outages to come is a report of this outage
        if not hazard and not _NOW.search(fold_diacritics(text).lower()):
            answered = await answer_in_context(dispatcher, tracker, Turn.of(tracker))
            if answered is not None:
                return answered + [SlotSet(OUTCOME, ANSWERED)]
        if not hazard and asks_about_schedule(text):
            return [FollowupAction("action_check_outage_schedule")]  # a question about cuts to come is not a report
        if hazard:
            dispatcher.utter_message(response="utter_safety_first")
        return [SlotSet("outage_description", text[:2000] or None), SlotSet("outage_hazard", hazard),
                SlotSet("outage_place", None), SlotSet(TOPIC, "outage_report")]


class ActionSubmitOutageReport(BackOfficeAction):
    def name(self) -> Text:
        return "action_submit_outage_report"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        unfinished = close_unfinished(dispatcher, tracker, "báo mất điện")
        if unfinished is not None:
            return unfinished
        place = tracker.get_slot("outage_place")
        if not place:
            return []
        code = canonical_customer_code(place)
        report = {
            "description": tracker.get_slot("outage_description") or "Khách hàng báo mất điện",
            "hazard": bool(tracker.get_slot("outage_hazard")),
            **({"customer_code": code} if code else {"address": place}),
        }
        done = [SlotSet("outage_place", None), SlotSet("outage_description", None), SlotSet("outage_hazard", None),
                SlotSet(TOPIC, "outage_report")]
        sent = await send_once(dispatcher, tracker, client.report_outage, **report)
        if sent.created is None:
            return done
        ticket = sent.created
        planned, incident = ticket.get("planned_outage"), ticket.get("incident")
        if planned:
            told = shown_outage("Đợt ngừng cấp điện theo kế hoạch", planned.get("reason"), planned.get("end_at"))
        else:
            known = incident if ticket.get("duplicate") and incident else ticket
            told = shown_outage(f"Sự cố {known.get('code') or ticket.get('code')}",
                                "sự cố trên lưới điện, đội sửa chữa đang kiểm tra", known.get("expected_restoration_at"))
        done.append(SlotSet(SHOWN_OUTAGES, [told]))
        if planned and not ticket.get("code"):
            dispatcher.utter_message(response="utter_outage_is_planned", area=planned["area"], reason=planned["reason"],
                                     end=texts.iso_datetime(planned["end_at"]))
            return done
        if planned:
            dispatcher.utter_message(response="utter_outage_is_planned_ticket", area=planned["area"],
                                     reason=planned["reason"], end=texts.iso_datetime(planned["end_at"]), ticket=ticket["code"])
        elif ticket.get("duplicate") and incident:
            dispatcher.utter_message(text=texts.known_incident(incident))
        else:
            dispatcher.utter_message(text=texts.new_incident(ticket))
        return done + [SlotSet("request_code", ticket["code"]), *sent.remember]


# --- new connections ---------------------------------------------------------


class ActionSubmitNewConnection(BackOfficeAction):
    def name(self) -> Text:
        return "action_submit_new_connection"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        clear = [SlotSet(slot, None) for slot in ("person_name", "connection_address", "connection_province",
                                                  "connection_purpose", "phases", "connection_confirmed")]
        unfinished = close_unfinished(dispatcher, tracker, "yêu cầu đăng ký cấp điện mới")
        if unfinished is not None:
            return unfinished + clear
        if tracker.get_slot("connection_confirmed") is not True:
            return []
        request = dict(
            name=tracker.get_slot("person_name"), phone=tracker.get_slot("phone"),
            address=tracker.get_slot("connection_address"),
            province=province_of(tracker.get_slot("connection_address")) or tracker.get_slot("connection_province") or None,
            purpose=parse_purpose(tracker.get_slot("connection_purpose")), phases=int(tracker.get_slot("phases")),
        )
        sent = await send_once(dispatcher, tracker, client.create_connection_request, **request)
        if sent.created is None:
            return [SlotSet("connection_confirmed", None)] if sent.refused else clear
        created = sent.created
        dispatcher.utter_message(response="utter_connection_created", code=created["code"],
                                 days=created.get("expected_days", 5))
        return clear + [SlotSet("request_code", created["code"]), SlotSet(TOPIC, "new_connection"),
                        SlotSet(LAST_REQUEST, filed("new_connection", created)), *sent.remember]


# --- request progress --------------------------------------------------------


class ActionCheckRequestStatus(BackOfficeAction):
    def name(self) -> Text:
        return "action_check_request_status"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        turn = Turn.of(tracker)
        typed = parse_phone(turn.text) if not codes_in(turn.text, REQUEST_CODE) else None
        phone = typed or canonical_phone(tracker.get_slot("phone") or "")
        # A whole phone number alone lists its requests ("số đt 0903… có những yêu cầu nào"), even after a code.
        if typed or (not tracker.get_slot("request_code") and phone and not turn.entity("request_code")):
            lookups = attempts.limits()["request_lookup"]
            wait = lookups.wait_seconds(tracker.sender_id)
            if wait:
                dispatcher.utter_message(response="utter_request_lookup_locked", minutes=attempts.minutes_of(wait))
                return [SlotSet(TOPIC, "request_status")]
            requests = await client.requests_by_phone(phone)
            if not requests:
                lookups.failed(tracker.sender_id)  # walking phone numbers is slowed like wrong digits
                dispatcher.utter_message(response="utter_no_request_for_phone")
            for request in requests[:3]:
                dispatcher.utter_message(text=texts.request_progress(request))
            return [SlotSet(TOPIC, "request_status")]
        return await answer_request_status(dispatcher, tracker, turn, client)


# --- contract changes and complaints -----------------------------------------

class ActionSubmitChangeContract(BackOfficeAction):
    def name(self) -> Text:
        return "action_submit_change_contract"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        clear = [SlotSet("change_type", None), SlotSet("change_details", None), SlotSet("change_confirmed", None)]
        unfinished = close_unfinished(dispatcher, tracker, "yêu cầu thay đổi hợp đồng")
        if unfinished is not None:
            return unfinished + clear
        code = verified_code(tracker)
        change, details = change_type_of(tracker.get_slot("change_type")), tracker.get_slot("change_details")
        if not (code and change and details) or tracker.get_slot("change_confirmed") is not True:
            return clear
        sent = await send_once(dispatcher, tracker, client.create_contract_change,
                               customer_code=code, change_type=change, details=details)
        if sent.created is None:
            return clear
        created = sent.created
        dispatcher.utter_message(response="utter_contract_change_created", code=created["code"],
                                 change=CHANGE_TYPES[change], days=created.get("expected_days", 3))
        return clear + [SlotSet("request_code", created["code"]), SlotSet(TOPIC, "contract_change"),
                        SlotSet(LAST_REQUEST, filed("contract_change", created)), *sent.remember]


class ActionStartComplaint(Action):
    def name(self) -> Text:
        return "action_start_complaint"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        text = _latest_text(tracker)
        answered = await answer_in_context(dispatcher, tracker, Turn.of(tracker))  # "lý do gì vậy?" is not a complaint
        if answered is not None:
            return answered + [SlotSet(OUTCOME, ANSWERED)]
        short_bill_complaint = asks_why_bill_rose(text) and not parse_phone(text) and len(text) < LONG_COMPLAINT
        if asks_why_bill_rose_only(text) or (short_bill_complaint and not verified_code(tracker)):
            # "Sao hóa đơn tháng này cao vậy?", "tiền điện cao bất thường, tôi muốn khiếu nại": compare the bills
            # first (after verification), then offer the complaint, which then knows the customer code.
            if not verified_code(tracker):
                dispatcher.utter_message(response="utter_bill_rise_check")
            return [SlotSet(TOPIC, "bill"), FollowupAction("verify_customer_form")]
        dispatcher.utter_message(response="utter_complaint_ack")
        return [SlotSet(TOPIC, "complaint")]


SUMMARY_CHARS = 300
# A complaint this long (or with a phone to answer to) already tells everything: it is filed, not checked first.
LONG_COMPLAINT = 120


class ActionAskComplaintConfirmed(Action):
    """The complaint as it will be sent, and who Điện lực answers, before anything is filed."""

    def name(self) -> Text:
        return "action_ask_complaint_confirmed"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        content = " ".join((tracker.get_slot("complaint_content") or "").split())
        if len(content) > SUMMARY_CHARS:
            content = content[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
        code = verified_code(tracker) or canonical_customer_code(tracker.get_slot("customer_code") or "")
        phone = canonical_phone(tracker.get_slot("phone") or "")
        contact = "; ".join(part for part in (f"mã khách hàng {code}" if code else "",
                                               f"số điện thoại {phone}" if phone else "") if part)
        dispatcher.utter_message(
            text=f"Dạ, Quý khách xác nhận giúp em nội dung phản ánh: \"{content}\"" + (f" (liên hệ: {contact})" if contact else "")
            + ". Em gửi phản ánh này nhé? Quý khách cũng có thể nhắn thêm ý (\"thêm ý: …\") trước khi gửi ạ.",
            buttons=[{"title": "Đúng, gửi phản ánh", "payload": "/affirm"}, {"title": "Hủy", "payload": "/cancel"}],
        )
        return []


class ActionSubmitComplaint(BackOfficeAction):
    def name(self) -> Text:
        return "action_submit_complaint"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        clear = [SlotSet("complaint_content", None), SlotSet("complaint_confirmed", None)]
        unfinished = close_unfinished(dispatcher, tracker, "phản ánh")
        if unfinished is not None:
            return unfinished + clear
        content = tracker.get_slot("complaint_content")
        if not content:
            return clear
        code = verified_code(tracker) or canonical_customer_code(tracker.get_slot("customer_code") or "")
        phone = canonical_phone(tracker.get_slot("phone") or "")
        category = COMPLAINT_BILL if asks_why_bill_rose(content) else COMPLAINT_OTHER
        complaint = dict(content=content, category=category, **({"customer_code": code} if code else {}),
                         **({"phone": phone} if phone else {}))
        sent = await send_once(dispatcher, tracker, client.create_complaint, **complaint)
        if sent.created is None:
            return clear
        created = sent.created
        dispatcher.utter_message(response="utter_complaint_created", code=created["code"])
        return clear + [SlotSet("request_code", created["code"]), SlotSet(TOPIC, "complaint"), SlotSet("offer", "human"),
                        SlotSet(LAST_REQUEST, filed("complaint", created)),
                        *sent.remember]
