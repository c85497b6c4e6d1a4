"""First stage of the two-stage fallback: answer from the knowledge base, or suggest what the customer may have meant.

Rasa's ``action_two_stage_fallback`` calls this action when the NLU is unsure.
A message the NLU could not place may still be a policy question: when the
knowledge base is confident, its answer is given first. Then the most likely
requests are offered as buttons; a tap on one continues the conversation with
that intent, "Không phải" makes the bot ask to rephrase, and a second unclear
message ends in ``utter_default`` (offer of a staff member).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import answer_request_status
from actions.backoffice import BackOfficeClient
from actions.context import answer_in_context
from actions.knowledge import answer_text, search_knowledge_base
from actions.slots import codes_in
from actions.turn import Turn
from bot.text.codes import REQUEST_CODE

# What each request is called when the bot offers it back to the customer.
INTENT_LABELS: Dict[Text, Text] = {
    "check_bill": "Tra cứu hóa đơn tiền điện",
    "check_payment_status": "Kiểm tra đã thanh toán hay còn nợ",
    "payment_methods": "Các cách thanh toán tiền điện",
    "check_outage_schedule": "Xem lịch ngừng cấp điện",
    "report_outage": "Báo mất điện, sự cố điện",
    "new_connection": "Đăng ký cấp điện mới",
    "check_request_status": "Theo dõi tiến độ yêu cầu đã gửi",
    "check_meter_reading": "Xem chỉ số công tơ, điện năng tiêu thụ",
    "calculate_bill": "Tính thử tiền điện theo số kWh",
    "ask_tariff": "Giá điện, biểu giá bậc thang",
    "change_contract": "Thay đổi hợp đồng mua bán điện",
    "complaint": "Gửi phản ánh, khiếu nại",
    "faq": "Hỏi về quy định, thủ tục",
    "request_human": "Gặp nhân viên chăm sóc khách hàng",
}

MAX_SUGGESTIONS = 3
# Payload of "none of these": Rasa's fallback loop treats out_of_scope as a "no".
NONE_OF_THESE_PAYLOAD = "/out_of_scope"


def suggested_intents(intent_ranking: List[Dict[Text, Any]]) -> List[Text]:
    """The most likely requests, best first, among those the bot can offer."""
    return [
        item["name"]
        for item in intent_ranking
        if item.get("name") in INTENT_LABELS
    ][:MAX_SUGGESTIONS]


class ActionAskAffirmation(Action):
    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        turn = Turn.of(tracker)
        if codes_in(turn.text, REQUEST_CODE):  # "còn KN2026000001?": a request code says what is asked
            return await answer_request_status(dispatcher, tracker, turn, BackOfficeClient.from_env())
        answered = await answer_in_context(dispatcher, tracker, turn)  # unclear alone, clear after the bill
        if answered is not None:
            return answered
        ranking = tracker.latest_message.get("intent_ranking", [])
        intents = suggested_intents(ranking) or ["faq", "request_human"]
        buttons = [{"title": INTENT_LABELS[name], "payload": f"/{name}"} for name in intents]
        buttons.append({"title": "Không phải, tôi sẽ nói lại", "payload": NONE_OF_THESE_PAYLOAD})
        text = (tracker.latest_message.get("text") or "").strip()
        found = await search_knowledge_base(text, log_unanswered=False) if text and not text.startswith("/") else None
        if found and found.get("answered") and found.get("results"):
            dispatcher.utter_message(text=answer_text(found))
            dispatcher.utter_message(text="Nếu đó chưa phải điều Quý khách cần, Quý khách chọn giúp em:", buttons=buttons)
            return []
        dispatcher.utter_message(
            text="Dạ, em chưa chắc đã hiểu đúng ý Quý khách. Quý khách muốn hỏi về việc nào dưới đây ạ?",
            buttons=buttons,
        )
        return []
