"""The sandbox's vocabulary re-exports the shared one (vocabulary/); its provinces and code rule are the shared ones."""

import vocabulary
from backoffice import areas, codes, seed_data
from backoffice import vocabulary as v


def test_the_shared_names_are_the_same_objects():
    for name in ("PURPOSES", "PHASES", "PAYMENT_CHANNELS", "BILL_PAID", "BILL_UNPAID", "BILL_OVERDUE",
                 "CHANGE_TYPES", "COMPLAINT_CATEGORIES", "PROVINCES"):
        assert getattr(v, name) is getattr(vocabulary, name), name
    assert len(v.CHANGE_TYPES) == 7 and "gia_han" in v.CHANGE_TYPES


def test_the_seed_cities_are_the_shared_provinces():
    assert tuple(city.province for city in seed_data.CITIES) == vocabulary.PROVINCES


def test_the_province_spellings_are_the_ones_the_sandbox_had():
    assert areas._ALIASES == {
        "hcm": "ho chi minh", "tphcm": "ho chi minh", "hochiminh": "ho chi minh",
        "sai gon": "ho chi minh", "saigon": "ho chi minh",
        "hn": "ha noi", "hanoi": "ha noi",
        "danang": "da nang", "cantho": "can tho",
    }
    for spelling, province in vocabulary.PROVINCE_SPELLINGS.items():
        assert areas.same_area(spelling, province)


def test_the_customer_code_rule_is_the_shared_one():
    for typed in ("pe 0100 0123456", "PE-0100-0123456", "PE0100012345", "x" * 41, "PĐ01000123456"):
        assert codes.normalize_customer_code(typed) == vocabulary.customer_code(typed)
    assert codes.normalize_customer_code("pe 0100 0123456") == "PE01000123456"
