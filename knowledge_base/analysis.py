"""Terms of a text for lexical search, with the NLU's own Vietnamese processing.

The query and the entries go through the same normalizer as the Rasa pipeline
(``bot.text``): teencode expanded, one tone-mark style, identifiers made
canonical. Terms are the underthesea words, their syllables, and the
accent-folded syllables, so ``tien dien`` matches ``tiền điện``.
"""

from __future__ import annotations

from typing import List

from bot.text.normalizer import default_normalizer
from bot.text.segmenter import segment
from bot.text.vietnamese import fold_diacritics

# Function words that carry no meaning for retrieval (accent-folded).
STOP_WORDS = frozenset(
    "a à ạ ơi nhé nha với vậy vay thế the thi thì là la và va của cua cho có co không khong được duoc "
    "em anh chị chi tôi toi mình minh bạn ban quý quy khách khach hỏi hoi xin ad ạ dạ da vâng vang "
    "gì gi sao nào nao ai đâu dau bị bi rồi roi đã da đang dang sẽ se".split()
)


def terms(text: str) -> List[str]:
    """Lexical terms of ``text`` (repeated terms are kept: BM25 counts them)."""
    out: List[str] = []
    for word in segment(default_normalizer().normalize(text or "")):
        syllables = word.text.split("_")
        folded = [fold_diacritics(s) for s in syllables]
        if len(syllables) > 1:
            out.append(word.text)
        for accented, plain in zip(syllables, folded):
            if plain in STOP_WORDS:
                continue
            out.append(plain)
            if accented != plain:
                out.append(accented)
    return out
