"""Messages that only make sense in context: a bare value ("còn phường X thì sao?", "300 số?") and yes/no answers."""

from __future__ import annotations

import re
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import clock
from actions.answers import (
    TOPIC, answer_calculation, answer_outage_schedule, answer_request_status, answer_tariff,
    calculation_asked, kwh_of, lookup_named, topic,
)
from actions.backoffice import BackOfficeClient
from actions.base import BackOfficeAction
from actions.billing import VERIFIED_ANSWERS, answer_bill
from actions.context import ContextOrResponse, answer_in_context
from actions.forms import verified_code
from actions.periods import parse_period
from actions.slots import codes_in, folded, parse_person_name, parse_phone
from actions.turn import Turn
from bot.text.codes import CUSTOMER_CODE, REQUEST_CODE

OFFER = "offer"  # what the bot's last question offered: human, calculate, latest_bill, complaint
VERIFIED_TOPICS = {"bill": "check_bill", "payment": "check_payment_status", "reading": "check_meter_reading"}


class ActionFollowUp(BackOfficeAction):
    """``inform``: a value without a request; the topic of the conversation says what it is for."""

    def name(self) -> Text:
        return "action_follow_up"

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        turn = Turn.of(tracker)
        current = topic(tracker)
        answered = await answer_in_context(dispatcher, tracker, turn, client)  # "có tính VAT chưa?", "hạn chót là ngày nào?"
        if answered is not None:
            return answered
        if codes_in(turn.text, REQUEST_CODE) or turn.entity("request_code"):
            return await answer_request_status(dispatcher, tracker, turn, client)
        if current == "request_status" and tracker.get_slot("request_code") and re.search(r"(?<!\d)\d{4}(?!\d)", turn.text):
            return await answer_request_status(dispatcher, tracker, turn, client)  # the phone digits asked for
        location = turn.entity("location")
        if location and current in (None, "outage_schedule", "outage_report", "faq", "tariff"):
            return await answer_outage_schedule(dispatcher, tracker, turn, client)
        month = turn.entity("month") or parse_period(turn.text, clock.today())
        if current in VERIFIED_TOPICS and (month or codes_in(turn.text, CUSTOMER_CODE)):
            code = verified_code(tracker)
            if code and current == "bill":
                return await answer_bill(dispatcher, tracker, code, client)
            if code:
                return await VERIFIED_ANSWERS[VERIFIED_TOPICS[current]](dispatcher, tracker, code, client)
            return [FollowupAction("verify_customer_form")]
        if current == "tariff" and kwh_of(turn, tracker) is None:
            return await answer_tariff(dispatcher, tracker, turn)
        calc = calculation_asked(turn, tracker)
        if calc is not None and (current in ("calculator", "tariff") or turn.entity("kwh")):  # a bare "4321" is not kWh
            return answer_calculation(dispatcher, calc.kwh, calc.households, calc.day, calc.group)
        if codes_in(turn.text, CUSTOMER_CODE):
            if current == "outage_schedule":
                return await answer_outage_schedule(dispatcher, tracker, turn, client)
            asked = _lookup_asked_before(tracker)
            if asked:  # "bao giờ điện lực ghi chỉ số nhà mình?" then the code: that lookup, once verified
                return [SlotSet(TOPIC, asked), FollowupAction("verify_customer_form")]
            dispatcher.utter_message(response="utter_what_for_code", customer_code=codes_in(turn.text, CUSTOMER_CODE)[0])
            return []
        if parse_phone(turn.text) and current == "request_status":
            return [FollowupAction("action_check_request_status")]
        name = parse_person_name(turn.entity("person_name") or "")
        if name:
            dispatcher.utter_message(response="utter_greet_by_name", name=name)
            return []
        dispatcher.utter_message(response="utter_inform_ack")
        return []


class ActionAnswerYesNo(Action):
    """``affirm`` / ``deny`` outside a form: the answer to the bot's last offer."""

    def name(self) -> Text:
        return "action_answer_yes_no"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        turn = Turn.of(tracker)
        if turn.entity("location") and topic(tracker) in ("outage_schedule", "outage_report"):
            # "Sơn Trà có không?" after a schedule: the NLU hears "có", the customer asks about another area
            return await answer_outage_schedule(dispatcher, tracker, turn, BackOfficeClient.from_env())
        yes = (tracker.latest_message.get("intent") or {}).get("name") == "affirm"
        offer = tracker.get_slot(OFFER)
        done: List[EventType] = [SlotSet(OFFER, None)]
        if yes and offer == "human":
            dispatcher.utter_message(response="utter_request_human")
            return done
        if yes and offer == "calculate":
            dispatcher.utter_message(response="utter_ask_kwh")
            return done + [SlotSet(TOPIC, "calculator")]
        if yes and offer == "latest_bill" and verified_code(tracker):
            return done + [SlotSet("month", "tháng này"), FollowupAction("action_answer_verified_request")]
        if yes and offer == "complaint":
            return done + [FollowupAction("complaint_form")]
        if yes and tracker.get_slot("request_code") and topic(tracker) in ("new_connection", "complaint", "contract_change", "outage_report"):
            dispatcher.utter_message(response="utter_already_sent", code=tracker.get_slot("request_code"))
            return done
        dispatcher.utter_message(response="utter_affirm_ack" if yes else "utter_deny_ack")
        return done


class ActionOutOfScope(ContextOrResponse):
    """Out of scope alone ("xem bói giúp mình") is declined; after an answer it may be about it
    ("khoảng mấy giờ thì có người tới sửa?" after an outage ticket)."""

    response = "utter_out_of_scope"

    def name(self) -> Text:
        return "action_out_of_scope"


def _lookup_asked_before(tracker: Tracker, messages: int = 2) -> Optional[str]:
    """The lookup (reading, payment, bill) one of the customer's previous messages asked about."""
    users = [e for e in tracker.events if e.get("event") == "user"][:-1]
    for event in reversed(users[-messages:]):
        asked = lookup_named(folded(event.get("text") or ""))
        if asked:
            return asked
    return None
