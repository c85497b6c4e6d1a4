"""A new session keeps the context, not the verification (actions/session.py)."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart


def test_a_new_session_drops_the_verification_and_keeps_the_rest():
    slots = {"verified_customer_code": "PE01000123456", "verified_at": "2026-11-24T10:00:00+07:00",
             "verification_proof": "v1.1.x", "phone_last4": "3456", "customer_code": "PE01000123456",
             "topic": "bill", "verification_failures": 2, "area": None}
    tracker = Tracker("conv-a", slots, {}, [], False, None, {}, "action_listen")
    events = asyncio.run(ActionSessionStart().run(CollectingDispatcher(), tracker, {}))
    assert events[0] == SessionStarted() and events[-1] == ActionExecuted("action_listen")
    carried = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert carried == {"customer_code": "PE01000123456", "topic": "bill", "verification_failures": 2}
