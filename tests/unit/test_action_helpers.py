import pytest

from actions.forms import last4_from
from actions.services import is_hazard, province_of


@pytest.mark.parametrize(
    "text, digits",
    [("3456", "3456"), ("số cuối là 3456 ạ", "3456"), ("0903123456", "3456"), ("+84 903 123 456", "3456"),
     ("４５６７", "4567"), ("12 34", None), ("1234 5678", None), ("abc", None), ("", None)],
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
