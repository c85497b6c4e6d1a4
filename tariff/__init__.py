"""Electricity tariffs and bill calculation, shared by the actions and the back-office sandbox.

Pure Python (PyYAML and the stdlib-only common.clock), usable from both runtimes. Every
function taking a ``day`` defaults to today on the assistant's clock (ASSISTANT_TODAY);
callers pass the day they mean.
"""

from tariff.calculator import (
    BillBreakdown,
    TierLine,
    Tariff,
    TariffError,
    business_bill,
    load_tariffs,
    residential_bill,
    tariff_on,
    vat_rate_on,
)
from tariff.formatting import format_date, format_kwh, format_vnd

__all__ = [
    "BillBreakdown",
    "TierLine",
    "Tariff",
    "TariffError",
    "business_bill",
    "format_date",
    "format_kwh",
    "format_vnd",
    "load_tariffs",
    "residential_bill",
    "tariff_on",
    "vat_rate_on",
]
