import pytest

from actions.billing import kwh_from
from actions.services import CHANGE_TYPES, PURPOSES, _choice, is_hazard, province_of
from actions.verification import last4_from


@pytest.mark.parametrize(
    "value, number",
    [("150 số", "150"), ("150kwh", "150"), ("1.500 kWh", "1500"), ("12,5 kwh", "12.5"), ("320 ký", "320"),
     ("-5", "-5"), ("không biết", None), ("", None), (None, None)],
)
def test_kwh_from(value, number):
    assert kwh_from(value) == number


@pytest.mark.parametrize(
    "text, digits",
    [("3456", "3456"), ("số cuối là 3456 ạ", "3456"), ("0903123456", "3456"), ("+84 903 123 456", "3456"),
     ("12 34", None), ("1234 5678", None), ("abc", None), ("", None)],
)
def test_last4_from(text, digits):
    assert last4_from(text) == digits


@pytest.mark.parametrize(
    "text", ["công tơ bốc khói", "cong to boc khoi", "dây điện bị đứt", "nghe tiếng nổ ở trụ điện", "bị chập điện tóe lửa",
             "dien giat"],
)
def test_hazards(text):
    assert is_hazard(text)


@pytest.mark.parametrize("text", ["nhà tôi mất điện từ sáng", "mat dien ca xom", "điện yếu quá", "",
                                  "đồng hồ điện chạy nhanh bất thường", "mất điện từ sáng tới giờ chưa có lại"])
def test_not_hazards(text):
    assert not is_hazard(text)


def test_choices_from_buttons_and_free_text():
    assert _choice("kinh doanh nha em", PURPOSES) == "kinh_doanh"
    assert _choice("sinh hoat", PURPOSES) == "sinh_hoat"
    assert _choice("sang tên", CHANGE_TYPES) == "sang_ten"
    assert _choice("chấm dứt hợp đồng", CHANGE_TYPES) == "cham_dut"
    assert _choice("không biết", PURPOSES) is None


def test_province_of_an_address():
    assert province_of("12 Lê Lợi, quận 1, TP.HCM") == "TP. Hồ Chí Minh"
    assert province_of("45 Nguyen Trai, Thanh Xuan, Ha Noi") == "Hà Nội"
    assert province_of("thôn 3, xã Hòa Phú") == ""


def test_readings_keep_their_separators():
    from actions.texts import readings_summary

    text = readings_summary("PE01000123456", [
        {"period": "2026-10", "reading_date": "2026-10-15", "old_index": 12345, "new_index": 12580, "kwh": 235},
    ])
    assert "chỉ số cũ 12.345, chỉ số mới 12.580, tiêu thụ 235 kWh" in text
