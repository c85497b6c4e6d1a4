"""Bill calculation from the versioned tariff data (tariffs.yml)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple, Union

import yaml

from common import clock

TARIFF_FILE = Path(__file__).parent / "tariffs.yml"
# Beyond any real household's consumption; protects against absurd input.
MAX_KWH = Decimal(10_000_000)

Number = Union[int, float, str, Decimal]


class TariffError(ValueError):
    """Invalid input for a tariff calculation (negative, not a number, no tariff for the date)."""


@dataclass(frozen=True)
class Tier:
    number: int
    up_to: Optional[int]
    price: int


@dataclass(frozen=True)
class Tariff:
    decision: str
    effective_from: dt.date
    tiers: Tuple[Tier, ...]
    prepaid_card: int
    business_low_voltage: dict
    production_low_voltage: dict


@dataclass(frozen=True)
class TierLine:
    tier: int
    kwh: Decimal
    price: int
    amount: int


@dataclass(frozen=True)
class BillBreakdown:
    kwh: Decimal
    lines: Tuple[TierLine, ...]
    subtotal: int
    vat_rate: Decimal
    vat: int
    total: int
    decision: str


@dataclass(frozen=True)
class _VatPeriod:
    rate: Decimal
    start: dt.date
    end: Optional[dt.date]


@lru_cache(maxsize=4)
def load_tariffs(path: Path = TARIFF_FILE) -> Tuple[Tuple[Tariff, ...], Tuple[_VatPeriod, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    tariffs = tuple(
        sorted(
            (
                Tariff(
                    decision=v["decision"],
                    effective_from=v["effective_from"],
                    tiers=tuple(
                        Tier(i, t["up_to"], int(t["price"]))
                        for i, t in enumerate(v["residential"]["tiers"], start=1)
                    ),
                    prepaid_card=int(v["residential"]["prepaid_card"]),
                    business_low_voltage=dict(v["business_low_voltage"]),
                    production_low_voltage=dict(v["production_low_voltage"]),
                )
                for v in data["versions"]
            ),
            key=lambda t: t.effective_from,
        )
    )
    vat = tuple(
        _VatPeriod(Decimal(p["rate"]), p["effective_from"], p.get("effective_to"))
        for p in data["vat"]
    )
    return tariffs, vat


def tariff_on(day: Optional[dt.date] = None) -> Tariff:
    """The tariff in force on ``day`` (today on the assistant's clock by default)."""
    day = day or clock.today()
    tariffs, _ = load_tariffs()
    valid = [t for t in tariffs if t.effective_from <= day]
    if not valid:
        raise TariffError(f"no tariff in force on {day.isoformat()}")
    return valid[-1]


def vat_rate_on(day: Optional[dt.date] = None) -> Decimal:
    """The VAT rate on ``day`` (default: today on the clock): the most specific period that covers it wins."""
    day = day or clock.today()
    _, periods = load_tariffs()
    covering = [p for p in periods if p.start <= day and (p.end is None or day <= p.end)]
    if not covering:
        raise TariffError(f"no VAT rate for {day.isoformat()}")
    return max(covering, key=lambda p: p.start).rate


def _as_kwh(kwh: Number) -> Decimal:
    if isinstance(kwh, bool):
        raise TariffError("kWh must be a number")
    try:
        value = Decimal(str(kwh).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise TariffError(f"not a number of kWh: {kwh!r}") from None
    if not value.is_finite() or value < 0:
        raise TariffError(f"kWh must be zero or more, not {kwh!r}")
    if value > MAX_KWH:
        raise TariffError(f"{kwh!r} kWh is beyond any meter's range")
    return value


def _money(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _with_vat(kwh: Decimal, lines: List[TierLine], day: dt.date, decision: str) -> BillBreakdown:
    subtotal = sum(line.amount for line in lines)
    rate = vat_rate_on(day)
    vat = _money(subtotal * rate)
    return BillBreakdown(kwh, tuple(lines), subtotal, rate, vat, subtotal + vat, decision)


def residential_bill(kwh: Number, day: Optional[dt.date] = None, households: int = 1) -> BillBreakdown:
    """Residential bill for ``kwh``: tiered price per household quota, then VAT.

    ``households`` multiplies every tier's width (the quota of a meter shared by
    several registered households: 4 people = 1 household).
    """
    if not isinstance(households, int) or households < 1:
        raise TariffError("households must be a whole number, at least 1")
    value = _as_kwh(kwh)
    day = day or clock.today()
    tariff = tariff_on(day)
    lines: List[TierLine] = []
    lower = Decimal(0)
    for tier in tariff.tiers:
        if value <= lower:
            break
        upper = value if tier.up_to is None else min(value, Decimal(tier.up_to * households))
        used = upper - lower
        if used > 0:
            lines.append(TierLine(tier.number, used, tier.price, _money(used * tier.price)))
        lower = upper
    return _with_vat(value, lines, day, tariff.decision)


def business_bill(kwh: Number, day: Optional[dt.date] = None, purpose: str = "business") -> BillBreakdown:
    """Business or production bill at the low-voltage normal-hours price, then VAT."""
    value = _as_kwh(kwh)
    day = day or clock.today()
    tariff = tariff_on(day)
    prices = {"business": tariff.business_low_voltage, "production": tariff.production_low_voltage}
    if purpose not in prices:
        raise TariffError(f"unknown purpose {purpose!r}")
    price = int(prices[purpose]["normal"])
    lines = [TierLine(0, value, price, _money(value * price))] if value else []
    return _with_vat(value, lines, day, tariff.decision)
