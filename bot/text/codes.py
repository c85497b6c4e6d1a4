"""Recognisers for the identifiers customers type: customer codes, phones, request codes.

Each recogniser accepts what customers really type (lower case, spaces, dots,
``+84``) and gives the canonical value the back office understands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, List, Optional

from vocabulary import is_customer_code

CUSTOMER_CODE = "customer_code"
PHONE = "phone"
REQUEST_CODE = "request_code"

# P, a letter for the power corporation, then 11 letters or digits (the rule: vocabulary.is_customer_code);
# customers may put spaces or dashes between groups.
_CUSTOMER_CODE_RE = re.compile(
    r"(?<![\w])p[ \-]?[a-z](?:[ \-.]?[a-z0-9]){11}(?![\w])", re.IGNORECASE
)
# 10-digit mobile numbers (03/05/07/08/09) or the +84 / 84 form, with separators.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+84|84|0)[ .\-]?[35789](?:[ .\-]?\d){8}(?![\w])"
)
# Two letters for the kind of request, then 10 digits, grouped as customers copy them ("yc 2026 618739").
_REQUEST_CODE_RE = re.compile(
    r"(?<![\w])(?:yc|sc|kn|hd|hđ)[ \-]?\d(?:[ \-.]?\d){9}(?![\w])", re.IGNORECASE
)

_SEPARATORS = re.compile(r"[ \-.]")


def canonical_customer_code(raw: str) -> Optional[str]:
    """``pe 0100 0123456`` -> ``PE01000123456``; None if it is not a code."""
    compact = _SEPARATORS.sub("", raw).upper()
    if not is_customer_code(compact):
        return None
    # Real codes are mostly digits; this keeps words from being taken for codes.
    if sum(ch.isdigit() for ch in compact) < 6:
        return None
    return compact


def canonical_phone(raw: str) -> Optional[str]:
    """``+84 903 123 456`` -> ``0903123456``; None if it is not a mobile number."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) != 10 or digits[0] != "0" or digits[1] not in "35789":
        return None
    return digits


def canonical_request_code(raw: str) -> Optional[str]:
    """``yc 2026001234`` -> ``YC2026001234``."""
    compact = _SEPARATORS.sub("", raw).upper().replace("Đ", "D")
    if not re.fullmatch(r"(YC|SC|KN|HD)\d{10}", compact):
        return None
    return compact


@dataclass(frozen=True)
class CodeMatch:
    """An identifier found in a text: its kind, span in that text and canonical value."""

    entity: str
    start: int
    end: int
    value: str


_RECOGNISERS: List[tuple[str, "re.Pattern[str]", Callable[[str], Optional[str]]]] = [
    (REQUEST_CODE, _REQUEST_CODE_RE, canonical_request_code),
    (CUSTOMER_CODE, _CUSTOMER_CODE_RE, canonical_customer_code),
    (PHONE, _PHONE_RE, canonical_phone),
]


def find_codes(text: str) -> List[CodeMatch]:
    """All non-overlapping identifiers in ``text``, left to right.

    Request codes win over phones, and customer codes over phones, where they
    overlap (``HD 0903123456`` is a contract request, not a phone).
    """
    found: List[CodeMatch] = []
    for entity, pattern, canonical in _RECOGNISERS:
        for match in pattern.finditer(text):
            value = canonical(match.group(0))
            if value is None:
                continue
            start, end = match.span()
            if any(start < other.end and other.start < end for other in found):
                continue
            found.append(CodeMatch(entity, start, end, value))
    return sorted(found, key=lambda m: m.start)

