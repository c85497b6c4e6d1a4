"""The tariff package. Every test states the day it computes for (none relies on the real date)."""

import datetime as dt
from decimal import Decimal

import pytest
import yaml

from common.clock import Clock, parse_reference
from tariff import (
    TariffError,
    VatPeriod,
    business_bill,
    format_date,
    format_kwh,
    format_percent,
    format_vat,
    format_vnd,
    load_tariffs,
    residential_bill,
    tariff_for_group,
    tariff_on,
    vat_period_on,
    vat_rate_on,
)
from tariff.calculator import TARIFF_FILE

DAY = dt.date(2026, 11, 24)  # VAT 8% period
AFTER_REDUCTION = dt.date(2027, 1, 1)  # the 8% ends on 31/12/2026


def test_the_reference_example_150_kwh():
    bill = residential_bill(150, DAY)
    assert [(l.tier, l.kwh, l.price, l.amount) for l in bill.lines] == [
        (1, 50, 1984, 99_200), (2, 50, 2050, 102_500), (3, 50, 2380, 119_000),
    ]
    assert (bill.subtotal, bill.vat, bill.total) == (320_700, 25_656, 346_356)
    assert format_vnd(bill.total) == "346.356 đ"


@pytest.mark.parametrize(
    "kwh, subtotal",
    [
        (0, 0),
        (1, 1984),
        (50, 50 * 1984),
        (51, 50 * 1984 + 2050),
        (100, 50 * 1984 + 50 * 2050),
        (101, 50 * 1984 + 50 * 2050 + 2380),
        (200, 50 * 1984 + 50 * 2050 + 100 * 2380),
        (201, 50 * 1984 + 50 * 2050 + 100 * 2380 + 2998),
        (300, 50 * 1984 + 50 * 2050 + 100 * 2380 + 100 * 2998),
        (400, 50 * 1984 + 50 * 2050 + 100 * 2380 + 100 * 2998 + 100 * 3350),
        (401, 50 * 1984 + 50 * 2050 + 100 * 2380 + 100 * 2998 + 100 * 3350 + 3460),
    ],
)
def test_tier_edges(kwh, subtotal):
    assert residential_bill(kwh, DAY).subtotal == subtotal


def test_zero_kwh_has_no_lines_and_costs_nothing():
    bill = residential_bill(0, DAY)
    assert bill.lines == () and bill.total == 0


def test_huge_consumption_goes_to_the_last_tier():
    bill = residential_bill(1_000_000, DAY)
    assert bill.lines[-1].tier == 6 and bill.lines[-1].kwh == 1_000_000 - 400
    assert bill.total == bill.subtotal + bill.vat


def test_household_quota_widens_every_tier():
    bill = residential_bill(200, DAY, households=2)
    assert [(l.tier, l.kwh) for l in bill.lines] == [(1, 100), (2, 100)]


@pytest.mark.parametrize("bad", [-1, "abc", "", None, float("nan"), float("inf"), True, "1e12"])
def test_bad_kwh_is_refused_clearly(bad):
    with pytest.raises(TariffError):
        residential_bill(bad, DAY)


@pytest.mark.parametrize("bad", [0, -2, 1.5])
def test_bad_household_count_is_refused(bad):
    with pytest.raises(TariffError):
        residential_bill(100, DAY, households=bad)


def test_decimal_and_comma_input():
    assert residential_bill("12,5", DAY).subtotal == round(Decimal("12.5") * 1984)


def test_vat_periods():
    assert vat_rate_on(dt.date(2026, 12, 31)) == Decimal("0.08")
    assert vat_rate_on(dt.date(2027, 1, 1)) == Decimal("0.10")
    assert vat_rate_on(dt.date(2025, 6, 30)) == Decimal("0.10")


def test_vat_after_the_reduction_is_what_tariffs_yml_says():
    periods = yaml.safe_load(TARIFF_FILE.read_text(encoding="utf-8"))["vat"]
    covering = [p for p in periods if p["effective_from"] <= AFTER_REDUCTION
                and (p.get("effective_to") is None or AFTER_REDUCTION <= p["effective_to"])]
    expected = Decimal(max(covering, key=lambda p: p["effective_from"])["rate"])
    assert expected == Decimal("0.10")  # the file says so today; update both if the reduction is extended
    assert vat_rate_on(AFTER_REDUCTION) == expected
    bill = residential_bill(150, Clock(parse_reference("2027-01-01")).today())
    assert (bill.subtotal, bill.vat_rate, bill.vat, bill.total) == (320_700, expected, 32_070, 352_770)


def test_without_a_day_the_assistants_clock_decides(monkeypatch):
    monkeypatch.setenv("ASSISTANT_TODAY", "2026-12-31T23:59")
    assert residential_bill(150).total == 346_356 and vat_rate_on() == Decimal("0.08")
    monkeypatch.setenv("ASSISTANT_TODAY", "2027-01-01")
    assert residential_bill(150).total == 352_770 and business_bill(100).vat_rate == Decimal("0.10")
    assert tariff_on().decision == "Quyết định 1279/QĐ-BCT"


REDUCED = VatPeriod(Decimal("0.08"), dt.date(2025, 7, 1), dt.date(2026, 12, 31))
STANDARD = VatPeriod(Decimal("0.10"), dt.date(2000, 1, 1), None)


@pytest.mark.parametrize("day, period", [
    (dt.date(2025, 6, 30), STANDARD), (dt.date(2025, 7, 1), REDUCED), (DAY, REDUCED),
    (dt.date(2026, 12, 31), REDUCED), (AFTER_REDUCTION, STANDARD),
])
def test_the_vat_period_that_applies(day, period):
    assert vat_period_on(day) == period and vat_rate_on(day) == period.rate
    assert residential_bill(150, day).vat_period == period and business_bill(10, day).vat_period == period


def test_a_bill_says_which_vat_period_it_applied():
    bill = residential_bill(150, DAY)
    assert (bill.vat_rate, bill.vat_period.start, bill.vat_period.end) == (Decimal("0.08"), dt.date(2025, 7, 1),
                                                                           dt.date(2026, 12, 31))
    assert format_vat(bill.vat_period) == "Thuế GTGT 8% (áp dụng đến 31/12/2026)"
    assert format_vat(residential_bill(150, AFTER_REDUCTION).vat_period) == "Thuế GTGT 10%"


def test_percentages():
    assert [format_percent(Decimal(r)) for r in ("0.08", "0.10", "0.055", "0")] == ["8%", "10%", "5,5%", "0%"]


@pytest.mark.parametrize("group, prices", [
    ("business", {"normal": 3152, "off_peak": 1918, "peak": 5422}),
    ("production", {"normal": 1955, "off_peak": 1265, "peak": 3640}),
])
def test_group_tariffs_come_from_tariffs_yml(group, prices):
    version = yaml.safe_load(TARIFF_FILE.read_text(encoding="utf-8"))["versions"][0]
    assert version[f"{group}_low_voltage"] == prices
    found = tariff_for_group(group, DAY)
    assert (found.group, found.prices, found.decision, found.effective_from) == (
        group, prices, "Quyết định 1279/QĐ-BCT", dt.date(2025, 5, 10))
    assert found.vat_period == REDUCED and tariff_for_group(group, AFTER_REDUCTION).vat_period == STANDARD
    assert business_bill(100, DAY, group).lines[0].price == prices["normal"]


@pytest.mark.parametrize("group", ["administrative", "hobby", ""])
def test_a_group_without_data_is_refused_clearly(group):
    with pytest.raises(TariffError, match="tariffs.yml.*there are: business, production"):
        tariff_for_group(group, DAY)


def test_a_group_is_only_a_key_of_the_data(tmp_path):
    text = TARIFF_FILE.read_text(encoding="utf-8").replace(
        "    business_low_voltage:", "    administrative_low_voltage: {normal: 2000}\n    business_low_voltage:")
    (tmp_path / "tariffs.yml").write_text(text, encoding="utf-8")
    tariffs, _ = load_tariffs(tmp_path / "tariffs.yml")
    assert tariffs[0].groups["administrative"] == {"normal": 2000}


def test_tariff_for_group_without_a_day_follows_the_clock(monkeypatch):
    monkeypatch.setenv("ASSISTANT_TODAY", "2027-01-01")
    assert tariff_for_group("business").vat_period == STANDARD


def test_tariff_versions_by_date():
    assert tariff_on(dt.date(2025, 5, 10)).decision == "Quyết định 1279/QĐ-BCT"
    with pytest.raises(TariffError):
        tariff_on(dt.date(2020, 1, 1))


def test_business_bill_is_flat():
    bill = business_bill(100, DAY)
    assert bill.subtotal == 100 * tariff_on(DAY).business_low_voltage["normal"]
    with pytest.raises(TariffError):
        business_bill(100, DAY, purpose="hobby")


def test_formatting():
    assert format_vnd(0) == "0 đ"
    assert format_vnd(1_234_567) == "1.234.567 đ"
    assert format_vnd(-5000) == "-5.000 đ"
    assert format_kwh(1500) == "1.500 kWh"
    assert format_kwh(Decimal("12.5")) == "12,5 kWh"
    assert format_date(dt.date(2026, 3, 1)) == "01/03/2026"
