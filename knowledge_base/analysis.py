"""Terms of a text for lexical search, with the NLU's own Vietnamese processing.

The query and the entries go through the same normalizer as the Rasa pipeline
(``bot.text``): teencode expanded, one tone-mark style, identifiers made
canonical. Terms are the underthesea words, their syllables, the
accent-folded syllables (``tien dien`` matches ``tiền điện``), and the
concepts of the domain lexicon (``data/synonyms.tsv``: ``đồng hồ điện``
and ``công tơ`` both give ``≈cong_to``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from bot.text.normalizer import default_normalizer
from bot.text.segmenter import segment
from bot.text.vietnamese import fold_diacritics

LEXICON_FILE = Path(__file__).parent / "data" / "synonyms.tsv"
CONCEPT_PREFIX = "≈"

# Function words that carry no meaning for retrieval (accent-folded).
STOP_WORDS = frozenset(
    "a à ạ ơi nhé nha với vậy vay thế the thi thì là la và va của cua cho có co không khong được duoc "
    "em anh chị chi tôi toi mình minh bạn ban quý quy khách khach hỏi hoi xin ad ạ dạ da vâng vang "
    "gì gi sao nào nao ai đâu dau bị bi rồi roi đã da đang dang sẽ se".split()
)

Lexicon = Dict[str, List[Tuple[Tuple[str, ...], str]]]


@lru_cache(maxsize=1)
def lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """First folded syllable -> [(syllables of a variant, concept)], longest variants first."""
    by_first: Lexicon = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        concept, _, variants = line.partition("\t")
        for variant in variants.split("|"):
            syllables = tuple(variant.strip().lower().split())
            if syllables:
                by_first.setdefault(fold_diacritics(syllables[0]), []).append((syllables, concept.strip()))
    for variants in by_first.values():
        variants.sort(key=lambda item: -len(item[0]))
    return by_first


def _same_syllable(typed: str, variant: str) -> bool:
    """Exact when the customer typed diacritics (``chạy`` is not ``cháy``), folded when they did not."""
    return typed == variant or (typed == fold_diacritics(typed) and typed == fold_diacritics(variant))


def concepts(syllables: Sequence[str], table: Lexicon) -> List[str]:
    """The lexicon concepts named in a run of syllables (each concept once per place it is named)."""
    found: List[str] = []
    for start, syllable in enumerate(syllables):
        for variant, concept in table.get(fold_diacritics(syllable), ()):
            window = syllables[start : start + len(variant)]
            if len(window) == len(variant) and all(map(_same_syllable, window, variant)):
                found.append(CONCEPT_PREFIX + concept)
                break
    return found


def terms(text: str) -> List[str]:
    """Lexical terms of ``text`` (repeated terms are kept: BM25 counts them)."""
    out: List[str] = []
    all_syllables: List[str] = []
    for word in segment(default_normalizer().normalize(text or "")):
        syllables = word.text.split("_")
        folded = [fold_diacritics(s) for s in syllables]
        all_syllables.extend(syllables)
        if len(syllables) > 1:
            out.append(word.text)
        for accented, plain in zip(syllables, folded):
            if plain in STOP_WORDS:
                continue
            out.append(plain)
            if accented != plain:
                out.append(accented)
    out.extend(concepts(all_syllables, lexicon()))
    return out
