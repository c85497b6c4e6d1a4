"""The actions' clock: the one clock setting of the project (``ASSISTANT_TODAY``, common/clock.py), read once."""

from __future__ import annotations

import datetime as dt
import os

from common.clock import clock_from_env

CLOCK = clock_from_env(os.environ)


def today() -> dt.date:
    return CLOCK.today()


def now() -> dt.datetime:
    return CLOCK.now()
