"""Customer verification: customer code + last 4 digits of the registered phone.

Bill, payment, reading and contract details are only shown for a code verified
in this conversation. The verified code is remembered (slot
``verified_customer_code``): the verification slots of a form are skipped once
it is done. Three failed attempts stop verification for the rest of the
conversation and the bot offers a staff member.

Every form that needs a verified customer starts with the slots
``customer_code`` and ``phone_last4`` and validates them with
:class:`VerificationSlots`; ``verify_customer_form`` has only those two and is
used before answering bill, payment and reading questions.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backoffice import BackOfficeClient, BackOfficeUnavailable, NotFound, Rejected
from bot.text.codes import canonical_customer_code, find_codes

MAX_FAILURES = 3
VERIFICATION_SLOTS = ("customer_code", "phone_last4")
VERIFIED = "verified_customer_code"
FAILURES = "verification_failures"
ABORTED = "verification_aborted"


def verified_code(tracker: Tracker) -> Optional[str]:
    """The verified code, unless the customer has since named another code."""
    verified = tracker.get_slot(VERIFIED)
    named = canonical_customer_code(tracker.get_slot("customer_code") or "")
    if verified and (named is None or named == verified):
        return verified
    return None


def failures(tracker: Tracker) -> int:
    return int(tracker.get_slot(FAILURES) or 0)


def verification_stopped(tracker: Tracker) -> bool:
    """Too many failed attempts, or the back office could not verify."""
    return failures(tracker) >= MAX_FAILURES or bool(tracker.get_slot(ABORTED))


def last4_from(text: Optional[str]) -> Optional[str]:
    """The 4 digits the customer gave: ``3456``, ``số cuối 3456`` or a whole phone number."""
    if not text:
        return None
    phones = [c.value for c in find_codes(text) if c.entity == "phone"]
    if phones:
        return phones[0][-4:]
    digits = re.findall(r"(?<!\d)\d{4}(?!\d)", text)
    return digits[-1] if len(digits) == 1 else None


class VerificationSlots(FormValidationAction, ABC):
    """Validation of ``customer_code`` + ``phone_last4`` for any form that starts with them."""

    @abstractmethod
    def name(self) -> Text:
        """``validate_<form name>`` of the concrete form."""

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        if verification_stopped(tracker):
            return []
        if verified_code(tracker):
            return [slot for slot in domain_slots if slot not in VERIFICATION_SLOTS]
        return domain_slots

    async def extract_phone_last4(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "phone_last4":
            return {}
        text = tracker.latest_message.get("text") or ""
        if not re.search(r"\d", text):
            return {}  # not an answer (a question, a remark): the form lets the dialogue handle it
        return {"phone_last4": last4_from(text) or "invalid"}

    async def validate_customer_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        code = canonical_customer_code(str(value or ""))
        if code is None:
            dispatcher.utter_message(response="utter_invalid_customer_code")
            return {"customer_code": None}
        if code == tracker.get_slot(VERIFIED):
            return {"customer_code": code}
        try:
            await BackOfficeClient.from_env().customer(code)
        except NotFound:
            dispatcher.utter_message(response="utter_unknown_customer_code", customer_code=code)
            return {"customer_code": None}
        except (BackOfficeUnavailable, Rejected):
            dispatcher.utter_message(response="utter_backoffice_down")
            return {"customer_code": None, ABORTED: True}
        return {"customer_code": code}

    async def validate_phone_last4(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if not value or not re.fullmatch(r"\d{4}", str(value)):
            dispatcher.utter_message(response="utter_invalid_phone_last4")
            return {"phone_last4": None}
        code = tracker.get_slot("customer_code")
        try:
            verified = await BackOfficeClient.from_env().verify(code, str(value))
        except (BackOfficeUnavailable, Rejected, NotFound):
            dispatcher.utter_message(response="utter_backoffice_down")
            return {"phone_last4": None, ABORTED: True}
        if verified:
            dispatcher.utter_message(response="utter_verified")
            return {"phone_last4": None, VERIFIED: code, FAILURES: 0}
        failed = failures(tracker) + 1
        if failed >= MAX_FAILURES:
            dispatcher.utter_message(response="utter_verification_locked")
        else:
            dispatcher.utter_message(response="utter_verification_failed", remaining=MAX_FAILURES - failed)
        return {"phone_last4": None, FAILURES: failed}


class ValidateVerifyCustomerForm(VerificationSlots):
    def name(self) -> Text:
        return "validate_verify_customer_form"


class ActionCancelForm(Action):
    """The customer changed their mind in the middle of a form."""

    def name(self) -> Text:
        return "action_cancel_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_cancelled")
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("phone_last4", None)]
