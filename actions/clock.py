"""The actions' clock: the one clock setting of the project (``ASSISTANT_TODAY``, common/clock.py), read once."""

from __future__ import annotations

import datetime as dt

from actions.settings import settings

CLOCK = settings().clock


def today() -> dt.date:
    return CLOCK.today()


def now() -> dt.datetime:
    return CLOCK.now()
