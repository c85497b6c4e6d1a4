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
