"""Understanding which billing month a customer means.

``tháng 10``, ``t10``, ``10/2026``, ``tháng mười``, ``tháng này``, ``kỳ này``,
``tháng trước``, ``3 tháng gần đây`` … are turned into a :class:`PeriodQuery`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from actions import clock
from bot.text.vietnamese import fold_diacritics

LATEST = "latest"
PREVIOUS = "previous"
MONTH = "month"
RECENT = "recent"

MAX_RECENT = 12

_MONTH_WORDS = {
    "mot": 1, "gieng": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7,
    "tam": 8, "chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12, "chap": 12,
}
_COUNT_WORDS = {"hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "vai": 3, "may": 3, "mot vai": 3,
                "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@dataclass(frozen=True)
class PeriodQuery:
    """``kind`` is latest, previous, month (with ``period`` ``YYYY-MM``) or recent (with ``count``)."""

    kind: str
    period: Optional[str] = None
    count: int = 1


def parse_period(text: Optional[str], today: Optional[dt.date] = None) -> Optional[PeriodQuery]:
    """The billing period a customer's words refer to, or None when they name none."""
    if not text or not text.strip():
        return None
    today = today or clock.today()
    folded = " ".join(fold_diacritics(text).lower().split())
    folded = re.sub(r"\bki\b", "ky", folded)  # kì / kỳ are the same word

    recent = re.search(r"(\d{1,2}|mot vai|vai|may|hai|ba|bon|nam|sau) (?:thang|ky) (?:gan day|gan nhat|qua|vua qua|truoc|do lai)", folded)
    recent = recent or re.search(r"(?:last|past|recent) (\d{1,2}|two|three|four|five|six) (?:months|bills|months bills)", folded)
    if recent:
        raw = recent.group(1)
        count = int(raw) if raw.isdigit() else _COUNT_WORDS[raw]
        return PeriodQuery(RECENT, count=max(1, min(count, MAX_RECENT)))

    if re.search(r"\b(thang|ky|thg|t) ?(nay|hien tai|moi nhat|gan nhat)\b|\bky nay\b", folded):
        return PeriodQuery(LATEST)
    if re.search(r"\b(thang|ky|thg) ?(truoc|roi|vua roi|vua qua)\b", folded):
        return PeriodQuery(PREVIOUS)

    explicit = re.search(r"\b(?:thang |thg |t)?(\d{1,2}) ?[/\-.] ?(\d{4})\b", folded)
    if explicit:
        return _month_query(int(explicit.group(1)), int(explicit.group(2)), today)
    numbered = re.search(r"\b(?:thang|thg|t) ?(\d{1,2})\b", folded)
    if numbered:
        return _month_query(int(numbered.group(1)), None, today)
    worded = re.search(r"\bthang (muoi mot|muoi hai|" + "|".join(_MONTH_WORDS) + r")\b", folded)
    if worded:
        return _month_query(_MONTH_WORDS[worded.group(1)], None, today)
    bare = re.fullmatch(r"(\d{1,2})", folded)
    if bare:
        return _month_query(int(bare.group(1)), None, today)
    return None


def _month_query(month: int, year: Optional[int], today: dt.date) -> Optional[PeriodQuery]:
    if not 1 <= month <= 12:
        return None
    if year is None:
        # A month not reached yet this year means last year's.
        year = today.year if month <= today.month else today.year - 1
    if not 2000 <= year <= today.year or (year == today.year and month > today.month):
        return None
    return PeriodQuery(MONTH, period=f"{year:04d}-{month:02d}")


def month_label(period: str) -> str:
    """``2026-10`` -> ``tháng 10/2026``."""
    year, month = period.split("-")
    return f"tháng {int(month)}/{year}"
