"""Password hashing: scrypt (hashlib, no dependency), ``scrypt$<salt hex>$<digest hex>``.

An unknown username is checked against ``dummy_hash()`` (made once, nobody knows its password), so
that signing in with it costs the same scrypt as a wrong password: the answer's time does not tell
which usernames exist.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache
from typing import Optional

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, salt, _ = stored.split("$")
        salt_bytes = bytes.fromhex(salt)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    return hmac.compare_digest(hash_password(password, salt_bytes), stored)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """What an unknown username's password is checked against (nobody knows its password)."""
    return hash_password(secrets.token_urlsafe(24))
