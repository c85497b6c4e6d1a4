"""The customer's latest message as the actions see it: text, intent, confidence, entities."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from actions.slots import clean, folded

# Intents that ask for something the bot answers at once, without leaving a form.
QUICK_QUESTIONS = {
    "faq", "ask_tariff", "payment_methods", "calculate_bill", "check_outage_schedule", "check_request_status",
    "bot_challenge", "out_of_scope",
}
# Intents that start another request: a form gives way to them.
OTHER_REQUESTS = {
    "check_bill", "check_payment_status", "check_meter_reading", "report_outage", "new_connection",
    "change_contract", "complaint",
}
SMALL_TALK = {"greet", "thank"}
# Above this confidence the NLU's intent is taken over what the text looks like.
SURE = 0.8


_BARE_UNITS = {"phuong", "p", "quan", "q", "xa", "huyen"}
_NUMBERED_UNIT = re.compile(r"\b(phuong|p|quan|q)\.?\s*(\d{1,2})\b")


def numbered_unit(folded_text: str) -> Optional[str]:
    """``phường 10`` / ``quận 7`` named by number in the (folded) text, or None."""
    match = _NUMBERED_UNIT.search(folded_text)
    if not match:
        return None
    return f"{'phường' if match.group(1) in ('phuong', 'p') else 'quận'} {int(match.group(2))}"


@dataclass
class Turn:
    text: str
    intent: str = ""
    confidence: float = 0.0
    entities: List[Dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, tracker: Tracker) -> "Turn":
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        text = message.get("text") or ""
        if text.startswith("/"):  # a button payload: "/affirm"
            text = ""
        return cls(clean(text), intent.get("name") or "", float(intent.get("confidence") or 0.0),
                   list(message.get("entities") or []))

    @property
    def folded(self) -> str:
        return folded(self.text)

    def entity(self, name: str) -> Optional[str]:
        values = [e.get("value") for e in self.entities if e.get("entity") == name and e.get("value")]
        if not values:
            return None
        value = str(values[-1])
        if name == "location" and folded(value) in _BARE_UNITS:
            return numbered_unit(self.folded)  # "phuong" of "phuong 10 thi sao": the NLU cut the number off
        return value

    def is_(self, *intents: str, sure: float = 0.0) -> bool:
        return self.intent in intents and self.confidence >= sure
