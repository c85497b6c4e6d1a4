"""A new session (after ``session_expiration_time`` of silence) keeps the conversation's context
but not its verification: whoever writes next must prove again who they are."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import identity
from actions.identity import VERIFIED, VERIFIED_AT

NOT_CARRIED = {VERIFIED, VERIFIED_AT, identity.PROOF, "phone_last4", "request_digits_tried", "requested_slot",
               "session_started_metadata"}


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        carried = [SlotSet(name, value) for name, value in tracker.slots.items()
                   if name not in NOT_CARRIED and value is not None]
        metadata = tracker.get_slot("session_started_metadata")
        return [SessionStarted(), *carried, *([SlotSet("session_started_metadata", metadata)] if metadata else []),
                ActionExecuted("action_listen")]
