"""Bill calculation from the versioned tariff data (tariffs.yml)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

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
    # Non-residential groups (business, production…): low-voltage prices by time of use.
    groups: Dict[str, Dict[str, int]]

    @property
    def business_low_voltage(self) -> Dict[str, int]:
        return self.groups["business"]

    @property
    def production_low_voltage(self) -> Dict[str, int]:
        return self.groups["production"]


@dataclass(frozen=True)
class TierLine:
    tier: int
    kwh: Decimal
    price: int
    amount: int


@dataclass(frozen=True)
class VatPeriod:
    """A VAT rate and the days it applies: from ``start`` to ``end`` inclusive (None: no end set)."""

    rate: Decimal
    start: dt.date
    end: Optional[dt.date]

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class BillBreakdown:
    kwh: Decimal
    lines: Tuple[TierLine, ...]
    subtotal: int
    vat: int
    total: int
    decision: str
    vat_period: VatPeriod  # the VAT period that applied

    @property
    def vat_rate(self) -> Decimal:
        return self.vat_period.rate


@dataclass(frozen=True)
class GroupTariff:
    """The low-voltage (< 6 kV) prices of a non-residential group on a day, before VAT."""

    group: str
    decision: str
    effective_from: dt.date
    prices: Dict[str, int]  # by time of use: normal, off_peak, peak
    vat_period: VatPeriod


_GROUP_SUFFIX = "_low_voltage"  # tariffs.yml: <group>_low_voltage: {normal, off_peak, peak}


@lru_cache(maxsize=4)
def load_tariffs(path: Path = TARIFF_FILE) -> Tuple[Tuple[Tariff, ...], Tuple[VatPeriod, ...]]:
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
                    groups={
                        key[: -len(_GROUP_SUFFIX)]: {name: int(price) for name, price in prices.items()}
                        for key, prices in v.items() if key.endswith(_GROUP_SUFFIX)
                    },
                )
                for v in data["versions"]
            ),
            key=lambda t: t.effective_from,
        )
    )
    vat = tuple(
        VatPeriod(Decimal(p["rate"]), p["effective_from"], p.get("effective_to"))
        for p in data["vat"]
    )
    return tariffs, vat


@lru_cache(maxsize=1024)
def _tariff_on(day: dt.date) -> Tariff:
    tariffs, _ = load_tariffs()
    valid = [t for t in tariffs if t.effective_from <= day]
    if not valid:
        raise TariffError(f"no tariff in force on {day.isoformat()}")
    return valid[-1]


def tariff_on(day: Optional[dt.date] = None) -> Tariff:
    """The tariff in force on ``day`` (today on the assistant's clock by default)."""
    return _tariff_on(day or clock.today())


@lru_cache(maxsize=1024)
def _vat_period_on(day: dt.date) -> VatPeriod:
    _, periods = load_tariffs()
    covering = [p for p in periods if p.covers(day)]
    if not covering:
        raise TariffError(f"no VAT rate for {day.isoformat()}")
    return max(covering, key=lambda p: p.start)


def vat_period_on(day: Optional[dt.date] = None) -> VatPeriod:
    """The VAT period applying on ``day`` (default: today on the clock): the most specific
    period that covers it (the one that started last) wins."""
    return _vat_period_on(day or clock.today())


def vat_rate_on(day: Optional[dt.date] = None) -> Decimal:
    """The VAT rate on ``day`` (default: today on the clock); its dates: vat_period_on."""
    return vat_period_on(day).rate


def tariff_for_group(group: str, day: Optional[dt.date] = None) -> GroupTariff:
    """The prices of a non-residential group (``business``, ``production``, any other
    ``<group>_low_voltage`` of tariffs.yml) on ``day`` (default: today on the clock)."""
    day = day or clock.today()
    tariff = tariff_on(day)
    if group not in tariff.groups:
        known = ", ".join(sorted(tariff.groups))
        raise TariffError(f"no {group!r} tariff in tariffs.yml on {day.isoformat()} (there are: {known})")
    return GroupTariff(group, tariff.decision, tariff.effective_from, dict(tariff.groups[group]), vat_period_on(day))


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
    period = vat_period_on(day)
    vat = _money(subtotal * period.rate)
    return BillBreakdown(kwh, tuple(lines), subtotal, vat, subtotal + vat, decision, period)


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
    """Business or production bill (``purpose``: a group of tariff_for_group) at the
    low-voltage normal-hours price, then VAT."""
    value = _as_kwh(kwh)
    day = day or clock.today()
    group = tariff_for_group(purpose, day)
    price = group.prices["normal"]
    lines = [TierLine(0, value, price, _money(value * price))] if value else []
    return _with_vat(value, lines, day, group.decision)


def prepaid_bill(kwh: Number, day: Optional[dt.date] = None) -> BillBreakdown:
    """Residential bill on a prepaid-card meter: one price for every kWh, then VAT."""
    value = _as_kwh(kwh)
    day = day or clock.today()
    tariff = tariff_on(day)
    price = tariff.prepaid_card
    return _with_vat(value, [TierLine(0, value, price, _money(value * price))] if value else [], day, tariff.decision)


def single_tier_bill(kwh: Number, tier: int, day: Optional[dt.date] = None) -> BillBreakdown:
    """Every kWh at one tier's price: tenants without a 12-month lease or a count of people pay tier 3."""
    value = _as_kwh(kwh)
    day = day or clock.today()
    tariff = tariff_on(day)
    chosen = next((t for t in tariff.tiers if t.number == tier), None)
    if chosen is None:
        raise TariffError(f"no tier {tier}")
    lines = [TierLine(chosen.number, value, chosen.price, _money(value * chosen.price))] if value else []
    return _with_vat(value, lines, day, tariff.decision)
