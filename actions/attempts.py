"""Our own limits on identity checks, so that guessing stops here, not at the back office.

The back office may lock a customer code after a few wrong digits, for everyone,
its owner included. Before that, the action server slows guessing down on its
side: per conversation and per customer code, after ``free`` failures within
``window`` each further check waits ``backoff · 2^k`` seconds (capped), instead of
a hard lock that would keep the owner out. A success clears the conversation and
the code. In memory, per action-server process (the production issue moves it to
Redis, keyed the same way).
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Callable, Dict, List, Optional

WINDOW_SECONDS = 15 * 60
MAX_WAIT_SECONDS = 15 * 60


def minutes_of(seconds: int) -> int:
    """A wait as the customer is told it: whole minutes, at least 1."""
    return max(1, -(-int(seconds) // 60))


class Backoff:
    def __init__(self, free: int, backoff_seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.backoff, self.clock = free, backoff_seconds, clock
        self._failures: Dict[str, List[float]] = defaultdict(list)

    def _recent(self, key: str) -> List[float]:
        cutoff = self.clock() - WINDOW_SECONDS
        kept = [t for t in self._failures.get(key, []) if t > cutoff]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def wait_seconds(self, key: str) -> int:
        """Seconds before ``key`` may try again (0: now)."""
        failures = self._recent(key)
        if len(failures) < self.free:
            return 0
        wait = min(MAX_WAIT_SECONDS, self.backoff * 2 ** (len(failures) - self.free))
        return max(0, int(failures[-1] + wait - self.clock() + 0.999))

    def failed(self, key: str) -> None:
        self._failures[key].append(self.clock())

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)

    def failures(self, key: str) -> int:
        return len(self._recent(key))


_LIMITS: Optional[Dict[str, Backoff]] = None


def limits() -> Dict[str, Backoff]:
    """``{"conversation": …, "code": …, "request_lookup": …}`` built once from the settings."""
    global _LIMITS
    if _LIMITS is None:
        from actions.settings import settings

        s = settings()
        _LIMITS = {
            "conversation": Backoff(s.verification_attempts_per_conversation, s.verification_backoff_seconds),
            "code": Backoff(s.verification_attempts_per_code, s.verification_backoff_seconds),
            # Request lookups that found nothing (wrong digits, unknown code or phone), per conversation.
            "request_lookup": Backoff(s.verification_attempts_per_conversation, s.verification_backoff_seconds),
        }
    return _LIMITS
