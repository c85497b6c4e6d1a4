"""Rasa graph component: words that settle a choice DIET leaves close.

"Chỉ số" (a meter index) asks for the meter reading, whether DIET leans to the bill or the payment:
"cho xin chỉ số điện tháng 9 của mã PC…" split DIET between ``check_bill`` and
``check_meter_reading`` and fell back. When the best intents are such close lookups and the text
names what settles them, the settled intent gets their combined confidence. It runs after DIET and
before the FallbackClassifier, so a settled message no longer falls back; anything else is untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import FrozenSet, List, Optional, Pattern

from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.component import ConfiguredComponent
from bot.nlu.normalizer import get_normalized
from bot.text.vietnamese import fold_diacritics


@dataclass(frozen=True)
class Settle:
    words: Pattern[str]  # on the folded, normalized text
    intent: str
    among: FrozenSet[str]  # the intents it settles between


SETTLES = (
    Settle(re.compile(r"\b(chi so|so cong to|so dong ho|chot so)\b"), "check_meter_reading",
           frozenset({"check_bill", "check_payment_status", "check_meter_reading"})),
)


def settled(text: str, ranking: List[dict]) -> Optional[List[dict]]:
    """The new ranking when a rule settles the top of ``ranking`` for ``text``, else None."""
    if not ranking:
        return None
    folded = fold_diacritics(text).lower()
    for rule in SETTLES:
        if ranking[0][INTENT_NAME_KEY] not in rule.among or not rule.words.search(folded):
            continue
        mass = sum(item[PREDICTED_CONFIDENCE_KEY] for item in ranking if item[INTENT_NAME_KEY] in rule.among)
        rest = [item for item in ranking if item[INTENT_NAME_KEY] not in rule.among]
        return [{INTENT_NAME_KEY: rule.intent, PREDICTED_CONFIDENCE_KEY: mass}, *rest]
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class KeywordIntentSettler(ConfiguredComponent, GraphComponent):
    """Settles close lookups by the words that name them (see ``SETTLES``)."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            normalized = get_normalized(message, TEXT)
            text = normalized.text if normalized is not None else (message.get(TEXT) or "")
            ranking = settled(text, list(message.get(INTENT_RANKING_KEY) or []))
            if ranking is not None:
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
        return messages
