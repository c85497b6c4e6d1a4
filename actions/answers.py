"""Answers to quick questions, given on their own or in the middle of a form (then the form goes on).

Each ``answer_*`` utters its reply and returns the slot events that remember
what the conversation is now about (``topic``, ``area``, ``kwh``…), so that the
next message can be a follow-up ("còn phường X thì sao?", "300 số?").
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import attempts, clock, texts
from actions.backoffice import BackOfficeClient, BackOfficeError, BackOfficeUnavailable, Locked, NotFound
from actions.identity import verified_code
from actions.knowledge import answer_text, search_knowledge_base
from actions.slots import codes_in, folded, households_of, is_question, parse_kwh, parse_phone
from actions.turn import Turn
from bot.text.codes import CUSTOMER_CODE, REQUEST_CODE, canonical_phone, canonical_request_code
from tariff import (BillBreakdown, TariffError, business_bill, prepaid_bill, residential_bill, single_tier_bill,
                    tariff_on)

log = logging.getLogger(__name__)
MAX_KWH_ASKED = 100_000

# What the conversation is about: set by the answer that served it, read by follow-ups.
TOPIC = "topic"
AREA = "area"
PERIOD = "period"  # the billing month the conversation is about, YYYY-MM
SHOWN_COUNT = "shown_count"  # how many months the last list of bills or readings showed
SHOWN_OUTAGES = "shown_outages"  # the outages and tickets just told about: what, reason, end (actions/context.py)


def shown_outage(what: str, reason: Optional[str], end_at: Optional[str]) -> Dict[str, Any]:
    return {"what": what, "reason": reason, "end": texts.iso_datetime(end_at) if end_at else None}


def shown_outages(outages: List[Dict[str, Any]], show_place: bool = True) -> SlotSet:
    return SlotSet(SHOWN_OUTAGES, [
        shown_outage((o.get("ward") or o.get("district") or "Khu vực") if show_place else f"Đợt ngừng cấp điện từ {texts.iso_datetime(o['start_at'])}",
                     o.get("reason"), o.get("end_at"))
        for o in outages[:6]
    ])


def topic(tracker: Tracker) -> Optional[str]:
    return tracker.get_slot(TOPIC)


# --- the bill calculator and the tariff ------------------------------------------------


def kwh_of(turn: Turn, tracker: Tracker) -> Optional[int]:
    """The kWh in this message: the text first, then the NLU's entity when it says a unit ("1 công tơ" is not 1 kWh)."""
    entity = turn.entity("kwh")
    return parse_kwh(turn.text) or (parse_kwh(entity) if entity and _KWH_UNIT.search(folded(entity)) else None)


_KWH_UNIT = re.compile(r"\b(so|ky|kwh|kw|ki|kg|so dien)\b")


HOUSEHOLDS = "households"  # the quota households of the last calculation
CALC_GROUP = "calc_group"  # its price: residential, business, production, prepaid, short_lease


@dataclass(frozen=True)
class Calculation:
    kwh: int
    households: int = 1
    group: str = "residential"
    day: Optional[dt.date] = None


def calculate(calc: Calculation) -> BillBreakdown:
    day = calc.day or clock.today()
    if calc.kwh > MAX_KWH_ASKED:
        raise TariffError("too large")
    if calc.group in ("business", "production"):
        return business_bill(calc.kwh, day=day, purpose=calc.group)
    if calc.group == "prepaid":
        return prepaid_bill(calc.kwh, day=day)
    if calc.group == "short_lease":
        return single_tier_bill(calc.kwh, SHORT_LEASE_TIER, day=day)
    return residential_bill(calc.kwh, day=day, households=calc.households)


def answer_calculation(dispatcher: CollectingDispatcher, kwh: Optional[int], households: Optional[int] = None,
                       day: Optional[dt.date] = None, group: str = "residential") -> List[EventType]:
    """The bill of ``kwh`` on ``day`` (today) at the ``group``'s price, for ``households`` quota households (1)."""
    if kwh is None:
        dispatcher.utter_message(response="utter_ask_kwh")
        return [SlotSet(TOPIC, "calculator")]
    calc = Calculation(kwh, households or 1, group, day or clock.today())
    try:
        breakdown = calculate(calc)
    except TariffError:
        dispatcher.utter_message(response="utter_invalid_kwh")
        return [SlotSet(TOPIC, "calculator")]
    dispatcher.utter_message(text=texts.calculation(breakdown, calc.day, calc.households, calc.group))
    return [SlotSet(TOPIC, "calculator"), SlotSet("kwh", str(kwh)), SlotSet(HOUSEHOLDS, calc.households),
            SlotSet(CALC_GROUP, calc.group)]


_VAT = re.compile(r"\b(vat|thue|gtgt)\b")
_LATER_YEAR = re.compile(r"\b(?:sang nam|nam sau|nam toi|thang 1 nam sau|nam (20\d\d)|(20\d\d))\b")
_SHORT_LEASE = re.compile(r"\b(thue ngan han|ngan han|khong co hop dong|ko co hop dong|k co hop dong|khong hop dong|"
                          r"duoi 12 thang|chua dang ky tam tru|khong dang ky tam tru|khong co tam tru)\b")
_RESIDENTIAL = re.compile(r"\b(sinh hoat|ho gia dinh|nha o|1 ho|mot ho|bac thang|gia bac thang)\b")
SHORT_LEASE_TIER = 3


def group_named(fold: str) -> Optional[str]:
    if _SHORT_LEASE.search(fold):
        return "short_lease"
    named = next((name for name, words in GROUPS.items() if words.search(fold)), None)
    return named or ("residential" if _RESIDENTIAL.search(fold) else None)


def later_day(fold: str) -> Optional[dt.date]:
    later = _LATER_YEAR.search(fold)
    if not later:
        return None
    this_year = clock.today().year
    year = int(later.group(1) or later.group(2) or this_year + 1)
    return dt.date(year, 1, 1) if this_year < year <= this_year + 5 else None


def calculation_asked(turn: Turn, tracker: Tracker) -> Optional[Calculation]:
    """The calculation this message asks for, the last one's values filling what it does not say:
    "nhà có 2 hộ dùng chung thì sao", "nếu là điện sản xuất", "tháng 1 năm sau xài 350 số (1 hộ)"."""
    in_calculator = topic(tracker) == "calculator"
    kwh, households, group, day = kwh_of(turn, tracker), households_of(turn.text), group_named(turn.folded), later_day(turn.folded)
    if kwh == 1 and not (households or day):
        return None  # "1 số bao nhiêu?": a price, not a bill
    if kwh is None:
        if not in_calculator or not (households or group or day):
            return None
        kwh = parse_kwh(tracker.get_slot("kwh"))
        if kwh is None:
            return None
    if in_calculator:  # what the customer does not change stays as it was
        group = group or tracker.get_slot(CALC_GROUP)
        households = households or (int(tracker.get_slot(HOUSEHOLDS) or 1) if group in (None, "residential") else 1)
    return Calculation(kwh, households or 1, group or "residential", day)


def answer_vat_follow_up(dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn) -> bool:
    """"Có tính VAT chưa?" right after an amount: it does, how much, which rate and period applied.
    "Sang năm 2027 thì sao?" after a calculation: the same kWh on 1 January of that year."""
    day = later_day(turn.folded)
    kwh = parse_kwh(tracker.get_slot("kwh"))
    if parse_kwh(turn.text) not in (None, 1):
        return False  # "tháng 1 năm sau xài 350 số thì sao, nghe nói hết giảm thuế": a new calculation
    if day and topic(tracker) == "calculator" and kwh:
        answer_calculation(dispatcher, kwh, int(tracker.get_slot(HOUSEHOLDS) or 1), day, tracker.get_slot(CALC_GROUP) or "residential")
        return True
    if _VAT.search(turn.folded) and day:  # "sang năm 2027 thuế VAT còn 8% không?"
        dispatcher.utter_message(text=texts.vat_in_year(clock.today(), day))
        return True
    if not _VAT.search(turn.folded) or topic(tracker) not in ("calculator", "bill", "tariff"):
        return False
    if topic(tracker) == "calculator" and kwh:
        last = Calculation(kwh, int(tracker.get_slot(HOUSEHOLDS) or 1), tracker.get_slot(CALC_GROUP) or "residential")
        try:
            dispatcher.utter_message(text=texts.vat_breakdown(calculate(last), "Số tiền em vừa tính"))
            return True
        except TariffError:
            pass
    dispatcher.utter_message(text=texts.vat_note(clock.today(), topic(tracker)))
    return True


def answer_calculation_asked(dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn) -> List[EventType]:
    calc = calculation_asked(turn, tracker)
    if calc is None:
        return answer_calculation(dispatcher, None)
    return answer_calculation(dispatcher, calc.kwh, calc.households, calc.day, calc.group)


# Customer groups whose tariff is not the residential one (folded words).
GROUPS = {
    "business": re.compile(r"\b(kinh doanh|buon ban|cua hang|quan an|nha hang|khach san|van phong|business|thuong mai|dich vu)\b"),
    "production": re.compile(r"\b(san xuat|nha may|xuong|cong nghiep|production|factory)\b"),
    "prepaid": re.compile(r"\b(tra truoc|the tra truoc|prepaid)\b"),
}


TARIFF_GROUP = "tariff_group"  # the customer group of the last prices given
HOURS = re.compile(r"\b(may gio|khung gio|gio nao|tu may|den may|luc nao|khi nao)\b")
TIME_OF_USE = re.compile(r"\b(cao diem|thap diem|binh thuong|gio|peak|off peak)\b")
# Price questions the knowledge base answers better than a table (tenants' quota, meter testing fee…).
KNOWLEDGE_TOPICS = re.compile(r"\b(thue tro|nguoi thue|ho thue|thue nha|thue ngan han|hop dong thue|kiem dinh|trich no|tu dong|dinh muc|hanh chinh|benh vien|truong hoc|"
                              r"chieu sang|cao diem|thap diem|gio binh thuong)\b")


async def answer_tariff(dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn) -> List[EventType]:
    remembered = (TIME_OF_USE.search(turn.folded) and tracker.get_slot(TARIFF_GROUP) in ("business", "production")
                  and not HOURS.search(turn.folded))  # "giờ cao điểm là mấy giờ?": the hours, from the knowledge base
    if KNOWLEDGE_TOPICS.search(turn.folded) and not remembered and not any(w.search(turn.folded) for w in GROUPS.values()):
        return await answer_faq(dispatcher, tracker, turn)
    today = clock.today()
    tariff = tariff_on(today)
    group = next((name for name, words in GROUPS.items() if words.search(turn.folded)), None)
    if group is None and TIME_OF_USE.search(turn.folded) and tracker.get_slot(TARIFF_GROUP) in ("business", "production"):
        group = tracker.get_slot(TARIFF_GROUP)  # "còn giờ cao điểm?" after the business prices
    if group is None:
        dispatcher.utter_message(text=texts.tariff_table(tariff, today))
        return [SlotSet(TOPIC, "tariff"), SlotSet("offer", "calculate")]
    dispatcher.utter_message(text=texts.group_tariff(group, tariff, today))
    return [SlotSet(TOPIC, "tariff"), SlotSet(TARIFF_GROUP, group)]


# --- knowledge base ---------------------------------------------------------------------


# What a short question is about, by the form in progress or the topic of the conversation (for the search).
SUBJECTS = {
    "new_connection": "đăng ký cấp điện mới", "complaint": "thời gian giải quyết phản ánh, khiếu nại",
    "contract_change": "thay đổi hợp đồng mua bán điện", "bill": "thanh toán tiền điện", "payment": "thanh toán tiền điện",
    "outage_schedule": "lịch ngừng cấp điện", "outage_report": "sự cố mất điện", "calculator": "giá điện sinh hoạt",
    "tariff": "giá điện", "reading": "chỉ số công tơ",
}


def _subject(tracker: Tracker) -> Optional[str]:
    form = ((tracker.active_loop or {}).get("name") or "").removesuffix("_form")
    form = {"change_contract": "contract_change", "report_outage": "outage_report", "verify_customer": ""}.get(form, form)
    return SUBJECTS.get(form) or SUBJECTS.get(topic(tracker) or "")


_CLAUSES = re.compile(r"\s*[,;?]\s*|\s+(?:và|va|còn|con|với lại|voi lai)\s+", re.IGNORECASE)


async def _other_answers(question: str, given: str) -> List[str]:
    """A message that asks two things: the answer of its other question, when the knowledge base is sure of it."""
    parts = [part for part in _CLAUSES.split(question) if len(part.split()) >= 3 and is_question(part)]
    if len(parts) < 2:
        return []
    for part in parts:
        result = await search_knowledge_base(part, log_unanswered=False)
        if result and result.get("answered") and result.get("results") and answer_text(result) != given:
            return [answer_text(result)]
    return []


# An answer that invites the customer code offers a lookup: the code that follows is for it.
_LOOKUPS = (("reading", re.compile(r"\b(chi so|ghi dien|ghi so|cong to|tieu thu)\b")),
            ("payment", re.compile(r"\b(han|thanh toan|dong tien|tra tien|no)\b")),
            ("bill", re.compile(r"\b(hoa don|tien dien)\b")))


def lookup_named(question: str) -> Optional[str]:
    """The lookup a (folded) question is about: ``reading``, ``payment`` or ``bill``, else None."""
    return next((name for name, words in _LOOKUPS if words.search(question)), None)


def _lookup_offered(question: str, answer: str) -> Optional[str]:
    return lookup_named(question) if "ma khach hang" in answer else None


async def answer_faq(dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn) -> List[EventType]:
    if answer_vat_follow_up(dispatcher, tracker, turn):
        return []
    subject = _subject(tracker)
    result = await search_knowledge_base(turn.text, log_unanswered=not subject) if turn.text else None
    if result is not None and not result.get("answered") and subject:
        # "mất bao lâu, có tốn phí không?" in a new connection: the question is about what the conversation is about.
        result = await search_knowledge_base(f"{turn.text} ({subject})") or result
    if result is None:
        dispatcher.utter_message(response="utter_faq_unavailable")
        return []
    if result.get("answered") and result.get("results"):
        text = answer_text(result)
        dispatcher.utter_message(text=text)
        for other in await _other_answers(turn.text, text):  # "quá hạn có bị cắt điện không, giờ đóng qua ZaloPay được không"
            dispatcher.utter_message(text=other)
        return [SlotSet(TOPIC, _lookup_offered(turn.folded, folded(text)) or "faq")]
    dispatcher.utter_message(response="utter_faq_not_found")
    return [SlotSet(TOPIC, "faq"), SlotSet("offer", "human")]


# --- planned outages ------------------------------------------------------------------


async def answer_outage_schedule(
    dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn, client: BackOfficeClient
) -> List[EventType]:
    """By the area named now, else the customer code named now, else the area or code of the conversation."""
    location = turn.entity("location") or tracker.get_slot("location")
    named_codes = codes_in(turn.text, CUSTOMER_CODE)
    code = named_codes[0] if named_codes else None
    if not location and not code:
        location = tracker.get_slot(AREA)
        code = None if location else (verified_code(tracker) or tracker.get_slot("customer_code"))
    if code:
        # By code, the customer's own area: its street and ward only once verified, and an unknown
        # code answers like a code without outages (no one learns which codes exist, or where).
        verified = code == verified_code(tracker)
        try:
            outages = await client.planned_outages(customer_code=code)
        except NotFound:
            outages = []
        dispatcher.utter_message(text=texts.outages_list("khu vực của mã khách hàng " + code, outages,
                                                         show_place=verified))
        return [SlotSet(TOPIC, "outage_schedule"), SlotSet("location", None), shown_outages(outages, verified)]
    if location:
        outages = await client.planned_outages(area=location)
        where = place_label(location, outages)
    else:
        dispatcher.utter_message(response="utter_ask_outage_area")
        return [SlotSet(TOPIC, "outage_schedule")]
    dispatcher.utter_message(text=texts.outages_list(where, outages))
    return [SlotSet(TOPIC, "outage_schedule"), SlotSet(AREA, location), SlotSet("location", None), shown_outages(outages)]


def place_label(location: str, outages: List[Dict[str, Any]]) -> str:
    """The place as the back office spells it (with diacritics) when it knows it, else as the customer wrote it."""
    for outage in outages:
        for key in ("ward", "district"):
            name = outage.get(key) or ""
            if name and texts.same_place(name, location):
                return name
    return texts.place_name(location)


# --- request progress -----------------------------------------------------------------


async def answer_request_status(
    dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn, client: BackOfficeClient
) -> List[EventType]:
    """A request's progress, once the customer gives the last 4 digits of the phone it was filed with
    (a request code alone proves nothing: whoever reads or guesses it would see the request)."""
    named = codes_in(turn.text, REQUEST_CODE)
    code = named[0] if named else canonical_request_code(tracker.get_slot("request_code") or "")
    if not code:
        dispatcher.utter_message(response="utter_ask_request_code")
        return [SlotSet(TOPIC, "request_status")]
    last4 = _request_last4(turn, tracker)
    if not last4:
        dispatcher.utter_message(response="utter_ask_request_phone_last4", code=code)
        return [SlotSet(TOPIC, "request_status"), SlotSet("request_code", code)]
    lookups = attempts.limits()["request_lookup"]
    wait = lookups.wait_seconds(tracker.sender_id)
    try:
        if wait:
            raise Locked("too many lookups that found nothing in this conversation", wait)
        request = await client.request(code, last4)
    except NotFound:
        lookups.failed(tracker.sender_id)
        dispatcher.utter_message(response="utter_unknown_request_code", code=code)
        # Both kept: "à nhầm, 7888" is tried with the code, "nhầm mã, là YC…" with the digits.
        return [SlotSet(TOPIC, "request_status"), SlotSet("request_code", code), SlotSet(DIGITS_TRIED, last4)]
    except Locked as locked:
        dispatcher.utter_message(response="utter_request_lookup_locked", minutes=attempts.minutes_of(locked.retry_after or 900))
        return [SlotSet(TOPIC, "request_status"), SlotSet("request_code", None), SlotSet(DIGITS_TRIED, None)]
    lookups.succeeded(tracker.sender_id)
    dispatcher.utter_message(text=texts.request_progress(request))
    return [SlotSet(TOPIC, "request_status"), SlotSet("request_code", code), SlotSet(DIGITS_TRIED, None)]


_REQUEST_CODE_SPAN = re.compile(r"(?i)\b(?:yc|sc|hd|kn)[\s\-]*\d(?:[\s\-]?\d){9}\b")


DIGITS_TRIED = "request_digits_tried"


def _request_last4(turn: Turn, tracker: Tracker) -> Optional[str]:
    """The phone digits of this message (outside the code), else of the phone given in this conversation,
    else those of the last lookup that found nothing ("à nhầm, YC…" right after it is tried with them)."""
    text = _REQUEST_CODE_SPAN.sub(" ", turn.text or "")
    phone = parse_phone(text)
    if phone:
        return phone[-4:]
    digits = re.findall(r"(?<!\d)\d{4}(?!\d)", folded(text))
    if len(digits) == 1:
        return digits[0]
    given = canonical_phone(tracker.get_slot("phone") or "")
    return given[-4:] if given else tracker.get_slot(DIGITS_TRIED)


# --- one entry point for quick questions ------------------------------------------------


async def answer_quick_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn
) -> Optional[List[EventType]]:
    """The answer to a quick question (faq, tariff, calculator, schedule…), or None if the turn is not one."""
    intent = turn.intent
    if intent == "payment_methods":
        dispatcher.utter_message(response="utter_payment_methods")
        return []
    if intent == "bot_challenge":
        dispatcher.utter_message(response="utter_iamabot")
        return []
    if intent == "out_of_scope":
        dispatcher.utter_message(response="utter_out_of_scope_short")
        return []
    if intent == "ask_tariff":
        return await answer_tariff(dispatcher, tracker, turn)
    if intent == "calculate_bill":
        return answer_calculation_asked(dispatcher, tracker, turn)
    if intent == "faq" or intent == "nlu_fallback":
        return await answer_faq(dispatcher, tracker, turn)
    if intent in ("check_outage_schedule", "check_request_status"):
        try:
            client = BackOfficeClient.from_env()
            if intent == "check_outage_schedule":
                return await answer_outage_schedule(dispatcher, tracker, turn, client)
            return await answer_request_status(dispatcher, tracker, turn, client)
        except BackOfficeUnavailable:
            dispatcher.utter_message(response="utter_backoffice_down")
            return []
        except BackOfficeError:
            dispatcher.utter_message(response="utter_not_found")
            return []
    return None
