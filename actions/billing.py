"""Bills, payments, meter readings (verified customers) and the tariff and bill calculator (anyone)."""

from __future__ import annotations

from typing import List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import clock, texts
from actions.slots import households_of
from actions.answers import TOPIC, answer_calculation, answer_tariff, answer_vat_follow_up, kwh_of
from actions.backoffice import BackOfficeClient, NotFound
from actions.base import BackOfficeAction
from actions.attempts import minutes_of
from actions.forms import LOOKUP, close_unfinished, verification_wait, verified_code
from actions.periods import MONTH, PREVIOUS, RECENT, PeriodQuery, month_label, parse_period
from actions.turn import Turn

PERIOD = "period"  # the billing month the conversation is about, YYYY-MM


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
        return events
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
    dispatcher.utter_message(text=texts.debt_summary(code, debt))
    if debt.get("unpaid_bills"):
        dispatcher.utter_message(response="utter_payment_methods")
    return events


async def answer_meter_reading(dispatcher: CollectingDispatcher, tracker: Tracker, code: str, client: BackOfficeClient) -> List[EventType]:
    readings = await client.readings(code, limit=3)
    dispatcher.utter_message(
        text=texts.readings_summary(code, readings) if readings else "Dạ, chưa có chỉ số công tơ nào được ghi cho mã này ạ."
    )
    return [SlotSet(TOPIC, "reading")]


async def answer_bill_rise(dispatcher: CollectingDispatcher, tracker: Tracker, code: str, client: BackOfficeClient) -> List[EventType]:
    """Why a bill rose: the last bills and readings side by side, then the offer of a re-check."""
    bills = await client.bills(code, limit=3)
    readings = await client.readings(code, limit=3)
    dispatcher.utter_message(text=texts.bill_comparison(code, bills, readings))
    return [SlotSet(TOPIC, "bill"), SlotSet("offer", "complaint")]


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
            if intent in VERIFIED_ANSWERS:
                return intent, text
    return None, ""


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
        request = pending_request(tracker)[0] or (tracker.latest_message.get("intent") or {}).get("name")
        if request not in VERIFIED_ANSWERS:
            return []
        return await VERIFIED_ANSWERS[request](dispatcher, tracker, code, client)


class ActionCalculateBill(Action):
    def name(self) -> Text:
        return "action_calculate_bill"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        turn = Turn.of(tracker)
        if answer_vat_follow_up(dispatcher, tracker, turn):
            return []
        kwh = kwh_of(turn, tracker)
        if kwh is None and tracker.get_slot(TOPIC) == "tariff":
            return await answer_tariff(dispatcher, tracker, turn)  # "sản xuất thì sao?" after a price table
        if kwh == 1:
            return await answer_tariff(dispatcher, tracker, turn)  # "1 số bao nhiêu?": the price, of the group asked about
        return answer_calculation(dispatcher, kwh, households_of(turn.text))


class ActionAskTariff(Action):
    def name(self) -> Text:
        return "action_ask_tariff"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        turn = Turn.of(tracker)
        if answer_vat_follow_up(dispatcher, tracker, turn):
            return []
        return await answer_tariff(dispatcher, tracker, turn)
