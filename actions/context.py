"""Questions about what the bot has just shown: the bill on screen, the outages just listed, the ticket
just opened, the calculation just made. "Hạn chót là ngày nào?", "trả qua cái gì vậy?", "lý do gì vậy?",
"bao giờ có điện lại?" are answered from that, whatever intent the NLU gave them (they are short, and
often look like a new request, a complaint or nothing at all).
"""

from __future__ import annotations

import re
from abc import abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import clock, texts
from actions.answers import (
    HOURS, PERIOD, SHOWN_COUNT, SHOWN_OUTAGES, TARIFF_GROUP, TIME_OF_USE, TOPIC, answer_calculation, answer_tariff, answer_vat_follow_up,
    calculation_asked, group_named, later_day, topic,
)
from actions.slots import households_of
from actions.backoffice import BackOfficeClient, BackOfficeError, NotFound
from actions.base import BackOfficeAction
from actions.identity import verified_code
from actions.periods import MONTH, month_label, parse_period
from actions.turn import Turn


_DUE = re.compile(r"\b(han (chot|cuoi|thanh toan|dong|tra|nop)|het han|han la|den ngay nao|truoc ngay nao|"
                  r"ngay nao (phai |thi )?(dong|tra|thanh toan|nop)|bao gio phai (dong|tra|nop)|deadline|due date)\b")
_HOW_PAID = re.compile(r"\b((tra|dong|thanh toan|nop)( tien)? (qua|bang|o|tai) (gi|cai gi|dau|kenh nao|cach nao|hinh thuc nao)|"
                       r"(qua|bang) (kenh|cai|hinh thuc) (gi|nao)|tra bang gi|dong bang gi|paid (by|with|via))\b")
_WHEN_PAID = re.compile(r"\b(dong|tra|thanh toan|nop)( tien)? (ngay nao|hom nao|luc nao|khi nao)\b")
_VAT = re.compile(r"\b(vat|thue|gtgt)\b")
_TIERS = re.compile(r"\b(bac thang|bac \d|bac mot|dinh muc|may bac|theo bac)\b")
_TIERS_YES_NO = re.compile(r"\b(co )?(tinh|theo|ap dung) (theo )?(gia )?bac( thang)?\b.*\b(ko|khong|k|chua|hong|ha)\b|"
                           r"\bco bac thang (ko|khong|k|hong)\b")  # "vậy có tính bậc thang không?", not "giá bậc thang?"
_ASKS = re.compile(r"\b(sao|chua|khong|ko|k|co|the nao|ntn|\?)\b|\?")
_MOST = re.compile(r"\b(thang|ky) nao\b.*\b(nhieu nhat|cao nhat|it nhat|thap nhat|lon nhat|nhat)\b")
_WHY = re.compile(r"\b(ly do|tai sao|vi sao|nguyen nhan|why|reason)\b|\bsao (lai )?(cat|cup|ngung|mat)\b")
_WHEN_BACK = re.compile(
    r"\b(bao gio|may gio|khi nao|luc nao|bao lau|may h|mấy giờ)\b.*\b(co (dien )?lai|co dien|xong|sua|toi|den|khac phuc|"
    r"dong dien|het cat)\b|\b(co dien lai|co lai|xong) (luc|khi|vao) (nao|may gio)\b|\bkhoang may gio\b")

LAST_REQUEST = "last_request"  # the request this conversation filed: kind, code, expected working days and date
_WHEN_DONE = re.compile(r"\b(bao lau|khi nao|bao gio|may ngay|luc nao|how long|when)\b")
BILL_TOPICS = ("bill", "payment", "reading")
FILED_TOPICS = ("new_connection", "contract_change", "complaint")
OUTAGE_TOPICS = ("outage_schedule", "outage_report")


async def answer_in_context(dispatcher: CollectingDispatcher, tracker: Tracker, turn: Turn,
                            client: Optional[BackOfficeClient] = None, calculations: bool = True) -> Optional[List[EventType]]:
    """The answer from what was just shown, or None when the message is not about it. ``calculations``:
    also a change of the calculation just made ("nhà có 2 hộ dùng chung thì sao?")."""
    if not turn.text:
        return None
    current = topic(tracker)
    if calculations and current == "calculator":
        calc = calculation_asked(turn, tracker)
        if calc is not None and (households_of(turn.text) or group_named(turn.folded) or later_day(turn.folded)):
            return answer_calculation(dispatcher, calc.kwh, calc.households, calc.day, calc.group)
    if current in BILL_TOPICS and verified_code(tracker):
        answered = await _about_the_bill(dispatcher, tracker, turn, client or BackOfficeClient.from_env())
        if answered is not None:
            return answered
    if current in OUTAGE_TOPICS and tracker.get_slot(SHOWN_OUTAGES):
        answered = _about_the_outages(dispatcher, tracker, turn)
        if answered is not None:
            return answered
    last = tracker.get_slot(LAST_REQUEST)
    if current in FILED_TOPICS and isinstance(last, dict) and _WHEN_DONE.search(turn.folded) and not turn.entity("location"):
        dispatcher.utter_message(text=texts.request_timeline(last))  # "bao lâu thì có người xuống khảo sát?"
        return []
    if (current == "tariff" and tracker.get_slot(TARIFF_GROUP) in ("business", "production")
            and TIME_OF_USE.search(turn.folded) and not HOURS.search(turn.folded)):
        return await answer_tariff(dispatcher, tracker, turn)  # "còn giờ cao điểm?" after the business prices
    if current == "tariff" and tracker.get_slot(TARIFF_GROUP) in texts.FLAT_PRICED and _TIERS_YES_NO.search(turn.folded):
        dispatcher.utter_message(text=texts.flat_price_note(tracker.get_slot(TARIFF_GROUP)))  # "vậy có tính bậc thang không?"
        return []
    if answer_vat_follow_up(dispatcher, tracker, turn):
        return []
    return None


async def _most_used(dispatcher, tracker, turn: Turn, client: BackOfficeClient) -> Optional[List[EventType]]:
    """"Tháng nào xài nhiều nhất?" over the months just shown (6 when none were listed)."""
    most = _MOST.search(turn.folded)
    if not most:
        return None
    count = int(tracker.get_slot(SHOWN_COUNT) or 6)
    code = verified_code(tracker)
    try:
        bills = await client.bills(code, limit=max(2, count))
    except BackOfficeError:
        return None
    if not bills:
        return None
    least = most.group(2) in ("it nhat", "thap nhat")
    chosen = (min if least else max)(bills, key=lambda b: float(b["kwh"]))
    dispatcher.utter_message(text=texts.extreme_month(chosen, len(bills), least))
    return [SlotSet(PERIOD, chosen["period"])]


async def _how_priced(dispatcher, tracker, turn: Turn, client: BackOfficeClient) -> Optional[List[EventType]]:
    """"Sao bậc 1 tính tới 150 kWh?", "sao không tính bậc thang?", "đã tính định mức 2 hộ chưa?": the contract's price basis."""
    fold = turn.folded
    if not (_TIERS.search(fold) and (_WHY.search(fold) or _ASKS.search(fold))):
        return None
    try:
        customer = await client.customer(verified_code(tracker))
    except BackOfficeError:
        return None
    dispatcher.utter_message(text=texts.price_basis(customer, clock.today()))
    return []


async def _about_the_bill(dispatcher, tracker, turn: Turn, client: BackOfficeClient) -> Optional[List[EventType]]:
    fold = turn.folded
    for answer in (_most_used, _how_priced):
        answered = await answer(dispatcher, tracker, turn, client)
        if answered is not None:
            return answered
    asks = ("due" if _DUE.search(fold) else "paid" if (_HOW_PAID.search(fold) or _WHEN_PAID.search(fold))
            else "vat" if _VAT.search(fold) and topic(tracker) == "bill" else None)
    if asks is None:
        return None
    named = parse_period(turn.text, clock.today())
    period = named.period if named is not None and named.kind == MONTH else tracker.get_slot(PERIOD)
    if not period:
        return None
    code = verified_code(tracker)
    try:
        bill = await client.bill(code, period)
    except NotFound:
        dispatcher.utter_message(response="utter_no_bill_for_month", month=month_label(period))
        return []
    except BackOfficeError:
        return None  # the usual answer (and its error handling) follows
    dispatcher.utter_message(text=texts.bill_fact(code, bill, asks))
    return [SlotSet(PERIOD, period), SlotSet(TOPIC, "payment" if asks == "paid" else topic(tracker))]


def _about_the_outages(dispatcher, tracker, turn: Turn) -> Optional[List[EventType]]:
    fold = turn.folded
    asks = "reason" if _WHY.search(fold) else "end" if _WHEN_BACK.search(fold) else None
    if asks is None or turn.entity("location"):
        return None  # another area is another question
    shown: List[Dict[str, Any]] = [o for o in tracker.get_slot(SHOWN_OUTAGES) or [] if isinstance(o, dict)]
    lines = [texts.outage_fact(o, asks) for o in shown if o.get(asks)]
    if not lines:
        return None
    dispatcher.utter_message(text="\n".join(lines) if len(lines) == 1 else "\n".join(["Dạ,", *lines]))
    return []



def filed(kind: str, created: Dict[str, Any]) -> Dict[str, Any]:
    """What ``last_request`` keeps of a request just filed."""
    return {"kind": kind, "code": created.get("code"), "days": created.get("expected_days"),
            "by": created.get("expected_by")}


class ContextOrResponse(BackOfficeAction):
    """A fixed response (``response``), unless the message is about what was just shown."""

    response: str = ""

    @abstractmethod
    def name(self) -> Text:
        """Abstract, so the action server does not register this base."""

    async def answer(self, dispatcher, tracker, domain, client: BackOfficeClient) -> List[EventType]:
        answered = await answer_in_context(dispatcher, tracker, Turn.of(tracker), client)
        if answered is not None:
            return answered
        dispatcher.utter_message(response=self.response)
        return []
