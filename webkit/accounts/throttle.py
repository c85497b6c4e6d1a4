"""Backoff of failed sign-ins, per (username, client address).

After ``free_attempts`` wrong passwords for a username from one address, every further
attempt from there waits: ``backoff_seconds``, doubled at each new failure up to
``backoff_max_seconds``; meanwhile the answer is 429 with ``Retry-After``, whatever the
password (it is not even checked). A success forgets the failures; so does
``forget_seconds`` without one. It is not a lock of the account: the same username from
another address is not slowed down, so nobody can lock an admin out by failing on purpose.

``LoginThrottle`` is the interface the sign-in route (webkit.accounts.routes) uses;
``MemoryLoginThrottle`` keeps the failures in this process (the production issue moves them to
Redis, shared by replicas). Each service gives its own limits (the web app: the WEBAPP_LOGIN_*
settings).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Protocol, Tuple

Key = Tuple[str, str]  # (username as compared: trimmed, case-folded; client address)


@dataclass(frozen=True)
class LoginLimits:
    """Backoff of failed sign-ins per (username, client address)."""
    free_attempts: int = 5
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 900.0
    forget_seconds: float = 3600.0


def key(username: str, address: str) -> Key:
    return username.strip().casefold()[:80], address


class LoginThrottle(Protocol):
    def retry_after(self, key: Key) -> int:
        """Whole seconds before ``key`` may try again; 0 when it may now."""

    def failed(self, key: Key) -> None:
        """A wrong password (or an unknown username) for ``key``."""

    def succeeded(self, key: Key) -> None:
        """A successful sign-in: the failures of ``key`` are forgotten."""


@dataclass
class _Failures:
    count: int
    last: float
    blocked_until: float


class MemoryLoginThrottle:
    """In this process, thread-safe; at most ``max_keys`` keys (the oldest failures are dropped first)."""

    def __init__(self, limits: LoginLimits, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000) -> None:
        self.limits = limits
        self.clock = clock
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._failures: "OrderedDict[Key, _Failures]" = OrderedDict()

    def _current(self, key: Key, now: float):
        state = self._failures.get(key)
        if state is not None and now - state.last > self.limits.forget_seconds and now >= state.blocked_until:
            del self._failures[key]
            return None
        return state

    def delay(self, failures: int) -> float:
        """The wait after the ``failures``-th failure in a row (0 while they are free)."""
        beyond = failures - self.limits.free_attempts
        if beyond < 0:
            return 0.0
        return min(self.limits.backoff_max_seconds, self.limits.backoff_seconds * 2.0 ** min(beyond, 60))

    def retry_after(self, key: Key) -> int:
        with self._lock:
            now = self.clock()
            state = self._current(key, now)
            if state is None or state.blocked_until <= now:
                return 0
            return max(1, math.ceil(state.blocked_until - now))

    def failed(self, key: Key) -> None:
        with self._lock:
            now = self.clock()
            state = self._current(key, now)
            if state is None:
                state = self._failures[key] = _Failures(0, now, now)
            state.count += 1
            state.last = now
            state.blocked_until = now + self.delay(state.count)
            self._failures.move_to_end(key)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def succeeded(self, key: Key) -> None:
        with self._lock:
            self._failures.pop(key, None)
