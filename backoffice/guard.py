"""Limits guessing: identity checks fail closed after repeated wrong answers."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from typing import Callable, Deque


class AttemptLimiter:
    """At most ``max_failures`` wrong answers per key in ``window`` seconds (in memory).

    At most ``max_keys`` keys are remembered (the least recently failed are forgotten first),
    so that walking through made-up keys cannot exhaust the memory."""

    def __init__(self, max_failures: int = 5, window: float = 900.0,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self.max_failures = max_failures
        self.window = window
        self.max_keys = max_keys
        self._clock = clock
        self._failures: "OrderedDict[str, Deque[float]]" = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: str) -> Deque[float]:
        failures = self._failures.get(key)
        if failures is None:
            return deque()
        horizon = self._clock() - self.window
        while failures and failures[0] < horizon:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return failures

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key`` may answer again; 0 when it is not blocked."""
        with self._lock:
            failures = self._recent(key)
            if len(failures) < self.max_failures:
                return 0
            unblocked_at = failures[len(failures) - self.max_failures] + self.window
            return max(1, math.ceil(unblocked_at - self._clock()))

    def blocked(self, key: str) -> bool:
        return self.retry_after(key) > 0

    def failed(self, key: str) -> None:
        with self._lock:
            failures = self._recent(key)
            failures.append(self._clock())
            self._failures[key] = failures
            self._failures.move_to_end(key)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def __len__(self) -> int:
        return len(self._failures)
