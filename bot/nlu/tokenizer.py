"""Rasa graph component: underthesea word segmentation of the normalized text.

Each token's ``text`` is the normalized, segmented word (``tiền_điện``), its
``start``/``end`` point into the customer's original message, and its
``lemma`` is the same word without diacritics (``tien dien``). A
``CountVectorsFeaturizer`` with ``use_lemma: true`` therefore sees
``tiền điện`` and ``tien dien`` as the same features.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalizer import VietnameseNormalizer, get_normalized
from bot.text.segmenter import segment

# Token data key naming what the token is (word, number, customer_code, phone, ...).
TOKEN_KIND = "vi_kind"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class UndertheseaTokenizer(Tokenizer):
    """Vietnamese word segmentation with offsets into the original text."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [VietnameseNormalizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UndertheseaTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        normalized = get_normalized(message, attribute)
        if normalized is None:
            raise ValueError(
                f"No normalized form of '{attribute}': put "
                "bot.nlu.normalizer.VietnameseNormalizer before this tokenizer in config.yml."
            )
        tokens = [
            Token(word.text, word.start, word.end, data={TOKEN_KIND: word.kind}, lemma=word.folded)
            for word in segment(normalized)
        ]
        if not tokens and text.strip():
            # Only emoji or punctuation: keep one token so the message is still featurized.
            stripped = text.strip()
            start = text.index(stripped)
            tokens = [Token(stripped, start, start + len(stripped), lemma=stripped)]
        return self._apply_token_pattern(tokens)
