"""Proof of a verification: what lets an action show a customer's data.

A slot saying "verified" proves nothing: whoever can post a tracker to the action
server could set it. The verification action, and only it, issues a proof when the
back office confirmed the customer code and the phone digits: an HMAC (key
``VERIFICATION_PROOF_KEY``, known to the action server alone) over the conversation
id, the customer code and an expiry. Every action that reads a customer's data asks
:func:`proven_code`, which recomputes it: a proof copied into another conversation,
for another code, expired or forged is worth nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any, Dict, Optional

from rasa_sdk import Tracker

from actions import clock
from actions.settings import settings

VERIFIED = "verified_customer_code"
VERIFIED_AT = "verified_at"
PROOF = "verification_proof"
VERSION = "v1"


def _mac(key: str, sender: str, code: str, expires: int) -> str:
    message = f"{VERSION}|{sender}|{code}|{expires}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def issue(key: str, sender: str, code: str, now: dt.datetime, ttl_minutes: int) -> str:
    """``v1.<expiry epoch>.<hmac>`` for this conversation and code."""
    if not key:
        raise ValueError("VERIFICATION_PROOF_KEY is not set")
    expires = int((now + dt.timedelta(minutes=ttl_minutes)).timestamp())
    return f"{VERSION}.{expires}.{_mac(key, sender, code, expires)}"


def proven_code(key: str, proof: Optional[str], sender: str, code: Optional[str], now: dt.datetime) -> Optional[str]:
    """``code`` when ``proof`` proves it for this conversation and has not expired, else None."""
    if not (key and proof and code and isinstance(proof, str)):
        return None
    try:
        version, expires_text, mac = proof.split(".")
        expires = int(expires_text)
    except ValueError:
        return None
    if version != VERSION or now.timestamp() >= expires:
        return None
    return code if hmac.compare_digest(mac, _mac(key, sender, code, expires)) else None


def verified_in(slots: Dict[str, Any], sender: str) -> Optional[str]:
    """The code these slot values prove verified in conversation ``sender``, unless the customer
    has since named another code."""
    verified, named = slots.get(VERIFIED), slots.get("customer_code")
    if named and verified and named.upper().replace(" ", "") != verified:
        return None
    return proven_code(settings().verification_proof_key, slots.get(PROOF), sender, verified, clock.now())


def verified_code(tracker: Tracker) -> Optional[str]:
    return verified_in(tracker.slots, tracker.sender_id)


def verified_since(slots: Dict[str, Any]) -> Optional[dt.datetime]:
    """When the proof in these slots was issued (its expiry minus the validity); None without one.
    Only meaningful with :func:`verified_in`, which checks the proof itself."""
    try:
        expires = int(str(slots.get(PROOF)).split(".")[1])
    except (IndexError, ValueError):
        return None
    issued = expires - settings().verification_ttl_minutes * 60
    return dt.datetime.fromtimestamp(issued, tz=clock.now().tzinfo)
