"""Matching Vietnamese place names the way customers type them.

``Quận 7``, ``quan 7``, ``Q7``, ``q.7`` and ``7`` are the same district;
``TP. Hồ Chí Minh``, ``tp hcm`` and ``Sài Gòn`` the same province. Names are
compared by key: accents folded, lower case, punctuation removed, the
administrative word in front (thành phố, quận, huyện, phường, xã, thị xã …)
dropped, leading zeros of numbers dropped.

Free text (``phường Dịch Vọng, Cầu Giấy``) is resolved against the places the
back office knows (see ``resolve``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Tuple

from bot.text.vietnamese import fold_diacritics
from vocabulary import PROVINCE_SPELLINGS

# Longest first, so "thi xa" wins over "xa"; single letters only as abbreviations.
_ADMIN_WORDS = sorted(
    ["thanh pho", "thi xa", "thi tran", "quan", "huyen", "phuong", "xa", "tinh",
     "tp", "tx", "tt", "q", "h", "p", "x"],
    key=lambda w: -len(w.split()),
)
# The words that may stand before a bare number at each level (Quận 7, Phường 12).
_NUMBER_PREFIXES = {
    "province": (),
    "district": ("quan", "q", "huyen"),
    "ward": ("phuong", "p"),
}
_ROMAN = {"i": "1", "ii": "2", "iii": "3"}

Place = Tuple[str, str, Optional[str]]  # province, district, ward (None: the whole district)


def _words(text: str) -> List[str]:
    text = fold_diacritics(text).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"\b([qp])(\d+)\b", r"\1 \2", text)  # q7 -> q 7, p12 -> p 12
    return [(w.lstrip("0") or "0") if w.isdigit() else w for w in text.split()]


def _plain_key(name: str) -> str:
    words = _words(name)
    for admin in _ADMIN_WORDS:
        admin_words = admin.split()
        if words[: len(admin_words)] == admin_words and len(words) > len(admin_words):
            words = words[len(admin_words):]
            break
    if len(words) > 1 and words[-1] in _ROMAN:  # Hải Châu I -> hai chau 1
        words[-1] = _ROMAN[words[-1]]
    return " ".join(words)


# Other spellings of a province (vocabulary.PROVINCE_SPELLINGS: "hcm", "sai gon", "hanoi"…) -> its key.
_ALIASES = {spelling: _plain_key(name) for spelling, name in PROVINCE_SPELLINGS.items()
            if spelling != _plain_key(name)}


def area_key(name: Optional[str]) -> str:
    """The comparison key of a province, district or ward name ('' for nothing)."""
    if not name:
        return ""
    key = _plain_key(name)
    return _ALIASES.get(key, key)


def same_area(a: Optional[str], b: Optional[str]) -> bool:
    key = area_key(a)
    return bool(key) and key == area_key(b)


def text_key(text: Optional[str]) -> str:
    """Accent- and case-insensitive form of free text (addresses): ``12 Lê Lợi`` -> ``12 le loi``."""
    return " ".join(_words(text)) if text else ""


@dataclass(frozen=True)
class Area:
    """Names as given (any spelling); an empty field matches everything."""

    province: Optional[str] = None
    district: Optional[str] = None
    ward: Optional[str] = None

    def covers(self, place: Place) -> bool:
        """True when something at ``place`` concerns this area. A place without ward is a
        whole district: it matches a ward query only when the district is known to match."""
        province, district, ward = place
        if self.province and area_key(self.province) != area_key(province):
            return False
        if self.district and area_key(self.district) != area_key(district):
            return False
        if self.ward:
            if ward is None:
                return bool(self.district)
            return area_key(self.ward) == area_key(ward)
        return True


def _phrases(name: str, level: str) -> List[str]:
    key = area_key(name)
    if key.isdigit():
        return [f"{prefix} {key}" for prefix in _NUMBER_PREFIXES[level]]
    return [key] if key else []


def _normalized_text(text: str) -> str:
    padded = f" {' '.join(_words(text))} "
    for alias, name in _ALIASES.items():
        padded = padded.replace(f" {alias} ", f" {name} ")
    return padded


def resolve(text: str, places: Iterable[Place]) -> List[Area]:
    """The most precise areas named in free text, among the known ``places``.

    ``Dịch Vọng, Cầu Giấy`` gives the ward; ``Sơn Trà, Đà Nẵng`` the district;
    ``Hà Nội`` the province; text naming no known place gives [].
    """
    padded = _normalized_text(text)
    places = sorted(set(places), key=lambda p: (p[0], p[1], p[2] or ""))

    def found(name: Optional[str], level: str) -> str:
        hits = [p for p in _phrases(name or "", level) if f" {p} " in padded]
        return max(hits, key=len, default="")

    provinces = sorted({p for p, _, _ in places if found(p, "province")})
    districts = sorted({(p, d) for p, d, _ in places
                        if (not provinces or p in provinces) and found(d, "district")})
    wards: List[Tuple[str, str, str, str]] = []
    for p, d, w in places:
        if not w or (provinces and p not in provinces) or (districts and (p, d) not in districts):
            continue
        phrase = found(w, "ward")
        explicit = any(f" {prefix} {phrase} " in padded for prefix in ("phuong", "p", "xa"))
        # A ward named like its district (Phường Bình Thủy, Quận Bình Thủy) only when said so.
        if phrase and (area_key(w) != area_key(d) or explicit):
            wards.append((p, d, w, phrase))
    # "Dịch Vọng Hậu" also contains "Dịch Vọng": keep the longest names.
    wards = [x for x in wards if not any(x[3] != y[3] and f" {x[3]} " in f" {y[3]} " for y in wards)]
    if wards:
        return list(dict.fromkeys(Area(p, d, w) for p, d, w, _ in wards))
    if districts:
        return [Area(p, d) for p, d in districts]
    return [Area(p) for p in provinces]


def covered_by_any(areas: Sequence[Area], place: Place) -> bool:
    return any(area.covers(place) for area in areas)
