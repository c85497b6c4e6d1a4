"""Bills, payments, meter readings (verified customers) and the tariff and bill calculator (anyone)."""

from __future__ import annotations

import re
from typing import List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import clock, texts
from actions.answers import (
    KNOWLEDGE_TOPICS, PERIOD, SHOWN_COUNT, TOPIC, answer_calculation, answer_outage_schedule, answer_tariff,
    calculation_asked,
)
from actions.context import ContextOrResponse, answer_in_context
from actions.backoffice import BackOfficeClient, BackOfficeError, NotFound
from actions.base import BackOfficeAction
from actions.attempts import minutes_of
from actions.forms import LOOKUP, close_unfinished, verification_wait, verified_code
from actions.periods import MAX_RECENT, MONTH, PREVIOUS, RECENT, PeriodQuery, month_label, parse_period
from actions.turn import Turn
from bot.text.vietnamese import fold_diacritics



def period_query(tracker: Tracker) -> Optional[PeriodQuery]:
    """The month the customer named in the request (the entity, else the words), else the month of the conversation."""
    for words in (tracker.get_slot("month"), Turn.of(tracker).text, pending_request(tracker)[1]):
        query = parse_period(words, clock.today()) if words else None
        if query:
            return query
    if tracker.get_slot(PERIOD) and Turn.of(tracker).text and _means_that_month(Turn.of(tracker).folded):
        return PeriodQuery(MONTH, period=tracker.get_slot(PERIOD))
    return None


def _means_that_month(folded: str) -> bool:
    return any(w in folded for w in ("thang do", "ky do", "thang nay", "ky nay", "thang day", "thang ay", "hoa don do"))


async def answer_bill(dispatcher: CollectingDispatcher, tracker: Tracker, code: str, client: BackOfficeClient) -> List[EventType]:
    query = period_query(tracker) or parse_period("tháng này", clock.today())
    events: List[EventType] = [SlotSet("month", None), SlotSet(TOPIC, "bill")]
    if query.kind == RECENT:
        bills = await client.bills(code, limit=query.count)
        dispatcher.utter_message(text=texts.bills_summary(code, bills) if bills else "Dạ, mã khách hàng này chưa có hóa đơn nào ạ.")
        return events + [SlotSet(SHOWN_COUNT, len(bills))]
    if query.kind == MONTH:
        try:
            bill = await client.bill(code, query.period)
        except NotFound:
            dispatcher.utter_message(response="utter_no_bill_for_month", month=month_label(query.period))
            return events + [SlotSet("offer", "latest_bill")]
    else:
        bills = await client.bills(code, limit=2)
        index = 1 if query.kind == PREVIOUS else 0
        if len(bills) <= index:
            dispatcher.utter_message(text="Dạ, mã khách hàng này chưa có hóa đơn cho kỳ đó ạ.")
            return events
        bill = bills[index]
    dispatcher.utter_message(text=texts.bill_details(code, bill))
    return events + [SlotSet(PERIOD, bill["period"])]


async def answer_payment_status(dispatcher: CollectingDispatcher, tracker: Tracker, code: str, client: BackOfficeClient) -> List[EventType]:
    query = period_query(tracker)
    events: List[EventType] = [SlotSet("month", None), SlotSet(TOPIC, "payment")]
    if query is not None and query.kind == MONTH:
        try:
            bill = await client.bill(code, query.period)
        except NotFound:
            dispatcher.utter_message(response="utter_no_bill_for_month", month=month_label(query.period))
            return events
        dispatcher.utter_message(text=texts.bill_payment(code, bill))
        return events + [SlotSet(PERIOD, bill["period"])]
    debt = await client.debt(code)
    latest = None if debt.get("unpaid_bills") else next(iter(await client.bills(code, limit=1)), None)
    dispatcher.utter_message(text=texts.debt_summary(code, debt, latest))
    if debt.get("unpaid_bills"):
        dispatcher.utter_message(response="utter_payment_methods")
        return events
    return events + ([SlotSet(PERIOD, latest["period"])] if latest else [])


async def answer_meter_reading(dispatcher: CollectingDispatcher, tracker: Tracker, code: str, client: BackOfficeClient) -> List[EventType]:
    """The readings of the month asked ("chỉ số tháng 9"), of the last N months ("6 tháng gần đây"), else of the last 3."""
    query = period_query(tracker)
    events: List[EventType] = [SlotSet("month", None), SlotSet(TOPIC, "reading")]
    count = query.count if query is not None and query.kind == RECENT else 3
    readings = await client.readings(code, limit=MAX_RECENT if query is not None and query.kind == MONTH else count)
    if query is not None and query.kind in (MONTH, PREVIOUS):
        chosen = [r for r in readings if r["period"] == query.period] if query.kind == MONTH else readings[1:2]
        if not chosen:
            dispatcher.utter_message(response="utter_no_bill_for_month", month=month_label(query.period or ""))
            return events
        dispatcher.utter_message(text=texts.readings_summary(code, chosen))
        return events + [SlotSet(PERIOD, chosen[0]["period"])]
    dispatcher.utter_message(
        text=texts.readings_summary(code, readings) if readings else "Dạ, chưa có chỉ số công tơ nào được ghi cho mã này ạ."
    )
    return events + [SlotSet(SHOWN_COUNT, len(readings))]


async def answer_bill_rise(dispatcher: CollectingDispatcher, tracker: Tracker, code: str, client: BackOfficeClient) -> List[EventType]:
    """Why a bill rose: the bill asked about ("tháng 8", else the latest) beside the two before it, with their
    readings, then the offer of a re-check."""
    words = pending_request(tracker)[1]  # the question about the rise names the month; the month slot may be another
    query = parse_period(words, clock.today()) if words else None
    if query is not None and query.kind == MONTH:
        recent = await client.bills(code, limit=MAX_RECENT)
        start = next((i for i, b in enumerate(recent) if b["period"] == query.period), 0)
        bills = recent[start:start + 3]
        readings = [r for r in await client.readings(code, limit=MAX_RECENT) if r["period"] in {b["period"] for b in bills}]
    else:
        bills = await client.bills(code, limit=3)
        readings = await client.readings(code, limit=3)
    dispatcher.utter_message(text=texts.bill_comparison(code, bills, readings))
    return [SlotSet(TOPIC, "bill"), SlotSet("offer", "complaint")]


# The request a conversation's topic stands for, when the customer gives a code after an answer about it.
TOPIC_REQUESTS = {"bill": "check_bill", "payment": "check_payment_status", "reading": "check_meter_reading"}
# The requests that need a verified customer, by the intent that asked for them.
VERIFIED_ANSWERS = {
    "check_bill": answer_bill,
    "check_payment_status": answer_payment_status,
    "check_meter_reading": answer_meter_reading,
    "bill_rise": answer_bill_rise,
}


def pending_request(tracker: Tracker) -> Tuple[Optional[str], str]:
    """The latest request of this conversation that asked for a verified answer, and the words it was asked in."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            parse = event.get("parse_data") or {}
            intent = (parse.get("intent") or {}).get("name")
            text = event.get("text") or ""
            if intent in BILL_RISE_INTENTS and texts.asks_why_bill_rose(text):
                return "bill_rise", text
            if intent in ("check_bill", "check_payment_status") and _READING_WORDS.search(fold_diacritics(text).lower()):
                return "check_meter_reading", text  # "cho xin chỉ số điện tháng 9": the meter, not the bill
            if intent in VERIFIED_ANSWERS:
                return intent, text
    return None, ""


_SCHEDULE_WORDS = re.compile(r"\b(lich|cup dien|cat dien|ngung cap dien|mat dien)\b")
_READING_WORDS = re.compile(r"\b(chi so|so cong to|so dong ho|chot so|ghi so)\b")
BILL_RISE_INTENTS = ("check_bill", "complaint", "faq", "check_meter_reading")


class ActionAnswerVerifiedRequest(BackOfficeAction):
    """Runs after ``verify_customer_form``: answers the bill, payment or reading question."""

    def name(self) -> Text:
        return "action_answer_verified_request"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        unfinished = close_unfinished(dispatcher, tracker, LOOKUP)
        if unfinished is not None:
            return unfinished
        code = verified_code(tracker)
        if code is None:
            wait = verification_wait(tracker)
            if wait:
                dispatcher.utter_message(response="utter_verification_locked", minutes=minutes_of(wait))
            return []
        if not _just_verified(tracker):  # "trả qua cái gì vậy?" about the bill on screen
            answered = await answer_in_context(dispatcher, tracker, Turn.of(tracker), client)
            if answered is not None:
                return answered
        request = pending_request(tracker)[0] or (tracker.latest_message.get("intent") or {}).get("name")
        if request not in VERIFIED_ANSWERS:
            request = TOPIC_REQUESTS.get(tracker.get_slot(TOPIC) or "")  # a code given after the bot offered a lookup
        if request not in VERIFIED_ANSWERS:
            return []
        return await VERIFIED_ANSWERS[request](dispatcher, tracker, code, client)


def _just_verified(tracker: Tracker) -> bool:
    """The verification happened in this turn: the request is the one asked before it."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == "verified_customer_code" and event.get("value"):
            return True
    return False


class ActionPaymentMethods(ContextOrResponse):
    """How to pay; "trả qua cái gì?" about a bill just shown is how that bill was paid."""

    response = "utter_payment_methods"

    def name(self) -> Text:
        return "action_payment_methods"


class ActionCalculateBill(Action):
    def name(self) -> Text:
        return "action_calculate_bill"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        turn = Turn.of(tracker)
        answered = await answer_in_context(dispatcher, tracker, turn)  # "có tính VAT chưa?", "vậy có tính bậc thang không?"
        if answered is not None:
            return answered
        calc = calculation_asked(turn, tracker)
        if calc is None and (tracker.get_slot(TOPIC) == "tariff" or KNOWLEDGE_TOPICS.search(turn.folded)):
            return await answer_tariff(dispatcher, tracker, turn)  # "sản xuất thì sao?" after a price table
        if calc is not None and calc.kwh == 1:
            return await answer_tariff(dispatcher, tracker, turn)  # "1 số bao nhiêu?": the price, of the group asked about
        if calc is None:
            return answer_calculation(dispatcher, None)
        events = answer_calculation(dispatcher, calc.kwh, calc.households, calc.day, calc.group)
        if turn.entity("location") and _SCHEDULE_WORDS.search(turn.folded):
            # "100 số bao nhiêu tiền, mà tuần này Sơn Trà có lịch cúp điện không?": the schedule too
            try:
                events += await answer_outage_schedule(dispatcher, tracker, turn, BackOfficeClient.from_env())
            except BackOfficeError:
                dispatcher.utter_message(response="utter_backoffice_down")
        return events


class ActionAskTariff(Action):
    def name(self) -> Text:
        return "action_ask_tariff"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        turn = Turn.of(tracker)
        answered = await answer_in_context(dispatcher, tracker, turn)  # "có tính VAT chưa?", "vậy có tính bậc thang không?"
        if answered is not None:
            return answered
        calc = calculation_asked(turn, tracker) if tracker.get_slot(TOPIC) == "calculator" else None
        if calc is not None:  # "nếu là điện sản xuất thì sao?" after a calculation: the same kWh at that price
            return answer_calculation(dispatcher, calc.kwh, calc.households, calc.day, calc.group)
        return await answer_tariff(dispatcher, tracker, turn)
