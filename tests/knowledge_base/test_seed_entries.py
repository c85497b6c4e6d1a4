"""The seed entries (knowledge_base/seed/entries.yml) against the tariff data (tariff/tariffs.yml).

Every price an answer quotes (a number like 2.909, in đồng per kWh) must be one of the
prices of the tariff version in force, the answer must name that version's decision and
say that VAT (thuế GTGT) is extra, and worked examples (``50 × 1.984 + … = 439.700``)
must add up. When a new tariff version is added to tariffs.yml, this test points at the
answers to update.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = yaml.safe_load((ROOT / "knowledge_base" / "seed" / "entries.yml").read_text(encoding="utf-8"))["entries"]
TARIFFS = yaml.safe_load((ROOT / "tariff" / "tariffs.yml").read_text(encoding="utf-8"))
CURRENT = max(TARIFFS["versions"], key=lambda version: version["effective_from"])

# 1.984, 2.909: one digit, a dot, three digits, not part of a longer number; not a quantity (2.000 kWh, 1.000 W).
PRICE = re.compile(r"(?<![\d.,])(\d\.\d{3})(?![\d.,])(?!\**\s*(?:kWh|W|kW|kVA)\b)")
# "50 × 1.984 + 50 × 2.050 + 100 × 2.380 = **439.700", "439.700 + 100 × 2.998 = **739.500"
TERM = r"(?:\d+(?: kWh)? × \d\.\d{3}|\d{1,3}(?:\.\d{3})+)"
SUM = re.compile(rf"({TERM}(?: \+ {TERM})*) = \**(\d{{1,3}}(?:\.\d{{3}})+)")


def number(text: str) -> int:
    return int(text.replace(".", ""))


def current_prices() -> set:
    residential = CURRENT["residential"]
    prices = {tier["price"] for tier in residential["tiers"]} | {residential["prepaid_card"]}
    for key, value in CURRENT.items():
        if isinstance(value, dict) and key != "residential":
            prices |= set(value.values())
    return prices


QUOTING = [entry for entry in ENTRIES if PRICE.search(entry["answer"])]


def test_some_entries_quote_prices():
    assert len(QUOTING) >= 5


@pytest.mark.parametrize("entry", QUOTING, ids=[entry["id"] for entry in QUOTING])
def test_quoted_prices_are_the_tariff_in_force_with_its_decision_and_vat(entry):
    answer = entry["answer"]
    quoted = {number(price) for price in PRICE.findall(answer)}
    assert quoted <= current_prices(), f"not in {CURRENT['decision']}: {sorted(quoted - current_prices())}"
    decision = CURRENT["decision"].replace("Quyết định ", "")
    assert decision in answer, f"the answer should name {CURRENT['decision']}"
    assert "GTGT" in answer, "the answer should say whether VAT is included"


SUMS = [(entry["id"], match) for entry in ENTRIES for match in SUM.findall(entry["answer"])]


def test_some_entries_have_worked_examples():
    assert SUMS


@pytest.mark.parametrize("entry_id, match", SUMS, ids=[f"{entry_id}:{match[1]}" for entry_id, match in SUMS])
def test_worked_examples_add_up(entry_id, match):
    expression, total = match
    value = 0
    for term in expression.split(" + "):
        if "×" in term:
            kwh, price = term.replace(" kWh", "").split(" × ")
            value += int(kwh) * number(price)
        else:
            value += number(term)
    assert value == number(total), f"{expression} = {value}, not {total}"


def test_ids_are_unique_and_every_entry_has_its_fields():
    ids = [entry["id"] for entry in ENTRIES]
    assert len(ids) == len(set(ids))
    for entry in ENTRIES:
        assert entry["question"].strip() and entry["answer"].strip() and entry["category"], entry["id"]
        assert 4 <= len(entry["alternatives"]) <= 8, entry["id"]
        assert "source" in entry and isinstance(entry["tags"], list), entry["id"]
