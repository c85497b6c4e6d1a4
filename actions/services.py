"""Outages (schedule, reports), new connections, request progress, contract changes, complaints."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import texts
from actions.backoffice import BackOfficeClient, NotFound
from actions.base import BackOfficeAction
from actions.verification import ABORTED, VerificationSlots, verified_code
from bot.text.codes import canonical_customer_code, canonical_phone, canonical_request_code, find_codes
from bot.text.vietnamese import fold_diacritics, has_diacritics

# Words in an outage report that mean danger: safety advice comes first. With
# diacritics the words are exact ("cháy" is fire, "chạy" is not); a message typed
# without any diacritic is matched on the folded words, erring on the side of safety.
HAZARD_ACCENTED = re.compile(r"\b(cháy|khói|nổ|tia lửa|tóe lửa|bốc lửa|phát lửa|chập|đứt|dây rơi|rơi dây|giật|rò điện)\b")
HAZARD_FOLDED = re.compile(r"\b(chay|khoi|no|tia lua|toe lua|boc lua|phat lua|chap|dut|day roi|roi day|giat|ro dien)\b")
MIN_ADDRESS_LENGTH = 6
MIN_COMPLAINT_LENGTH = 15

PURPOSES = {"sinh_hoat": "sinh hoạt", "kinh_doanh": "kinh doanh", "san_xuat": "sản xuất"}
CHANGE_TYPES = {
    "sang_ten": "sang tên chủ hợp đồng", "doi_thong_tin": "thay đổi thông tin liên hệ",
    "doi_muc_dich": "thay đổi mục đích sử dụng", "dinh_muc": "thay đổi định mức số hộ",
    "tang_cong_suat": "thay đổi công suất", "cham_dut": "chấm dứt hợp đồng",
}


def is_hazard(text: Optional[str]) -> bool:
    normalized = unicodedata.normalize("NFC", (text or "").lower())
    if has_diacritics(normalized):
        return bool(HAZARD_ACCENTED.search(normalized))
    return bool(HAZARD_FOLDED.search(normalized))


def _latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "").strip()


def _choice(value: Any, options: Dict[str, str]) -> Optional[str]:
    """Match a button payload or free text ("kinh doanh", "kinh doanh nha") to an option key."""
    folded = fold_diacritics(str(value or "")).lower().replace("_", " ")
    for key, label in options.items():
        if key.replace("_", " ") in folded or fold_diacritics(label).lower() in folded:
            return key
    return None


# --- planned outages ---------------------------------------------------------


class ActionCheckOutageSchedule(BackOfficeAction):
    def name(self) -> Text:
        return "action_check_outage_schedule"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        code = canonical_customer_code(tracker.get_slot("customer_code") or "")
        location = tracker.get_slot("location")
        if code:
            outages = await client.planned_outages(customer_code=code)
            where = f"khu vực của mã khách hàng {code}"
        elif location:
            outages = await client.planned_outages(area=location)
            where = location
        else:
            dispatcher.utter_message(response="utter_ask_outage_area")
            return []
        dispatcher.utter_message(text=texts.outages_list(where, outages))
        return [SlotSet("location", None)]


# --- outage reports ----------------------------------------------------------


class ActionStartOutageReport(Action):
    """Keeps what the customer described; danger gets the safety advice first."""

    def name(self) -> Text:
        return "action_start_outage_report"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        text = _latest_text(tracker)
        hazard = is_hazard(text)
        if hazard:
            dispatcher.utter_message(response="utter_safety_first")
        place = canonical_customer_code(tracker.get_slot("customer_code") or "") or tracker.get_slot("location")
        return [SlotSet("outage_description", text[:1000]), SlotSet("outage_hazard", hazard),
                SlotSet("outage_place", place)]


class ValidateReportOutageForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_report_outage_form"

    async def extract_outage_place(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "outage_place":
            return {}
        text = _latest_text(tracker)
        codes = [c.value for c in find_codes(text) if c.entity == "customer_code"]
        return {"outage_place": codes[0] if codes else text}

    async def validate_outage_place(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        place = str(value or "").strip()
        if canonical_customer_code(place) or len(place) >= MIN_ADDRESS_LENGTH:
            return {"outage_place": canonical_customer_code(place) or place[:300]}
        dispatcher.utter_message(response="utter_invalid_outage_place")
        return {"outage_place": None}


class ActionSubmitOutageReport(BackOfficeAction):
    def name(self) -> Text:
        return "action_submit_outage_report"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        place = tracker.get_slot("outage_place")
        if not place:
            return []
        code = canonical_customer_code(place)
        report = {
            "description": tracker.get_slot("outage_description") or "Khách hàng báo mất điện",
            "hazard": bool(tracker.get_slot("outage_hazard")),
            **({"customer_code": code} if code else {"address": place}),
        }
        ticket = await client.report_outage(**report)
        planned = ticket.get("planned_outage")
        if planned:
            dispatcher.utter_message(
                response="utter_outage_is_planned", area=planned["area"], reason=planned["reason"],
                end=texts.iso_datetime(planned["end_at"]), ticket=ticket["code"],
            )
        else:
            dispatcher.utter_message(response="utter_outage_reported", ticket=ticket["code"])
        return [SlotSet("outage_place", None), SlotSet("outage_description", None), SlotSet("outage_hazard", None)]


# --- new connections ---------------------------------------------------------


class ValidateNewConnectionForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_new_connection_form"

    async def extract_person_name(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "person_name" or tracker.latest_message.get("entities"):
            return {}
        return {"person_name": _latest_text(tracker)}

    async def extract_connection_address(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "connection_address":
            return {}
        return {"connection_address": _latest_text(tracker)}

    async def validate_person_name(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        name = " ".join(str(value or "").split())
        if not 4 <= len(name) <= 80 or re.search(r"\d", name):
            dispatcher.utter_message(response="utter_invalid_person_name")
            return {"person_name": None}
        return {"person_name": name.title() if name.islower() else name}

    async def validate_phone(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        phone = canonical_phone(str(value or ""))
        if phone is None:
            dispatcher.utter_message(response="utter_invalid_phone")
        return {"phone": phone}

    async def validate_connection_address(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        address = " ".join(str(value or "").split())
        if len(address) < 10:
            dispatcher.utter_message(response="utter_invalid_address")
            return {"connection_address": None}
        return {"connection_address": address[:300]}

    async def validate_connection_purpose(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        purpose = _choice(value, PURPOSES)
        if purpose is None:
            dispatcher.utter_message(response="utter_ask_connection_purpose")
            return {"connection_purpose": None}
        return {"connection_purpose": PURPOSES[purpose]}

    async def validate_phases(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        match = re.search(r"\b([13])\b", str(value or ""))
        if not match:
            dispatcher.utter_message(response="utter_ask_phases")
            return {"phases": None}
        return {"phases": match.group(1)}

    async def validate_connection_confirmed(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return {"connection_confirmed": value}


class ActionSubmitNewConnection(BackOfficeAction):
    def name(self) -> Text:
        return "action_submit_new_connection"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        clear = [SlotSet(slot, None) for slot in
                 ("person_name", "connection_address", "connection_purpose", "phases", "connection_confirmed")]
        if tracker.get_slot("connection_confirmed") is not True:
            dispatcher.utter_message(response="utter_cancelled")
            return clear
        created = await client.create_connection_request(
            name=tracker.get_slot("person_name"), phone=tracker.get_slot("phone"),
            address=tracker.get_slot("connection_address"), province=province_of(tracker.get_slot("connection_address")),
            purpose=_choice(tracker.get_slot("connection_purpose"), PURPOSES), phases=int(tracker.get_slot("phases")),
        )
        dispatcher.utter_message(response="utter_connection_created", code=created["code"],
                                 days=created.get("expected_days", 5))
        return clear + [SlotSet("request_code", created["code"])]


PROVINCES = {
    "ho chi minh": "TP. Hồ Chí Minh", "hcm": "TP. Hồ Chí Minh", "sai gon": "TP. Hồ Chí Minh",
    "ha noi": "Hà Nội", "da nang": "Đà Nẵng", "can tho": "Cần Thơ",
}


def province_of(address: Optional[str]) -> str:
    """The province named in an address; empty when none is recognised (the back office then decides)."""
    folded = fold_diacritics(address or "").lower()
    return next((name for key, name in PROVINCES.items() if key in folded), "")


# --- request progress --------------------------------------------------------


class ActionCheckRequestStatus(BackOfficeAction):
    def name(self) -> Text:
        return "action_check_request_status"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        code = canonical_request_code(tracker.get_slot("request_code") or "")
        phone = canonical_phone(tracker.get_slot("phone") or "")
        if code:
            try:
                dispatcher.utter_message(text=texts.request_progress(await client.request(code)))
            except NotFound:
                dispatcher.utter_message(response="utter_unknown_request_code", code=code)
                return [SlotSet("request_code", None)]
        elif phone:
            requests = await client.requests_by_phone(phone)
            if not requests:
                dispatcher.utter_message(response="utter_no_request_for_phone")
            for request in requests[:3]:
                dispatcher.utter_message(text=texts.request_progress(request))
        else:
            dispatcher.utter_message(response="utter_ask_request_code")
        return []


# --- contract changes and complaints -----------------------------------------


class ValidateChangeContractForm(VerificationSlots):
    def name(self) -> Text:
        return "validate_change_contract_form"

    async def extract_change_details(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "change_details":
            return {}
        return {"change_details": _latest_text(tracker)}

    async def validate_change_type(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        change = _choice(value, CHANGE_TYPES)
        if change is None:
            dispatcher.utter_message(response="utter_ask_change_type")
        return {"change_type": change}

    async def validate_change_details(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        details = " ".join(str(value or "").split())
        if len(details) < 3:
            return {"change_details": None}
        return {"change_details": details[:1000]}


class ActionSubmitChangeContract(BackOfficeAction):
    def name(self) -> Text:
        return "action_submit_change_contract"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        code = verified_code(tracker)
        change, details = tracker.get_slot("change_type"), tracker.get_slot("change_details")
        clear = [SlotSet("change_type", None), SlotSet("change_details", None), SlotSet(ABORTED, False)]
        if not (code and change and details):
            return clear
        created = await client.create_contract_change(customer_code=code, change_type=change, details=details)
        dispatcher.utter_message(response="utter_contract_change_created", code=created["code"],
                                 change=CHANGE_TYPES[change], days=created.get("expected_days", 3))
        return clear


class ActionStartComplaint(Action):
    def name(self) -> Text:
        return "action_start_complaint"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        text = _latest_text(tracker)
        dispatcher.utter_message(response="utter_complaint_ack")
        content = text if len(text) >= MIN_COMPLAINT_LENGTH else None
        return [SlotSet("complaint_content", content)]


class ValidateComplaintForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_complaint_form"

    async def extract_complaint_content(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "complaint_content":
            return {}
        return {"complaint_content": _latest_text(tracker)}

    async def validate_complaint_content(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        content = " ".join(str(value or "").split())
        if len(content) < MIN_COMPLAINT_LENGTH:
            dispatcher.utter_message(response="utter_complaint_too_short")
            return {"complaint_content": None}
        return {"complaint_content": content[:2000]}


class ActionSubmitComplaint(BackOfficeAction):
    def name(self) -> Text:
        return "action_submit_complaint"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        content = tracker.get_slot("complaint_content")
        if not content:
            return []
        code = verified_code(tracker) or canonical_customer_code(tracker.get_slot("customer_code") or "")
        created = await client.create_complaint(
            content=content, category="khac",
            **({"customer_code": code} if code else {}),
            **({"phone": canonical_phone(tracker.get_slot("phone") or "")} if canonical_phone(tracker.get_slot("phone") or "") else {}),
        )
        dispatcher.utter_message(response="utter_complaint_created", code=created["code"])
        return [SlotSet("complaint_content", None)]

