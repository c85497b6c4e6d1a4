"""Rasa graph component: deterministic extraction of customer codes, phones and request codes.

The normalizer already recognised these identifiers, in whatever form the
customer typed them (``pe 0100 0123456``, ``+84 903 123 456``). This extractor
reports them with their canonical value and takes precedence over any
statistical extractor for these entity types.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.component import ConfiguredComponent
from bot.nlu.normalizer import VietnameseNormalizer, get_normalized
from bot.text.codes import CUSTOMER_CODE, PHONE, REQUEST_CODE

IDENTIFIER_ENTITIES = (CUSTOMER_CODE, PHONE, REQUEST_CODE)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class IdentifierExtractor(ConfiguredComponent, GraphComponent, EntityExtractorMixin):
    """Customer codes, phones and request codes, with canonical values."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [VietnameseNormalizer]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            normalized = get_normalized(message, TEXT)
            if normalized is None:
                continue
            found = [
                {
                    ENTITY_ATTRIBUTE_TYPE: piece.kind,
                    ENTITY_ATTRIBUTE_START: piece.start,
                    ENTITY_ATTRIBUTE_END: piece.end,
                    ENTITY_ATTRIBUTE_VALUE: piece.value,
                    ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
                    EXTRACTOR: self.__class__.__name__,
                }
                for piece in normalized.pieces
                if piece.kind in IDENTIFIER_ENTITIES
            ]
            kept = [
                entity
                for entity in message.get(ENTITIES, [])
                if entity[ENTITY_ATTRIBUTE_TYPE] not in IDENTIFIER_ENTITIES
                and not any(_overlaps(entity, other) for other in found)
            ]
            message.set(
                ENTITIES,
                sorted(kept + found, key=lambda e: e[ENTITY_ATTRIBUTE_START]),
                add_to_output=True,
            )
        return messages


def _overlaps(a: Dict[Text, Any], b: Dict[Text, Any]) -> bool:
    return a[ENTITY_ATTRIBUTE_START] < b[ENTITY_ATTRIBUTE_END] and b[ENTITY_ATTRIBUTE_START] < a[ENTITY_ATTRIBUTE_END]
