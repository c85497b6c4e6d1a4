"""Sandbox-only calendar rules. The clock itself (Vietnam time, ASSISTANT_TODAY) is common.clock.

Datetimes are stored naive, in Vietnam time, and serialized with their ``+07:00``
offset (common.clock.aware).
"""

from __future__ import annotations

import datetime as dt


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days (Monday to Friday) after ``start``."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day
