"""How amounts, quantities and dates are written for Vietnamese customers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Union

Number = Union[int, Decimal]


def _group_thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def format_vnd(amount: Number) -> str:
    """``346356`` -> ``346.356 đ`` (dots between thousands, as on Vietnamese bills)."""
    rounded = int(Decimal(amount).to_integral_value())
    sign = "-" if rounded < 0 else ""
    return f"{sign}{_group_thousands(abs(rounded))} đ"


def format_kwh(kwh: Number) -> str:
    """``1500`` -> ``1.500 kWh``; decimals with a comma: ``12,5 kWh``."""
    value = Decimal(kwh)
    if value == value.to_integral_value():
        return f"{_group_thousands(int(value))} kWh"
    whole, _, fraction = f"{value.normalize():f}".partition(".")
    return f"{_group_thousands(int(whole))},{fraction} kWh"


def format_date(day: dt.date) -> str:
    """``2026-11-24`` -> ``24/11/2026``."""
    return day.strftime("%d/%m/%Y")


def format_percent(rate: Decimal) -> str:
    """``0.08`` -> ``8%``; ``0.055`` -> ``5,5%``."""
    percent = (Decimal(rate) * 100).normalize()
    whole, _, fraction = f"{percent:f}".partition(".")
    return f"{whole},{fraction}%" if fraction else f"{whole}%"


def format_vat(period) -> str:
    """A tariff.VatPeriod as customers read it: ``Thuế GTGT 8% (áp dụng đến 31/12/2026)``,
    or ``Thuế GTGT 10%`` when the rate has no end date."""
    rate = f"Thuế GTGT {format_percent(period.rate)}"
    return f"{rate} (áp dụng đến {format_date(period.end)})" if period.end else rate
