"""Vietnamese text normalizer with offsets back to the original message.

What customers type is turned into a canonical form the models can learn from:
Unicode NFC, lower case, one tone-mark placement (``hoà`` -> ``hòa``), teencode
and abbreviations expanded (``ko`` -> ``không``, ``tđ`` -> ``tiền điện``),
identifiers recognised and made canonical (``pe 0100 0123456`` ->
``pe01000123456``), numbers split from their units (``150kwh`` -> ``150 kwh``).

The result is a list of :class:`Piece` objects, each carrying the span of the
original text it came from, so that entities found on the normalized text are
reported on what the customer wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from bot.text.codes import find_codes
from bot.text.vietnamese import unify_tone_placement

DEFAULT_ABBREVIATIONS = Path(__file__).parent / "data" / "abbreviations.tsv"

WORD = "word"
NUMBER = "number"

# Numbers (with thousands separators, decimals, dates, times) or runs of letters.
_PIECE_RE = re.compile(r"\d+(?:[.,:/]\d+)*|[^\W\d_]+")


@dataclass(frozen=True)
class Piece:
    """One normalized word and the span ``[start, end)`` of the original text it stands for.

    ``kind`` is ``word``, ``number`` or, for a recognised identifier, its entity
    name (``customer_code``, ``phone``, ``request_code``), in which case ``value``
    holds the canonical identifier.
    """

    text: str
    start: int
    end: int
    kind: str = WORD
    value: Optional[str] = None


@dataclass(frozen=True)
class NormalizedText:
    original: str
    pieces: Tuple[Piece, ...]

    @property
    def text(self) -> str:
        return " ".join(piece.text for piece in self.pieces)


@dataclass(frozen=True)
class AbbreviationRule:
    form: str
    expansion: Tuple[str, ...]
    condition: str = ""
    neighbours: frozenset = frozenset()

    def applies(self, previous: Optional[Piece], following: Optional[Piece]) -> bool:
        if not self.condition:
            return True
        if self.condition == "after_number":
            return previous is not None and previous.kind == NUMBER
        if self.condition == "before_number":
            return following is not None and following.kind == NUMBER
        if self.condition == "after":
            return previous is not None and previous.text in self.neighbours
        if self.condition == "before":
            return following is not None and following.text in self.neighbours
        raise ValueError(f"unknown abbreviation condition {self.condition!r}")


def load_abbreviations(path: Path = DEFAULT_ABBREVIATIONS) -> Dict[str, List[AbbreviationRule]]:
    """Read the abbreviation rules file (see its header for the format)."""
    rules: Dict[str, List[AbbreviationRule]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (2, 3):
            raise ValueError(f"{path}:{number}: expected FORM<TAB>EXPANSION[<TAB>CONDITION]")
        form = _canonical_word(fields[0].strip().lower())
        expansion = tuple(_canonical_word(w) for w in fields[1].split())
        condition, neighbours = "", frozenset()
        if len(fields) == 3 and fields[2].strip():
            condition, _, words = fields[2].strip().partition(":")
            neighbours = frozenset(_canonical_word(w) for w in words.split(",") if w)
        rules.setdefault(form, []).append(
            AbbreviationRule(form, expansion, condition, neighbours)
        )
    return rules


def _canonical_word(word: str) -> str:
    return unify_tone_placement(unicodedata.normalize("NFC", word.lower()))


class TextNormalizer:
    """Turns a customer's message into normalized pieces with original offsets."""

    def __init__(self, abbreviations: Optional[Dict[str, List[AbbreviationRule]]] = None):
        self.abbreviations = abbreviations if abbreviations is not None else load_abbreviations()

    def normalize(self, text: str) -> NormalizedText:
        folded, spans = _nfc_lower_with_spans(text or "")
        pieces = self._split(folded, spans)
        return NormalizedText(text or "", tuple(self._expand(pieces)))

    def _split(self, folded: str, spans: Sequence[Tuple[int, int]]) -> List[Piece]:
        pieces: List[Piece] = []
        cursor = 0
        for code in find_codes(folded):
            pieces.extend(self._split_plain(folded, spans, cursor, code.start))
            start, end = spans[code.start][0], spans[code.end - 1][1]
            pieces.append(Piece(code.value.lower(), start, end, code.entity, code.value))
            cursor = code.end
        pieces.extend(self._split_plain(folded, spans, cursor, len(folded)))
        return pieces

    @staticmethod
    def _split_plain(
        folded: str, spans: Sequence[Tuple[int, int]], begin: int, end: int
    ) -> List[Piece]:
        pieces = []
        for match in _PIECE_RE.finditer(folded, begin, end):
            word = match.group(0)
            kind = NUMBER if word[0].isdigit() else WORD
            if kind == WORD:
                word = unify_tone_placement(word)
            start, stop = spans[match.start()][0], spans[match.end() - 1][1]
            pieces.append(Piece(word, start, stop, kind))
        return pieces

    def _expand(self, pieces: List[Piece]) -> List[Piece]:
        expanded: List[Piece] = []
        for index, piece in enumerate(pieces):
            rule = None
            if piece.kind == WORD:
                previous = pieces[index - 1] if index > 0 else None
                following = pieces[index + 1] if index + 1 < len(pieces) else None
                rule = next(
                    (r for r in self.abbreviations.get(piece.text, ()) if r.applies(previous, following)),
                    None,
                )
            if rule is None:
                expanded.append(piece)
                continue
            expanded.extend(Piece(word, piece.start, piece.end) for word in rule.expansion)
        return expanded


def _nfc_lower_with_spans(text: str) -> Tuple[str, List[Tuple[int, int]]]:
    """NFC + lower-case ``text``; for every output character, the original span it came from.

    A base character and the combining marks after it are composed together,
    so text typed with decomposed accents (some Vietnamese keyboards) maps back
    exactly.
    """
    out: List[str] = []
    spans: List[Tuple[int, int]] = []
    index = 0
    while index < len(text):
        end = index + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        composed = unicodedata.normalize("NFC", text[index:end]).lower()
        out.append(composed)
        spans.extend([(index, end)] * len(composed))
        index = end
    return "".join(out), spans


@lru_cache(maxsize=1)
def default_normalizer() -> TextNormalizer:
    """The process-wide normalizer with the project's abbreviation rules."""
    return TextNormalizer()
