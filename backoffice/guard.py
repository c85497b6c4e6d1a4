"""Limits guessing: identity checks fail closed after repeated wrong answers."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from typing import Callable, Deque, Dict


class AttemptLimiter:
    """At most ``max_failures`` wrong answers per key in ``window`` seconds (in memory)."""

    def __init__(self, max_failures: int = 5, window: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window = window
        self._clock = clock
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str) -> Deque[float]:
        failures = self._failures[key]
        horizon = self._clock() - self.window
        while failures and failures[0] < horizon:
            failures.popleft()
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
            self._recent(key).append(self._clock())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
