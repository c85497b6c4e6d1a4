"""Vietnamese word segmentation (underthesea) of normalized text, with original offsets.

``tiền điện tháng này bao nhiêu`` is written with spaces between syllables;
underthesea groups syllables into words (``bao_nhiêu``). Each resulting word
keeps the span of the original message it covers, so entity offsets survive
normalization and segmentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Sequence

from bot.text.normalizer import WORD, NormalizedText, Piece
from bot.text.vietnamese import fold_diacritics, has_diacritics

WORD_STARTS_FILE = Path(__file__).parent / "data" / "word_starts.txt"


@dataclass(frozen=True)
class Word:
    """A segmented word: syllables joined by ``_`` (``tiền_điện``), its span in the original text."""

    text: str
    start: int
    end: int
    kind: str = WORD

    @property
    def syllables(self) -> List[str]:
        return self.text.split("_")

    @property
    def folded(self) -> str:
        """The syllables without diacritics, space-separated: ``tien dien``."""
        return fold_diacritics(" ".join(self.syllables))


def segment(normalized: NormalizedText) -> List[Word]:
    """Segment the normalized pieces into words; identifiers and numbers stay whole.

    Syllables are only grouped within a run that has no punctuation, number or
    identifier inside and does not cross a word of ``word_starts.txt``. A run
    typed without any diacritic is left as syllables: underthesea is trained on
    accented text and glues unaccented syllables at random ("dien_thang").
    """
    words: List[Word] = []
    run: List[Piece] = []
    starts = _word_starts()
    previous_end = None
    for piece in normalized.pieces:
        gap = normalized.original[previous_end : piece.start] if previous_end is not None else ""
        previous_end = piece.end
        if piece.kind != WORD or gap.strip() or piece.text in starts:
            words.extend(_segment_run(run, normalized.original))
            run = []
        if piece.kind == WORD:
            run.append(piece)
        else:
            words.append(Word(piece.text, piece.start, piece.end, piece.kind))
    words.extend(_segment_run(run, normalized.original))
    return words


@lru_cache(maxsize=1)
def _word_starts() -> FrozenSet[str]:
    lines = WORD_STARTS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _segment_run(pieces: Sequence[Piece], original: str) -> List[Word]:
    if not pieces:
        return []
    typed = original[pieces[0].start : pieces[-1].end]
    if len(pieces) == 1 or not has_diacritics(typed):
        return [_word_from([p]) for p in pieces]
    groups = _underthesea_groups([p.text for p in pieces])
    words, cursor = [], 0
    for size in groups:
        words.append(_word_from(pieces[cursor : cursor + size]))
        cursor += size
    return words


def _word_from(pieces: Sequence[Piece]) -> Word:
    return Word(
        "_".join(p.text for p in pieces),
        min(p.start for p in pieces),
        max(p.end for p in pieces),
    )


def _underthesea_groups(syllables: List[str]) -> List[int]:
    """How many consecutive syllables underthesea puts in each word.

    Falls back to one syllable per word when underthesea's output cannot be
    aligned with its input (it should always be, but a segmentation quirk must
    never break a conversation).
    """
    from underthesea import word_tokenize  # heavy import, loaded on first use

    tokens = word_tokenize(" ".join(syllables), use_token_normalize=False)
    groups = [len(token.split()) for token in tokens]
    if sum(groups) != len(syllables) or " ".join(tokens).split() != syllables:
        return [1] * len(syllables)
    return groups
