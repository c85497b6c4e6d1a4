"""The assistant's one clock: Vietnam time (UTC+7, no daylight saving), real or pinned.

Every runtime (actions, back-office sandbox, tariff defaults) reads the same
setting, ``ASSISTANT_TODAY``:

- unset or empty: real time;
- an ISO date, ``2026-11-24``: that day at 10:00 Vietnam time, for ever;
- an ISO datetime, ``2026-11-24T15:30`` (Vietnam time) or with an offset
  (``2026-11-24T08:30Z``, ``…+07:00``): that moment.

Datetimes are naive Vietnam wall-clock time unless said otherwise (``aware``
adds the +07:00 offset). Stdlib only, the same behaviour on Python 3.10 and 3.11.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import Mapping, Optional

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
SETTING = "ASSISTANT_TODAY"
# A pinned date alone means this time of that day.
REFERENCE_TIME = dt.time(10, 0)
# What both runtimes' fromisoformat accept alike (3.11 alone would take 20261124, weeks…).
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?", re.I)


class ClockError(ValueError):
    """A reference moment that is not an ISO date or datetime."""


def to_local(moment: dt.datetime) -> dt.datetime:
    """An aware datetime converted to naive Vietnam time; a naive one is taken as Vietnam time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(VIETNAM).replace(tzinfo=None)


def aware(moment: Optional[dt.datetime]) -> Optional[dt.datetime]:
    """A naive Vietnam time with its +07:00 offset (None stays None)."""
    return None if moment is None else moment.replace(tzinfo=VIETNAM)


@dataclass(frozen=True)
class Clock:
    """Real Vietnam time, or the ``fixed`` moment (tests, demos, evaluations)."""

    fixed: Optional[dt.datetime] = None

    def __post_init__(self) -> None:
        if self.fixed is not None:
            object.__setattr__(self, "fixed", to_local(self.fixed))

    @property
    def pinned(self) -> bool:
        return self.fixed is not None

    def now(self) -> dt.datetime:
        """Naive Vietnam time, to the second."""
        if self.fixed is not None:
            return self.fixed
        return dt.datetime.now(VIETNAM).replace(tzinfo=None, microsecond=0)

    def today(self) -> dt.date:
        return self.now().date()


def parse_reference(value: str) -> dt.datetime:
    """``2026-11-24`` -> 2026-11-24 10:00; ``2026-11-24T15:30`` (or with an offset) -> that
    moment in naive Vietnam time, to the second."""
    text = value.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.datetime.combine(dt.date.fromisoformat(text), REFERENCE_TIME)
        if _ISO_DATETIME.fullmatch(text):
            if text[-1] in "Zz":  # Python 3.10 does not read Z
                text = text[:-1] + "+00:00"
            return to_local(dt.datetime.fromisoformat(text)).replace(microsecond=0)
    except ValueError:  # 2026-02-30, 25:00…
        pass
    raise ClockError(f"not an ISO date or datetime: {value!r} (expected e.g. 2026-11-24 or 2026-11-24T15:30)")


def clock_from_env(env: Optional[Mapping[str, str]] = None) -> Clock:
    """The clock ``ASSISTANT_TODAY`` asks for (``os.environ`` by default): pinned, or real time."""
    value = (os.environ if env is None else env).get(SETTING, "").strip()
    if not value:
        return Clock()
    try:
        return Clock(parse_reference(value))
    except ClockError as error:
        raise ClockError(f"{SETTING}: {error}") from None


def today(env: Optional[Mapping[str, str]] = None) -> dt.date:
    """Today on the clock of ``env`` (``os.environ`` by default)."""
    return clock_from_env(env).today()
