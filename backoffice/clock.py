"""Vietnam time and the sandbox's notion of "now".

Datetimes are stored naive, in Vietnam time (UTC+7, no daylight saving), and
serialized with their ``+07:00`` offset.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

ICT = dt.timezone(dt.timedelta(hours=7), "ICT")
# With a fixed reference date (BACKOFFICE_TODAY=YYYY-MM-DD), "now" is this time of that day.
REFERENCE_TIME = dt.time(10, 0)


def to_local(moment: dt.datetime) -> dt.datetime:
    """An aware datetime converted to naive Vietnam time; a naive one is taken as Vietnam time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ICT).replace(tzinfo=None)


def aware(moment: Optional[dt.datetime]) -> Optional[dt.datetime]:
    """A stored (naive, Vietnam time) datetime with its +07:00 offset, for the API."""
    return None if moment is None else moment.replace(tzinfo=ICT)


@dataclass(frozen=True)
class Clock:
    """Real Vietnam time, or a fixed moment when ``fixed`` is set (tests, demos)."""

    fixed: Optional[dt.datetime] = None

    def now(self) -> dt.datetime:
        if self.fixed is not None:
            return self.fixed
        return dt.datetime.now(ICT).replace(tzinfo=None, microsecond=0)

    def today(self) -> dt.date:
        return self.now().date()


def parse_reference(value: str) -> dt.datetime:
    """``2026-11-24`` -> 2026-11-24 10:00; ``2026-11-24T15:30`` (or with an offset) as given."""
    value = value.strip()
    try:
        if "T" not in value and " " not in value:
            return dt.datetime.combine(dt.date.fromisoformat(value), REFERENCE_TIME)
        return to_local(dt.datetime.fromisoformat(value)).replace(microsecond=0)
    except ValueError:
        raise ValueError(f"not an ISO date or datetime: {value!r}") from None


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days (Monday to Friday) after ``start``."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day
