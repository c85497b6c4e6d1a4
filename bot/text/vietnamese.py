"""Character-level helpers for Vietnamese text: tone marks and diacritics.

Pure Python, no dependency: shared by the Rasa pipeline (Python 3.10) and the
knowledge base (Python 3.11).
"""

from __future__ import annotations

import re
import unicodedata

# Combining marks of the five Vietnamese tones (NFD form).
_TONE_MARKS = {
    "\u0300",  # huyền
    "\u0301",  # sắc
    "\u0309",  # hỏi
    "\u0303",  # ngã
    "\u0323",  # nặng
}

# Open syllables where the "new style" puts the tone on the second vowel
# (hoà, thuý) and the traditional style, used by dictionaries, EVN documents and
# underthesea, puts it on the first (hòa, thúy).
_NEW_STYLE_RIMES = re.compile(r"(?<![qg])(o[ae]|u[y])$")


def fold_diacritics(text: str) -> str:
    """Remove every Vietnamese diacritic: ``tiền điện`` -> ``tien dien``."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D")


def has_diacritics(text: str) -> bool:
    """True when the text carries at least one Vietnamese diacritic (đ included)."""
    return fold_diacritics(text) != unicodedata.normalize("NFC", text)


def unify_tone_placement(syllable: str) -> str:
    """Move the tone of ``oa``, ``oe``, ``uy`` open syllables to the first vowel.

    ``hoà`` -> ``hòa``, ``thuý`` -> ``thúy``, ``khoẻ`` -> ``khỏe``; ``quý``,
    ``hoàng`` and ``toán`` are left alone (their tone position is the same in
    both styles). Length-preserving, so character offsets stay valid.
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    if len(tones) != 1:
        return syllable
    tone = tones[0]
    bare = decomposed.replace(tone, "")
    base = unicodedata.normalize("NFC", bare)
    match = _NEW_STYLE_RIMES.search(base.lower())
    if not match:
        return syllable
    # Only rewrite when the tone currently sits on the second vowel.
    tone_index_in_nfd = decomposed.index(tone)
    before_tone = unicodedata.normalize("NFC", decomposed[:tone_index_in_nfd])
    if len(before_tone) != len(base):
        return syllable
    first_vowel = match.start()
    rebuilt = base[: first_vowel + 1] + tone + base[first_vowel + 1 :]
    return unicodedata.normalize("NFC", rebuilt)
