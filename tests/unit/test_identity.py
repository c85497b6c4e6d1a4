"""Verification proofs (actions/identity.py) and our limits on identity checks (actions/attempts.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from actions import identity
from actions.attempts import MAX_WAIT_SECONDS, WINDOW_SECONDS, Backoff

KEY = "unit-test-proof-key"
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
CODE = "PE01000123456"


def test_a_proof_proves_its_conversation_and_code_until_it_expires():
    proof = identity.issue(KEY, "conv-a", CODE, NOW, ttl_minutes=30)
    assert identity.proven_code(KEY, proof, "conv-a", CODE, NOW) == CODE
    assert identity.proven_code(KEY, proof, "conv-a", CODE, NOW + dt.timedelta(minutes=29)) == CODE
    assert identity.proven_code(KEY, proof, "conv-a", CODE, NOW + dt.timedelta(minutes=30)) is None


@pytest.mark.parametrize("proof, sender, code, key", [
    (None, "conv-a", CODE, KEY),                            # a bare "verified" slot
    ("v1.9999999999.deadbeef", "conv-a", CODE, KEY),        # forged
    ("SAME", "conv-b", CODE, KEY),                          # copied into another conversation
    ("SAME", "conv-a", "PE05000234567", KEY),               # for another customer
    ("SAME", "conv-a", CODE, "another-key"),                # after the key was rotated
    ("SAME", "conv-a", CODE, ""),                           # no key configured: nothing is proven
    ("garbage", "conv-a", CODE, KEY),
    ("v2.1.2", "conv-a", CODE, KEY),
])
def test_a_proof_for_anything_else_proves_nothing(proof, sender, code, key):
    if proof == "SAME":
        proof = identity.issue(KEY, "conv-a", CODE, NOW, ttl_minutes=30)
    assert identity.proven_code(key, proof, sender, code, NOW) is None


def test_an_extended_expiry_breaks_the_proof():
    version, expires, mac = identity.issue(KEY, "conv-a", CODE, NOW, ttl_minutes=30).split(".")
    assert identity.proven_code(KEY, f"{version}.{int(expires) + 3600}.{mac}", "conv-a", CODE, NOW) is None


def test_no_key_no_proof():
    with pytest.raises(ValueError):
        identity.issue("", "conv-a", CODE, NOW, ttl_minutes=30)


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_backoff_slows_guessing_without_locking_the_owner_out():
    clock = FakeTime()
    limit = Backoff(free=3, backoff_seconds=60, clock=clock)
    for _ in range(3):
        assert limit.wait_seconds("PE1") == 0
        limit.failed("PE1")
    assert limit.wait_seconds("PE1") == 60
    clock.now += 60
    assert limit.wait_seconds("PE1") == 0  # the owner may try again after a minute, not after a lock
    limit.failed("PE1")
    assert limit.wait_seconds("PE1") == 120  # doubling
    for _ in range(10):
        limit.failed("PE1")
    assert limit.wait_seconds("PE1") == MAX_WAIT_SECONDS
    assert limit.wait_seconds("PE2") == 0  # other codes are not affected


def test_success_clears_and_old_failures_are_forgotten():
    clock = FakeTime()
    limit = Backoff(free=2, backoff_seconds=60, clock=clock)
    limit.failed("a"), limit.failed("a")
    assert limit.wait_seconds("a") > 0
    limit.succeeded("a")
    assert limit.wait_seconds("a") == 0 and limit.failures("a") == 0
    limit.failed("b"), limit.failed("b")
    clock.now += WINDOW_SECONDS + 1
    assert limit.wait_seconds("b") == 0 and limit.failures("b") == 0
