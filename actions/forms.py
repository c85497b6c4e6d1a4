"""Forms a customer can steer: values given early, corrections, cancels, questions in between, a summary.

Every form's validation action is a :class:`GuidedForm`. On each form turn it
reads the customer's message once and decides, in this order:

1. a cancel ("hủy", "thôi để tôi hỏi ý kiến vợ đã") or a goodbye ends the form
   (``form_outcome`` = ``cancelled``); nothing is sent to the back office;
2. another request ("tra tiền điện", "gặp nhân viên") rejects the form, so the
   dialogue rules start that request;
3. values the message gives for any field are applied: an answer to the
   question asked, a correction ("khoan, số đt sai, đúng là 09…"), or values
   given before they were asked ("3 pha" in the first message);
4. a question that is not an answer ("mất bao lâu mới có điện?") is answered
   (actions/answers.py) and the form asks its question again, once;
5. anything else is not a valid answer: the customer is told what is expected,
   and after ``MAX_REASKS`` a staff member is offered and the form ends.

The next field to ask is the first one still empty; forms that write to the back
office end with a summary to confirm. The action that runs after the form (the
submit action) reads ``form_outcome`` and does nothing but say so when the form
did not complete.
"""

from __future__ import annotations

import datetime as dt
from abc import abstractmethod
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Text

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import attempts, clock, identity
from actions.attempts import minutes_of
from actions.identity import VERIFIED, VERIFIED_AT, verified_code, verified_in
from actions.answers import answer_quick_question
from actions.context import answer_in_context
from actions.texts import asks_why_bill_rose
from actions.settings import settings
from actions.backoffice import BackOfficeClient, BackOfficeUnavailable, Locked, NotFound, Rejected
from actions.slots import (
    CHANGE_TYPES, FIELD_WORDS, PURPOSES, change_type_of, codes_in, folded, is_correction, is_question, parse_address, parse_person_name, parse_phases, person_name_in, corrected_house_number,
    parse_phone, parse_province, parse_purpose, province_of, value_after_field_word,
)
from actions.turn import OTHER_REQUESTS, QUICK_QUESTIONS, SMALL_TALK, Turn
from bot.text.codes import CUSTOMER_CODE, PHONE

log = logging.getLogger(__name__)

REQUESTED = "requested_slot"
OUTCOME = "form_outcome"
REASKS = "form_reasks"
CANCELLED, GAVE_UP, STOPPED = "cancelled", "gave_up", "stopped"
ANSWERED = "answered"  # the start action answered the message in context (actions/context.py): no form to fill
MAX_REASKS = 3

# Verification (customer code + last 4 digits of the registered phone).
FAILURES = "verification_failures"
VERIFICATION_SLOTS = ("customer_code", "phone_last4")

_YES = re.compile(r"\b(dung roi|chinh xac|gui di|gui luon|xac nhan|ok|oke|dong y|chuan)\b")
WHICH_FIELD = ("Dạ, Quý khách muốn sửa thông tin nào ạ? Quý khách có thể nhắn luôn thông tin đúng, "
               "ví dụ: \"số điện thoại là 0912345678\".")
INVALID_VERIFICATION = {"customer_code": "utter_invalid_customer_code", "phone_last4": "utter_invalid_phone_last4"}
_STOP_WORDS = re.compile(r"\b(huy|thoi|dung lai|khong lam nua|khong dang ky nua|bo qua|cancel|stop|de khi khac|de mai|doi y)\b")


@dataclass(frozen=True)
class Field:
    """One value a form collects."""

    name: str
    label: str  # what the customer calls it, for "which one do you want to change?"
    parse: Callable[[Turn], Optional[str]]  # the value in an answer to this field's question
    explicit: Callable[[Turn], Optional[str]]  # the value given unprompted (stricter)
    invalid: str  # response telling what is expected (the form then asks again)


def _name_explicit(turn: Turn) -> Optional[str]:
    if not re.search(r"\b(ten|ho ten|ho va ten)\b", turn.folded):
        return None
    return (person_name_in(value_after_field_word(turn.text, "person_name")) or person_name_in(turn.text)
            or parse_person_name(turn.entity("person_name")))


def _address_explicit(turn: Turn) -> Optional[str]:
    if not FIELD_WORDS["connection_address"].search(turn.folded):
        return None
    return parse_address(value_after_field_word(turn.text, "connection_address"))


def _purpose_label(turn: Turn) -> Optional[str]:
    purpose = parse_purpose(turn.text)
    return PURPOSES[purpose] if purpose else None


def _phone_of(turn: Turn) -> Optional[str]:
    return parse_phone(turn.text) or (parse_phone(turn.entity("phone")) if turn.entity("phone") else None)


NEW_CONNECTION_FIELDS = (
    Field("person_name", "Họ tên", lambda t: person_name_in(t.text) or parse_person_name(t.entity("person_name")),
          _name_explicit, "utter_invalid_person_name"),
    Field("phone", "Số điện thoại", _phone_of, _phone_of, "utter_invalid_phone"),
    Field("connection_address", "Địa chỉ", lambda t: parse_address(t.text), _address_explicit, "utter_invalid_address"),
    Field("connection_purpose", "Mục đích sử dụng", lambda t: _purpose_label(t), _purpose_label,
          "utter_invalid_connection_purpose"),
    Field("phases", "Số pha", lambda t: parse_phases(t.text, bare_number=True), lambda t: parse_phases(t.text),
          "utter_invalid_phases"),
)


def value_before_turn(tracker: Tracker, slot: str) -> Any:
    """The slot's value before the latest message (the domain's entity mapping already set a phone in it)."""
    events = tracker.events
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    earlier = [e for e in events[:last_user] if e.get("event") == "slot" and e.get("name") == slot]
    if not earlier and not any(e.get("event") == "slot" and e.get("name") == slot for e in events):
        return tracker.get_slot(slot)  # a tracker without its history (tests): its current value
    return earlier[-1].get("value") if earlier else None


def _activating(tracker: Tracker, form: str) -> bool:
    """True on the form's first run: it was activated after the latest customer message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") == form:
            return True
    return False


def is_cancel(turn: Turn) -> bool:
    if turn.is_("cancel", sure=0.5):
        return True
    return turn.is_("deny", "goodbye") and bool(_STOP_WORDS.search(turn.folded))


class GuidedForm(FormValidationAction):
    """Validation action of a form; subclasses give the fields, the confirmation slot and verification."""

    fields: Sequence[Field] = ()
    confirm_slot: Optional[str] = None
    needs_verification = False
    trigger_intents: Sequence[str] = ()

    @abstractmethod
    def name(self) -> Text:
        """``validate_<form name>``; abstract, so the action server does not register this base."""

    # --- the order of the questions -------------------------------------------------

    def needs_fresh_verification(self, merged: Dict[str, Any]) -> bool:
        return False

    def slot_order(self, tracker: Tracker, merged: Optional[Dict[str, Any]] = None) -> List[str]:
        merged = merged or tracker.slots
        order = [f.name for f in self.fields]
        if self.needs_verification and (not verified_in(merged, tracker.sender_id) or self.needs_fresh_verification(merged)):
            order = list(VERIFICATION_SLOTS) + order
        return order + ([self.confirm_slot] if self.confirm_slot else [])

    def next_slot(self, tracker: Tracker, values: Dict[str, Any]) -> Optional[str]:
        if (values.get(OUTCOME) or tracker.get_slot(OUTCOME)) is not None:
            return None
        merged = {**tracker.slots, **values}
        return next((s for s in self.slot_order(tracker, merged) if merged.get(s) is None), None)

    # --- one form turn ----------------------------------------------------------------

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        turn = Turn.of(tracker)
        if _activating(tracker, self.form_name()) and tracker.get_slot(OUTCOME) == ANSWERED:
            return [SlotSet(REQUESTED, None)]
        if _activating(tracker, self.form_name()) and self.confirm_slot and (is_question(turn.text) or len(turn.text) < 80):
            # "sang năm VAT còn 8% không?" is no request
            answered = await answer_in_context(dispatcher, tracker, turn, calculations=False)
            if answered is not None:
                return answered + [SlotSet(OUTCOME, ANSWERED), SlotSet(REQUESTED, None)]
        if _activating(tracker, self.form_name()):
            values = self.prefill(turn, tracker)
            values.update(await self.verification_prefill(dispatcher, tracker, turn, values))
            values.setdefault(REASKS, 0)
            values.setdefault(OUTCOME, None)
        else:
            values = await self.step(dispatcher, tracker, turn)
            if values is None:
                return [ActionExecutionRejected(self.form_name())]
        return [SlotSet(k, v) for k, v in values.items()] + [SlotSet(REQUESTED, self.next_slot(tracker, values))]

    def prefill(self, turn: Turn, tracker: Tracker) -> Dict[str, Any]:
        """Values the message that started the form already gives ("cấp điện 3 pha cho nhà ở, sđt 09…")."""
        values: Dict[str, Any] = {}
        for field in self.fields:
            value = field.explicit(turn)
            if value is not None:
                values[field.name] = value
        if self.confirm_slot:
            values[self.confirm_slot] = None
        return values

    async def verification_prefill(self, dispatcher, tracker, turn, values) -> Dict[str, Any]:
        if not self.needs_verification or verified_code(tracker):
            return {}
        return await verification_step(dispatcher, tracker, turn, tracker.get_slot(REQUESTED), activating=True)

    async def step(self, dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn) -> Optional[Dict[str, Any]]:
        requested = tracker.get_slot(REQUESTED)
        reasks = int(tracker.get_slot(REASKS) or 0)
        answer = self.answer_for(requested, turn)
        # "1 pha thôi" answers the question ("thôi": only); "thôi, hủy" with no answer is a cancel.
        if answer is None and (is_cancel(turn) or turn.is_("goodbye", sure=0.5)):
            return {OUTCOME: CANCELLED}
        if requested in VERIFICATION_SLOTS:
            verification = await verification_step(dispatcher, tracker, turn, requested)
            if verification:
                extra = self.after_verification(turn) if verification.get(VERIFIED) else {}
                return {REASKS: 0, **verification, **extra}
        corrections = self.corrections(turn, requested, tracker)
        if requested == self.confirm_slot:
            return self.confirmation(dispatcher, tracker, turn, corrections, reasks)
        if answer is not None:
            return {REASKS: 0, **corrections, requested: answer}
        if corrections:
            return {REASKS: 0, **corrections}
        if turn.is_("request_human") or (turn.is_(*OTHER_REQUESTS, sure=0.6) and turn.intent not in self.trigger_intents):
            return None  # the dialogue starts that request (or hands over to a person)
        if turn.is_(*QUICK_QUESTIONS, "nlu_fallback") and (is_question(turn.text) or turn.is_(*QUICK_QUESTIONS, sure=0.6)):
            events = await answer_quick_question(dispatcher, tracker, turn)
            if events is not None:
                return {REASKS: reasks, **{e["name"]: e["value"] for e in events if e.get("event") == "slot"}}
        if turn.is_(*SMALL_TALK, sure=0.6) or turn.is_("affirm") or turn.intent in self.trigger_intents:
            return {REASKS: reasks}
        return self.refuse(dispatcher, requested, reasks)

    def after_verification(self, turn: Turn) -> Dict[str, Any]:
        """Values the rest of the message that verified gives ("4321. nhà có 8 người thuê…")."""
        return {}

    def answer_for(self, requested: Optional[str], turn: Turn) -> Optional[str]:
        field = next((f for f in self.fields if f.name == requested), None)
        return field.parse(turn) if field else None

    def corrections(self, turn: Turn, requested: Optional[str], tracker: Tracker) -> Dict[str, Any]:
        """New values for fields other than the one asked: corrections, and values given unprompted."""
        found = {}
        if any(f.name == "connection_address" for f in self.fields):
            house = corrected_house_number(turn.text, tracker.get_slot("connection_address"))
            if house:  # "số nhà là 58 chứ không phải 56": only the number changes
                return {"connection_address": house}
        for field in self.fields:
            if field.name == requested:
                continue
            value = field.explicit(turn)
            if value is not None and value != value_before_turn(tracker, field.name):
                found[field.name] = value
        return found

    def refuse(self, dispatcher: CollectingDispatcher, requested: Optional[str], reasks: int) -> Dict[str, Any]:
        if reasks + 1 >= MAX_REASKS:
            dispatcher.utter_message(response="utter_form_gave_up")
            return {OUTCOME: GAVE_UP, REASKS: 0}
        field = next((f for f in self.fields if f.name == requested), None)
        invalid = field.invalid if field else INVALID_VERIFICATION.get(requested or "")
        if invalid:
            dispatcher.utter_message(response=invalid)
        return {REASKS: reasks + 1, **({requested: None} if requested else {})}

    def addition(self, tracker: Tracker, turn: Turn) -> Dict[str, Any]:
        """At the summary: what "thêm ý: …" adds to a free-text field (none by default)."""
        return {}

    def confirmation(self, dispatcher, tracker, turn: Turn, corrections: Dict[str, Any], reasks: int) -> Dict[str, Any]:
        corrections = corrections or self.addition(tracker, turn)
        if corrections:
            return {REASKS: 0, **corrections}  # the summary is shown again with the new values
        if turn.is_("affirm") or (not turn.is_("deny") and _YES.search(turn.folded)):
            return {REASKS: 0, self.confirm_slot: True}
        named = [f for f in self.fields if FIELD_WORDS.get(f.name) and FIELD_WORDS[f.name].search(turn.folded)]
        if len(named) == 1:
            return {REASKS: 0, named[0].name: None}  # "số điện thoại": that field is asked again
        if turn.is_("deny") or is_correction(turn.text):
            dispatcher.utter_message(text=WHICH_FIELD, buttons=[
                {"title": f.label, "payload": f"sửa {f.label.lower()}"} for f in self.fields])
            return {REASKS: reasks + 1}
        return self.refuse(dispatcher, None, reasks)


# --- verification ---------------------------------------------------------------------


def last4_from(text: Optional[str]) -> Optional[str]:
    """The 4 digits the customer gave: ``3456``, ``số cuối 3456``, a whole phone number, full-width digits."""
    phones = codes_in(text, PHONE)
    if phones:
        return phones[0][-4:]
    digits = re.findall(r"(?<!\d)\d{4}(?!\d)", folded(text))
    return digits[-1] if len(digits) == 1 else None


_CODE_SPAN = re.compile(r"(?i)p[ \-]?[a-z](?:[ \-.]?[a-z0-9]){11}")


async def verification_step(
    dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn, requested: Optional[str], activating: bool = False
) -> Dict[str, Any]:
    """The slots this message sets for verification; empty when it gives nothing for it."""
    codes = codes_in(turn.text, CUSTOMER_CODE)
    named = codes[-1] if codes else None
    code = named or tracker.get_slot("customer_code")
    # Digits answer the question asked, or follow the code in the same message ("PE01000123456 3456").
    last4 = last4_from(_CODE_SPAN.sub(" ", turn.text)) if (named or requested == "phone_last4") else None
    values: Dict[str, Any] = {"customer_code": named, "phone_last4": None} if named else {}
    if code and last4:
        return {**values, **await check_identity(dispatcher, tracker, code, last4)}
    if values or activating:
        return values
    reasks = int(tracker.get_slot(REASKS) or 0) + 1
    if requested == "customer_code" and (re.search(r"(?i)\bp[a-z]?\s*\d", turn.text) or re.search(r"\d{5,}", turn.text)):
        dispatcher.utter_message(response="utter_invalid_customer_code")
        return {"customer_code": None, REASKS: reasks}
    if requested == "phone_last4" and re.search(r"\d", turn.text):
        dispatcher.utter_message(response="utter_invalid_phone_last4")
        return {"phone_last4": None, REASKS: reasks}
    return {}


async def check_identity(dispatcher: CollectingDispatcher, tracker: Tracker, code: str, last4: str) -> Dict[str, Any]:
    """Asks the back office; an unknown code and wrong digits get the same answer (no one learns which codes exist).

    Our own limits (actions/attempts.py) slow guessing per conversation and per code before the back office locks.
    """
    code = code.upper().replace(" ", "")
    keys = {"conversation": tracker.sender_id, "code": code}
    limits = attempts.limits()
    wait = max(limits[kind].wait_seconds(key) for kind, key in keys.items())
    if wait:
        dispatcher.utter_message(response="utter_verification_locked", minutes=minutes_of(wait))
        return {"phone_last4": None, OUTCOME: STOPPED}
    try:
        ok = await BackOfficeClient.from_env().verify(code, last4)
    except NotFound:
        ok = False
    except Locked as locked:
        dispatcher.utter_message(response="utter_verification_locked_backoffice",
                                 minutes=minutes_of(locked.retry_after or 900))
        return {"phone_last4": None, OUTCOME: STOPPED}
    except (BackOfficeUnavailable, Rejected):
        dispatcher.utter_message(response="utter_backoffice_down")
        return {"phone_last4": None, OUTCOME: STOPPED}
    if ok:
        for kind, key in keys.items():
            limits[kind].succeeded(key)
        dispatcher.utter_message(response="utter_verified")
        now = clock.now()
        proof = identity.issue(settings().verification_proof_key, tracker.sender_id, code, now,
                               settings().verification_ttl_minutes)
        return {"phone_last4": None, VERIFIED: code, VERIFIED_AT: now.isoformat(), identity.PROOF: proof,
                FAILURES: 0, "customer_code": code}
    for kind, key in keys.items():
        limits[kind].failed(key)
    failed = limits["conversation"].failures(tracker.sender_id)
    wait = max(limits[kind].wait_seconds(key) for kind, key in keys.items())
    if wait:
        dispatcher.utter_message(response="utter_verification_locked", minutes=minutes_of(wait))
        return {"phone_last4": None, FAILURES: failed, OUTCOME: STOPPED}
    remaining = max(1, settings().verification_attempts_per_conversation - failed)
    dispatcher.utter_message(response="utter_verification_failed", remaining=remaining)
    return {"phone_last4": None, FAILURES: failed}


def verification_wait(tracker: Tracker) -> int:
    """Seconds this conversation must wait before its next identity check (0: it may try now)."""
    return attempts.limits()["conversation"].wait_seconds(tracker.sender_id)


class ValidateVerifyCustomerForm(GuidedForm):
    needs_verification = True
    trigger_intents = ("check_bill", "check_payment_status", "check_meter_reading")

    def name(self) -> Text:
        return "validate_verify_customer_form"

    def slot_order(self, tracker: Tracker, merged: Optional[Dict[str, Any]] = None) -> List[str]:
        if verification_wait(tracker):
            return []
        return [] if verified_code(tracker) else list(VERIFICATION_SLOTS)

    def next_slot(self, tracker: Tracker, values: Dict[str, Any]) -> Optional[str]:
        if values.get(VERIFIED):
            return None
        return super().next_slot(tracker, values)


# --- the forms ---------------------------------------------------------------------------


PROVINCE = Field("connection_province", "Tỉnh/thành phố", lambda t: parse_province(t.text), lambda t: None,
                 "utter_invalid_connection_province")


class ValidateNewConnectionForm(GuidedForm):
    fields = NEW_CONNECTION_FIELDS + (PROVINCE,)
    confirm_slot = "connection_confirmed"
    trigger_intents = ("new_connection",)

    def name(self) -> Text:
        return "validate_new_connection_form"

    def slot_order(self, tracker: Tracker, merged: Optional[Dict[str, Any]] = None) -> List[str]:
        """The province is asked only when the address names none."""
        merged = merged or tracker.slots
        order = super().slot_order(tracker, merged)
        if merged.get("connection_address") and province_of(merged["connection_address"]):
            order.remove(PROVINCE.name)
        else:
            order.remove(PROVINCE.name)
            order.insert(order.index("connection_address") + 1, PROVINCE.name)
        return order


SENSITIVE_CHANGES = {"cham_dut", "sang_ten"}


def _recent(merged: Dict[str, Any]) -> bool:
    """A verification of the last few minutes, by the time its proof was issued (not a slot one could set)."""
    since = identity.verified_since(merged)
    return since is not None and clock.now() - since <= dt.timedelta(minutes=settings().sensitive_verification_minutes)


def _change_type(turn: Turn) -> Optional[str]:
    change = change_type_of(turn.text)
    return CHANGE_TYPES[change] if change else None


MIN_DETAILS_LENGTH = 15
MIN_PREFILLED_DETAILS = 40  # a first message this long may say more than "tôi muốn sang tên"…
_NAMED = re.compile(r"\s[A-ZĐ][^\W\d_]+\s+[A-ZĐ][^\W\d_]+")


def _tells_details(text: str) -> bool:
    """…when it gives a number (house, people, kW) or a name ("cho người mua là anh Đỗ Quang Vinh")."""
    return bool(re.search(r"\d", text) or _NAMED.search(text))


def _details(turn: Turn) -> Optional[str]:
    text = " ".join(turn.text.split())
    if len(text) < 3 or is_question(text) or is_cancel(turn) or turn.is_("affirm", "deny", "cancel", "greet", "thank"):
        return None
    return text[:1000]


class ValidateChangeContractForm(GuidedForm):
    fields = (
        Field("change_type", "Nội dung thay đổi", _change_type, _change_type, "utter_invalid_change_type"),
        Field("change_details", "Chi tiết", _details, lambda t: None, "utter_invalid_change_details"),
    )
    confirm_slot = "change_confirmed"
    needs_verification = True
    trigger_intents = ("change_contract",)

    def name(self) -> Text:
        return "validate_change_contract_form"

    def after_verification(self, turn: Turn) -> Dict[str, Any]:
        rest = re.sub(r"(?<!\d)\d{4}(?!\d)", " ", _CODE_SPAN.sub(" ", turn.text)).strip(" .,;:-")
        rest_turn = Turn(rest, turn.intent, turn.confidence, [])
        found: Dict[str, Any] = {}
        change = _change_type(rest_turn)
        if change:
            found["change_type"] = change
        if len(rest) >= MIN_DETAILS_LENGTH and _details(rest_turn):
            found["change_details"] = _details(rest_turn)
        return found

    def prefill(self, turn: Turn, tracker: Tracker) -> Dict[str, Any]:
        """A first message that tells the change ("sang tên cho người mua là anh Đỗ Quang Vinh…") is its details."""
        values = super().prefill(turn, tracker)
        rest = " ".join(_CODE_SPAN.sub(" ", turn.text).split()).strip(" .,;:-")
        if values.get("change_type") and len(rest) >= MIN_PREFILLED_DETAILS and _tells_details(rest):
            values["change_details"] = re.sub(r"\s*(?:mã khách hàng|ma khach hang|mã kh|ma kh)\s*$", "", rest,
                                              flags=re.IGNORECASE)[:1000]  # it may ask how: staff read it whole
        return values

    def needs_fresh_verification(self, merged: Dict[str, Any]) -> bool:
        """A termination or a change of holder needs a verification of the last few minutes."""
        change = change_type_of(merged.get("change_type"))
        return change in SENSITIVE_CHANGES and not _recent(merged)


MIN_COMPLAINT_LENGTH = 15
MAX_COMPLAINT_LENGTH = 4000


def _complaint(turn: Turn) -> Optional[str]:
    text = turn.text.strip()
    if len(text) < MIN_COMPLAINT_LENGTH or turn.is_("affirm", "deny", "cancel", "greet", "thank", sure=0.8):
        return None
    return text[:MAX_COMPLAINT_LENGTH]


_ADDS = re.compile(r"^\W*(them|bo sung|ghi them|noi them|con nua|them y|them nua|ngoai ra)\b")


class ValidateComplaintForm(GuidedForm):
    fields = (Field("complaint_content", "Nội dung phản ánh", _complaint, lambda t: None, "utter_complaint_too_short"),
              Field("phone", "Số điện thoại liên hệ", _phone_of, _phone_of, "utter_invalid_phone"))
    confirm_slot = "complaint_confirmed"
    trigger_intents = ("complaint",)

    async def step(self, dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn) -> Optional[Dict[str, Any]]:
        codes = codes_in(turn.text, CUSTOMER_CODE)
        if tracker.get_slot(REQUESTED) == "phone" and codes:
            return {REASKS: 0, "customer_code": codes[0]}  # a customer code is someone to answer to as well
        return await super().step(dispatcher, tracker, turn)

    def addition(self, tracker: Tracker, turn: Turn) -> Dict[str, Any]:
        """"thêm ý nha: mình gọi lúc 8h sáng nay…": appended to the complaint, whose summary is shown again."""
        content = tracker.get_slot("complaint_content") or ""
        text = " ".join(turn.text.split())
        if not _ADDS.search(turn.folded) or len(text) < 8:
            return {}
        return {"complaint_content": f"{content} {text}".strip()[:MAX_COMPLAINT_LENGTH]}

    def name(self) -> Text:
        return "validate_complaint_form"

    def slot_order(self, tracker: Tracker, merged: Optional[Dict[str, Any]] = None) -> List[str]:
        """A contact phone is asked only when the complaint has no customer code to answer to."""
        order = super().slot_order(tracker, merged)
        if verified_code(tracker) or (merged or tracker.slots).get("customer_code"):
            order.remove("phone")
        return order

    def prefill(self, turn: Turn, tracker: Tracker) -> Dict[str, Any]:
        # The message that started the complaint is its content when it tells what happened; after a
        # comparison of the bills, the message that asked about the bill tells it too.
        content = _complaint(turn) if len(turn.text) >= 40 else None
        earlier = bill_complaint_text(tracker)
        if earlier and earlier != turn.text:
            content = f"{earlier} {content or turn.text}".strip()[:MAX_COMPLAINT_LENGTH]
        return {"complaint_content": content, self.confirm_slot: None,
                **({"phone": _phone_of(turn)} if _phone_of(turn) else {})}


def bill_complaint_text(tracker: Tracker) -> Optional[str]:
    """The customer's words about a bill, when the bot compared the bills and offered a complaint."""
    if tracker.get_slot("offer") != "complaint" and tracker.get_slot("topic") != "bill":
        return None
    for event in reversed(tracker.events):
        if event.get("event") == "user" and asks_why_bill_rose(event.get("text") or ""):
            return event["text"].strip()
    return None


def _outage_place(turn: Turn) -> Optional[str]:
    codes = codes_in(turn.text, CUSTOMER_CODE)
    if codes:
        return codes[0]
    return parse_address(turn.text) or (turn.entity("location") if turn.entity("location") else None)


class ValidateReportOutageForm(GuidedForm):
    fields = (Field("outage_place", "Nơi mất điện", _outage_place,
                    lambda t: (codes_in(t.text, CUSTOMER_CODE) or [None])[0] or t.entity("location"),
                    "utter_invalid_outage_place"),)

    trigger_intents = ("report_outage",)

    def name(self) -> Text:
        return "validate_report_outage_form"

    def prefill(self, turn: Turn, tracker: Tracker) -> Dict[str, Any]:
        place = self.fields[0].explicit(turn) or verified_code(tracker) or tracker.get_slot("customer_code")
        return {"outage_place": place} if place else {}


def form_outcome(tracker: Tracker) -> Optional[str]:
    return tracker.get_slot(OUTCOME)


LOOKUP = "tra cứu"  # a form that writes nothing: no "nothing was sent"


def close_unfinished(dispatcher: CollectingDispatcher, tracker: Tracker, what: str) -> Optional[List[EventType]]:
    """After a form: when it did not complete, say so (cancelled: nothing was sent) and clear the outcome."""
    outcome = form_outcome(tracker)
    if outcome is None:
        return None
    if outcome == CANCELLED:
        goodbye = (tracker.latest_message.get("intent") or {}).get("name") == "goodbye"
        if what == LOOKUP:
            dispatcher.utter_message(response="utter_goodbye" if goodbye else "utter_lookup_stopped")
        else:
            dispatcher.utter_message(response="utter_cancelled_goodbye" if goodbye else "utter_cancelled", what=what)
    return [SlotSet(OUTCOME, None), SlotSet(REASKS, 0)]
