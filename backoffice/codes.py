"""Identifiers: customer codes, phones, request codes, and the sequence that numbers new codes.

Generated codes are ``prefix + year + 6-digit sequence`` (YC2026000123); the
sequence restarts every year and is kept per prefix in ``code_counters``.
"""

from __future__ import annotations

import re
from typing import Optional

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.text.codes import canonical_phone, canonical_request_code
from backoffice.models import CodeCounter

# P, a letter for the power corporation (E EVNHCMC, D EVNHANOI, C EVNCPC, B EVNSPC…),
# then 11 letters or digits.
_CUSTOMER_CODE_RE = re.compile(r"P[A-Z][A-Z0-9]{11}")
_GENERATED_CODE_RE = re.compile(r"([A-Z]{2})(\d{4})(\d{6})")
MAX_SEQUENCE = 999_999

__all__ = [
    "canonical_phone",
    "canonical_request_code",
    "format_code",
    "next_code",
    "normalize_customer_code",
    "reserve_code",
]


def normalize_customer_code(raw: str) -> Optional[str]:
    """``pe 0100 0123456`` -> ``PE01000123456``; None if it cannot be a customer code."""
    if len(raw) > 40:
        return None
    compact = re.sub(r"[\s\-.]", "", raw).upper()
    return compact if _CUSTOMER_CODE_RE.fullmatch(compact) else None


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


def reserve_code(session: Session, code: str) -> str:
    """Make sure ``code`` (e.g. a documented demo code) is never given out by next_code."""
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
