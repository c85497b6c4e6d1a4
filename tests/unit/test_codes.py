import pytest

from bot.text.codes import (
    CUSTOMER_CODE,
    PHONE,
    REQUEST_CODE,
    canonical_customer_code,
    canonical_phone,
    find_codes,
)


@pytest.mark.parametrize(
    "typed, canonical",
    [
        ("PE01000123456", "PE01000123456"),
        ("pe01000123456", "PE01000123456"),
        ("PE 0100 0123456", "PE01000123456"),
        ("Pa01ND0012345", "PA01ND0012345"),
        ("pd-1300-4567890", "PD13004567890"),
    ],
)
def test_customer_codes_in_the_forms_customers_type(typed, canonical):
    [match] = find_codes(f"mã của tôi là {typed} nhé")
    assert (match.entity, match.value) == (CUSTOMER_CODE, canonical)
    assert f"mã của tôi là {typed} nhé"[match.start : match.end] == typed


@pytest.mark.parametrize(
    "typed",
    ["PE0100012345", "PE010001234567", "xe01000123456", "phanthihoaxyz", "P101000123456"],
)
def test_not_customer_codes(typed):
    assert all(m.entity != CUSTOMER_CODE for m in find_codes(typed))
    assert canonical_customer_code(typed) is None


@pytest.mark.parametrize(
    "typed, canonical",
    [
        ("0903123456", "0903123456"),
        ("0903 123 456", "0903123456"),
        ("090.312.3456", "0903123456"),
        ("+84903123456", "0903123456"),
        ("84 903 123 456", "0903123456"),
        ("0388-123-456", "0388123456"),
    ],
)
def test_phones(typed, canonical):
    [match] = find_codes(f"sđt {typed}")
    assert (match.entity, match.value) == (PHONE, canonical)


@pytest.mark.parametrize("typed", ["0203123456", "090312345", "09031234567", "1900545454", "123456789012"])
def test_not_phones(typed):
    assert all(m.entity != PHONE for m in find_codes(typed))
    assert canonical_phone(typed) is None


def test_request_codes_win_over_phones_and_keep_their_kind():
    matches = find_codes("hồ sơ yc 2026001234 và KN2026000178, liên hệ 0912345678")
    assert [(m.entity, m.value) for m in matches] == [
        (REQUEST_CODE, "YC2026001234"),
        (REQUEST_CODE, "KN2026000178"),
        (PHONE, "0912345678"),
    ]


def test_several_identifiers_in_one_message_keep_their_spans():
    text = "PE01000123456, sdt +84 912 345 678"
    matches = find_codes(text)
    assert [text[m.start : m.end] for m in matches] == ["PE01000123456", "+84 912 345 678"]
