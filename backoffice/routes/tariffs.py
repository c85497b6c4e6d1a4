"""The residential tariff in force."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from tariff import TariffError, tariff_on, vat_period_on

from common.clock import Clock
from backoffice.deps import get_clock
from webkit.errors import not_found
from backoffice.schemas import TariffOut, TariffPricesOut, TariffTierOut, VatPeriodOut

router = APIRouter(tags=["tariffs"])


@router.get("/tariffs/current", response_model=TariffOut)
def current_tariff(clock: Clock = Depends(get_clock)) -> TariffOut:
    today = clock.today()
    try:
        tariff, vat = tariff_on(today), vat_period_on(today)
    except TariffError as error:
        raise not_found(str(error)) from None
    tiers, lower = [], 0
    for tier in tariff.tiers:
        tiers.append(TariffTierOut(tier=tier.number, from_kwh=lower, to_kwh=tier.up_to, price=tier.price))
        lower = (tier.up_to or 0) + 1
    return TariffOut(
        decision=tariff.decision,
        effective_from=tariff.effective_from,
        tiers=tiers,
        vat_rate=str(vat.rate),
        vat_period=VatPeriodOut(rate=str(vat.rate), start=vat.start, end=vat.end),
        prepaid_card=tariff.prepaid_card,
        business_low_voltage=TariffPricesOut(**tariff.business_low_voltage),
        production_low_voltage=TariffPricesOut(**tariff.production_low_voltage),
    )
