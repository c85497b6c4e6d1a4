"""The shared vocabularies (vocabulary/): pure, consistent, and what the actions use agrees with them."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import vocabulary as vocab
from actions import slots, texts
from bot.text.codes import canonical_customer_code, find_codes

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_imports_the_standard_library_only():
    tree = ast.parse((ROOT / "vocabulary" / "__init__.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}


def test_the_tables_are_consistent():
    assert tuple(vocab.PURPOSE_LABELS) == vocab.PURPOSES
    assert tuple(vocab.CHANGE_TYPE_LABELS) == vocab.CHANGE_TYPES and len(vocab.CHANGE_TYPES) == 7
    assert set(vocab.ASSISTANT_CHANGE_TYPES) == set(vocab.CHANGE_TYPES) - {"gia_han"}
    assert set(vocab.PAYMENT_CHANNELS) <= set(vocab.PAYMENT_CHANNEL_LABELS)
    assert tuple(vocab.BILL_STATUS_LABELS) == vocab.BILL_STATUSES
    assert {vocab.COMPLAINT_BILL, vocab.COMPLAINT_OTHER} <= set(vocab.COMPLAINT_CATEGORIES)
    assert set(vocab.PROVINCE_SPELLINGS.values()) == set(vocab.PROVINCES) == set(vocab.PROVINCE_DISTRICTS)
    for spelling in vocab.PROVINCE_SPELLINGS:
        assert spelling == " ".join(spelling.split()) and spelling.isascii() and spelling == spelling.lower()
    every = [*vocab.PURPOSES, *vocab.CHANGE_TYPES, *vocab.COMPLAINT_CATEGORIES, *vocab.PAYMENT_CHANNELS,
             *vocab.PAYMENT_CHANNEL_LABELS, *vocab.BILL_STATUSES]
    assert all(value.isascii() and value == value.lower() for value in every)


@pytest.mark.parametrize("typed, code", [
    ("PE01000123456", "PE01000123456"), ("pe 0100 0123456", "PE01000123456"), ("PD-1300-4567890", "PD13004567890"),
    ("Pa01ND0012345", "PA01ND0012345"), ("PE0100012345", None), ("P101000123456", None), ("PĐ01000123456", None),
    ("PE0100012345_", None), ("", None), ("PE01000123456" + " " * 30, None),
])
def test_the_customer_code_rule(typed, code):
    assert vocab.customer_code(typed) == code


def test_the_nlu_recognises_codes_by_the_same_rule():
    """bot.text.codes adds one thing to the rule for free text: at least 6 digits (so words are not codes)."""
    for typed in ("PE01000123456", "pe 0100 0123456", "Pa01ND0012345", "PĐ01000123456", "PE0100012345_"):
        canonical = canonical_customer_code(typed)
        assert canonical is None or vocab.is_customer_code(canonical)
    assert canonical_customer_code("PEABCDEFGHIJK") is None and vocab.customer_code("PEABCDEFGHIJK")
    [match] = find_codes("mã PE01000123456 nhé")
    assert vocab.is_customer_code(match.value)


# --- the actions' tables agree with the shared ones (until they are read from it) -----------------

def test_the_actions_purposes_and_contract_changes():
    assert slots.PURPOSES == vocab.PURPOSE_LABELS
    assert slots.CHANGE_TYPES == {kind: vocab.CHANGE_TYPE_LABELS[kind] for kind in vocab.ASSISTANT_CHANGE_TYPES}
    assert set(slots.CHANGE_WORDS) == set(vocab.ASSISTANT_CHANGE_TYPES)
    assert set(slots.PURPOSE_WORDS) == set(vocab.PURPOSES)


def test_the_actions_provinces():
    spellings = list(vocab.PROVINCE_SPELLINGS.items())
    assert list(slots.PROVINCES.items()) == spellings[: len(slots.PROVINCES)]
    assert slots.DISTRICTS == vocab.PROVINCE_DISTRICTS
    assert slots.province_of("12 Lê Lợi, Quận 1, TP.HCM") == vocab.HO_CHI_MINH_CITY


def test_the_actions_payment_channels_and_bill_statuses():
    assert texts.CHANNELS == vocab.PAYMENT_CHANNEL_LABELS
    assert texts.BILL_STATUS == vocab.BILL_STATUS_LABELS
