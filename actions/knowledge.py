"""FAQ answers from the knowledge base (web app API ``/api/kb/search``)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

import aiohttp
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.settings import settings

log = logging.getLogger(__name__)
TIMEOUT = 5.0


async def search_knowledge_base(question: str, log_unanswered: bool = True) -> Optional[Dict[str, Any]]:
    """The knowledge base's answer, or None when it is unreachable."""
    url = settings().webapp_url.rstrip("/") + "/api/kb/search"
    token = settings().kb_log_token
    log_it = log_unanswered and bool(token)
    params = {"q": question[:2000], "k": "3", "log": "true" if log_it else "false"}
    headers = {"X-KB-Log-Token": token} if log_it else {}
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as session:
            async with session.get(url, params=params, headers=headers) as response:
                if response.status != 200:
                    log.warning("knowledge base answered HTTP %s", response.status)
                    return None
                return await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        log.warning("knowledge base unreachable: %r", error)
        return None


def answer_text(result: Dict[str, Any]) -> str:
    best = result["results"][0]
    source = f"\n\nNguồn: {best['source']}" if best.get("source") else ""
    return f"{best['answer'].strip()}{source}"


class ActionAnswerFaq(Action):
    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        from actions.answers import answer_faq
        from actions.context import answer_in_context
        from actions.texts import asks_why_bill_rose
        from actions.turn import Turn

        turn = Turn.of(tracker)
        answered = await answer_in_context(dispatcher, tracker, turn)  # "hạn chót đóng là ngày nào?" after the bill
        if answered is not None:
            return answered
        if asks_why_bill_rose(turn.text):
            # "Sao tiền điện tháng này tăng?": compare the customer's own readings, after verification.
            dispatcher.utter_message(response="utter_bill_rise_check")
            return [FollowupAction("verify_customer_form")]
        return await answer_faq(dispatcher, tracker, turn)
