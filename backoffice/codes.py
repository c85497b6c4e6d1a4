"""Identifiers: customer codes, phones, request codes and planned-outage codes.

Codes are ``prefix + year + 6 digits`` (YC2026482913). The 6 digits of a request's code
(YC connection, SC outage report, HD contract change, KN complaint) are **random**
(``new_request_code``, from ``secrets``): a code tells nothing about the others, so they
cannot be walked. Planned outages (CD, public information) keep a sequence per prefix and
year in ``code_counters`` (``next_code``).
"""

from __future__ import annotations

import random
import re
import secrets
from typing import Collection, Optional, Union

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.text.codes import canonical_phone, canonical_request_code
from backoffice.models import CodeCounter, ServiceRequest
from vocabulary import customer_code

_GENERATED_CODE_RE = re.compile(r"([A-Z]{2})(\d{4})(\d{6})")
MAX_SEQUENCE = 999_999

__all__ = [
    "canonical_phone",
    "canonical_request_code",
    "format_code",
    "new_request_code",
    "next_code",
    "normalize_customer_code",
    "reserve_code",
]


def normalize_customer_code(raw: str) -> Optional[str]:
    """``pe 0100 0123456`` -> ``PE01000123456``; None if it cannot be a customer code (the shared
    rule: vocabulary.customer_code)."""
    return customer_code(raw)


def format_code(prefix: str, year: int, number: int) -> str:
    if not 0 < number <= MAX_SEQUENCE:
        raise ValueError(f"sequence {number} of {prefix}{year} is out of range")
    return f"{prefix}{year:04d}{number:06d}"


def _counter_filter(prefix: str, year: int):
    table = CodeCounter.__table__
    return table, (table.c.prefix == prefix) & (table.c.year == year)


def next_code(session: Session, prefix: str, year: int) -> str:
    """The next free code for ``prefix`` in ``year``; safe under concurrent writers."""
    table, where = _counter_filter(prefix, year)
    bump = update(table).where(where).values(last_value=table.c.last_value + 1).returning(table.c.last_value)
    number = session.execute(bump).scalar_one_or_none()
    if number is None:
        try:
            with session.begin_nested():
                session.execute(insert(table).values(prefix=prefix, year=year, last_value=1))
            number = 1
        except IntegrityError:  # another writer created the counter first
            number = session.execute(bump).scalar_one()
    return format_code(prefix, year, number)


_SYSTEM_RANDOM = secrets.SystemRandom()
_TRIES = 100


def new_request_code(session: Session, prefix: str, year: int,
                     rng: Union[random.Random, secrets.SystemRandom] = _SYSTEM_RANDOM,
                     taken: Collection[str] = ()) -> str:
    """A request code with 6 random digits that no request has (nor ``taken``: codes given
    but not flushed yet). The database's unique constraint settles a race between writers
    (on SQLite one writer at a time holds the database, so none happens)."""
    for _ in range(_TRIES):
        code = format_code(prefix, year, rng.randint(1, MAX_SEQUENCE))
        if code in taken:
            continue
        if session.scalar(select(ServiceRequest.id).where(ServiceRequest.code == code)) is None:
            return code
    raise RuntimeError(f"no free request code left for {prefix}{year}")


def reserve_code(session: Session, code: str) -> str:
    """Make sure ``code`` (e.g. a documented demo outage code) is never given out by next_code."""
    match = _GENERATED_CODE_RE.fullmatch(code)
    if not match:
        raise ValueError(f"not a generated code: {code!r}")
    prefix, year, number = match.group(1), int(match.group(2)), int(match.group(3))
    table, where = _counter_filter(prefix, year)
    current = session.execute(select(table.c.last_value).where(where)).scalar_one_or_none()
    if current is None:
        session.execute(insert(table).values(prefix=prefix, year=year, last_value=number))
    elif current < number:
        session.execute(update(table).where(where).values(last_value=number))
    return code
