"""Rasa graph component: Vietnamese text normalization before tokenization.

The message text itself is left as the customer wrote it (entities and regex
features refer to it); the normalized pieces, with their offsets into that
text, are stored beside it for the tokenizer.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ACTION_TEXT, RESPONSE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.component import ConfiguredComponent
from bot.text.normalizer import NormalizedText, default_normalizer

# Free-text attributes a message can carry (user text; bot text in end-to-end stories;
# the response texts a ResponseSelector learns).
NORMALIZED_ATTRIBUTES = (TEXT, ACTION_TEXT, RESPONSE)


def normalized_key(attribute: Text) -> Text:
    """Name of the message field holding the normalized form of ``attribute``."""
    return f"{attribute}_vi_normalized"


def get_normalized(message: Message, attribute: Text = TEXT) -> Optional[NormalizedText]:
    return message.get(normalized_key(attribute))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class VietnameseNormalizer(ConfiguredComponent, GraphComponent):
    """NFC, lower case, one tone-mark style, teencode expanded, identifiers recognised."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self._normalizer = default_normalizer()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            for attribute in NORMALIZED_ATTRIBUTES:
                text = message.get(attribute)
                if isinstance(text, str):
                    message.set(normalized_key(attribute), self._normalizer.normalize(text))
        return messages
