import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import INTENT_LABELS, NONE_OF_THESE_PAYLOAD, ActionAskAffirmation, suggested_intents


def tracker_with_ranking(ranking):
    return Tracker(
        "c1", {}, {"intent": ranking[0] if ranking else {}, "intent_ranking": ranking, "text": "xyz"},
        [], False, None, {}, "action_listen",
    )


def test_suggestions_skip_what_cannot_be_offered_and_keep_the_order():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "greet", "confidence": 0.3},
        {"name": "check_payment_status", "confidence": 0.2},
        {"name": "check_bill", "confidence": 0.1},
        {"name": "ask_tariff", "confidence": 0.05},
        {"name": "faq", "confidence": 0.01},
    ]
    assert suggested_intents(ranking) == ["check_payment_status", "check_bill", "ask_tariff"]


def test_the_action_offers_buttons_in_vietnamese_and_a_way_out():
    dispatcher = CollectingDispatcher()
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "report_outage", "confidence": 0.3}]
    events = asyncio.run(ActionAskAffirmation().run(dispatcher, tracker_with_ranking(ranking), {}))
    assert events == []
    [message] = dispatcher.messages
    assert message["text"].startswith("Dạ,")
    assert message["buttons"][0] == {"title": INTENT_LABELS["report_outage"], "payload": "/report_outage"}
    assert message["buttons"][-1]["payload"] == NONE_OF_THESE_PAYLOAD


def test_without_any_ranking_the_action_still_offers_help():
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskAffirmation().run(dispatcher, tracker_with_ranking([]), {}))
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ["/faq", "/request_human", NONE_OF_THESE_PAYLOAD]
