"""Electricity tariffs and bill calculation, shared by the actions and the back-office sandbox.

Pure Python (PyYAML and the stdlib-only common.clock), usable from both runtimes. Every
function taking a ``day`` defaults to today on the assistant's clock (ASSISTANT_TODAY);
callers pass the day they mean.
"""

from tariff.calculator import (
    BillBreakdown,
    GroupTariff,
    TierLine,
    Tariff,
    TariffError,
    VatPeriod,
    business_bill,
    load_tariffs,
    prepaid_bill,
    residential_bill,
    single_tier_bill,
    tariff_for_group,
    tariff_on,
    vat_period_on,
    vat_rate_on,
)
from tariff.formatting import format_date, format_kwh, format_percent, format_vat, format_vnd

__all__ = [
    "BillBreakdown",
    "GroupTariff",
    "TierLine",
    "Tariff",
    "TariffError",
    "VatPeriod",
    "business_bill",
    "format_date",
    "format_kwh",
    "format_percent",
    "format_vat",
    "format_vnd",
    "load_tariffs",
    "prepaid_bill",
    "residential_bill",
    "single_tier_bill",
    "tariff_for_group",
    "tariff_on",
    "vat_period_on",
    "vat_rate_on",
]
