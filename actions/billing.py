"""Bills, payments, meter readings (verified customers) and the tariff and bill calculator (anyone)."""

from __future__ import annotations

import datetime as dt
import re
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import texts
from actions.backoffice import BackOfficeClient, NotFound
from actions.base import BackOfficeAction
from actions.periods import MONTH, PREVIOUS, RECENT, month_label, parse_period
from actions.verification import ABORTED, MAX_FAILURES, failures, verified_code
from tariff import TariffError, residential_bill, tariff_on, vat_rate_on

MAX_KWH_ASKED = 100_000


def _month_words(tracker: Tracker) -> Optional[str]:
    """The month the customer named: the entity if the NLU found one, else the message itself."""
    return tracker.get_slot("month") or tracker.latest_message.get("text")


async def answer_bill(dispatcher: CollectingDispatcher, tracker: Tracker, code: str, client: BackOfficeClient) -> List[EventType]:
    query = parse_period(_month_words(tracker)) or parse_period("tháng này")
    if query.kind == RECENT:
        bills = await client.bills(code, limit=query.count)
        dispatcher.utter_message(text=texts.bills_summary(code, bills) if bills else "Dạ, mã khách hàng này chưa có hóa đơn nào ạ.")
    elif query.kind == MONTH:
        try:
            dispatcher.utter_message(text=texts.bill_details(code, await client.bill(code, query.period)))
        except NotFound:
            dispatcher.utter_message(response="utter_no_bill_for_month", month=month_label(query.period))
    else:
        bills = await client.bills(code, limit=2)
        index = 1 if query.kind == PREVIOUS else 0
        if len(bills) <= index:
            dispatcher.utter_message(text="Dạ, mã khách hàng này chưa có hóa đơn cho kỳ đó ạ.")
        else:
            dispatcher.utter_message(text=texts.bill_details(code, bills[index]))
    return [SlotSet("month", None)]


async def answer_payment_status(dispatcher: CollectingDispatcher, tracker: Tracker, code: str, client: BackOfficeClient) -> List[EventType]:
    debt = await client.debt(code)
    dispatcher.utter_message(text=texts.debt_summary(code, debt))
    if debt.get("unpaid_bills"):
        dispatcher.utter_message(response="utter_payment_methods")
    return []


async def answer_meter_reading(dispatcher: CollectingDispatcher, tracker: Tracker, code: str, client: BackOfficeClient) -> List[EventType]:
    readings = await client.readings(code, limit=3)
    dispatcher.utter_message(
        text=texts.readings_summary(code, readings) if readings else "Dạ, chưa có chỉ số công tơ nào được ghi cho mã này ạ."
    )
    return []


# The requests that need a verified customer, by the intent that asked for them.
VERIFIED_ANSWERS = {
    "check_bill": answer_bill,
    "check_payment_status": answer_payment_status,
    "check_meter_reading": answer_meter_reading,
}


def pending_request(tracker: Tracker) -> Optional[str]:
    """The latest intent of this conversation that asked for a verified answer."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
            if intent in VERIFIED_ANSWERS:
                return intent
    return None


class ActionAnswerVerifiedRequest(BackOfficeAction):
    """Runs after ``verify_customer_form``: answers the bill, payment or reading question."""

    def name(self) -> Text:
        return "action_answer_verified_request"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        code = verified_code(tracker)
        if code is None:
            if failures(tracker) >= MAX_FAILURES:
                dispatcher.utter_message(response="utter_verification_locked")
            # A back-office outage stopped this verification (the customer was told); the next request tries again.
            return [SlotSet(ABORTED, False)]
        intent = pending_request(tracker) or (tracker.latest_message.get("intent") or {}).get("name")
        if intent not in VERIFIED_ANSWERS:
            return []
        return await VERIFIED_ANSWERS[intent](dispatcher, tracker, code, client)


def kwh_from(value: Optional[str]) -> Optional[str]:
    """``150 số``, ``1.500kwh``, ``320 ký`` -> ``150``, ``1500``, ``320``."""
    if not value:
        return None
    match = re.search(r"-?\d[\d.,]*", value)
    if not match:
        return None
    number = match.group(0).rstrip(".,")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", number):  # Vietnamese thousands separator
        number = number.replace(".", "")
    return number.replace(",", ".")


class ActionCalculateBill(Action):
    def name(self) -> Text:
        return "action_calculate_bill"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        amount = kwh_from(tracker.get_slot("kwh"))
        if amount is None:
            dispatcher.utter_message(response="utter_ask_kwh")
            return []
        try:
            breakdown = residential_bill(amount)
            if breakdown.kwh > MAX_KWH_ASKED:
                raise TariffError("too large")
        except TariffError:
            dispatcher.utter_message(response="utter_invalid_kwh")
            return [SlotSet("kwh", None)]
        dispatcher.utter_message(text=texts.calculation(breakdown))
        return [SlotSet("kwh", None)]


class ActionAskTariff(Action):
    def name(self) -> Text:
        return "action_ask_tariff"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        today = dt.date.today()
        dispatcher.utter_message(text=texts.tariff_table(tariff_on(today), vat_rate_on(today)))
        return []
